import { ConflictError, InvalidInputError, NotFoundError } from '../domain/errors.ts';
import { credit } from '../domain/ledger.ts';
import { formatAmount, parseAmount, type Cents } from '../domain/money.ts';
import { ORDER_STATUSES, isTerminal, type AssetKind, type OrderStatus, type UnitPrices } from '../domain/order.ts';
import type { AccountPolicy } from '../domain/policy.ts';
import { checkLogin, type AccountService } from './account-service.ts';
import { hashPassword } from './passwords.ts';
import { SWEEP_LEASES_JOB } from './lease-renewer.ts';
import type { OrderProcessor } from './order-processor.ts';
import type { AccountRecord, Clock, LedgerMismatch, OrderRecord, Repositories, Store } from './ports.ts';

export interface AccountView {
  id: number;
  login: string;
  balance: string;
  held: string;
  available: string;
  policy: { tierOne: string | null; tierTwo: string | null; creditLimit: string | null };
  prices: { local: string; tollFree: string; keyword: string };
  credentials: string[];
  numbers: { number: string; status: string; leaseEnd: string | null; autoRenew: boolean }[];
  keywords: { keyword: string; status: string; leaseEnd: string | null; autoRenew: boolean }[];
}

export interface OrderView {
  id: number;
  account: string;
  status: OrderStatus;
  created: string;
  estimate: string;
  held: string;
  totalCost: string;
  tierOneApprover: string | null;
  tierTwoApprover: string | null;
  paymentDueAt: string | null;
}

export const MAX_LISTED_ORDERS = 1000;

/**
 * What operators do: accounts, credentials, funds, policies, prices, approvals and the ledger
 * check. Amounts come in as decimal text ("25.00") and leave the same way; inside they are cents.
 */
export class OperatorService {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly accounts: AccountService,
    private readonly processor: OrderProcessor,
    private readonly defaults: { prices: UnitPrices; onWorkQueued: () => void },
  ) {}

  createAccount(login: string, password: string): Promise<AccountRecord> {
    return this.accounts.createAccount(login, password);
  }

  listAccounts(): Promise<AccountRecord[]> {
    return this.store.accounts.list();
  }

  async showAccount(login: string): Promise<AccountView> {
    const account = await this.account(login);
    const billing = await this.store.billing.readBilling(account.id);
    const numbers = await this.store.owned.queryNumbers(account.id, {}, undefined, { firstResult: 0, maxResults: 1000 });
    const keywords = await this.store.owned.queryKeywords(account.id, { firstResult: 0, maxResults: 1000 });
    const credentials = await this.store.accounts.credentials(account.id);
    const price = (kind: AssetKind) => formatAmount(billing.prices[kind] ?? this.defaults.prices[kind]);
    const optional = (cents: Cents | null) => (cents === null ? null : formatAmount(cents));
    return {
      id: account.id,
      login: account.login,
      balance: formatAmount(billing.balance),
      held: formatAmount(billing.held),
      available: formatAmount(billing.balance - billing.held),
      policy: { tierOne: optional(billing.policy.tierOne), tierTwo: optional(billing.policy.tierTwo), creditLimit: optional(billing.policy.creditLimit) },
      prices: { local: price('LOCAL'), tollFree: price('TOLL_FREE'), keyword: price('KEYWORD') },
      credentials: credentials.map((c) => c.login),
      numbers: numbers.items.map((n) => ({ number: n.number, status: n.status, leaseEnd: n.lease.leaseEnd ?? null, autoRenew: n.lease.autoRenew })),
      keywords: keywords.items.map((k) => ({ keyword: k.keyword, status: k.status, leaseEnd: k.lease.leaseEnd ?? null, autoRenew: k.lease.autoRenew })),
    };
  }

  async addCredential(login: string, credentialLogin: string, password: string): Promise<void> {
    const account = await this.account(login);
    checkLogin(credentialLogin, 'login');
    if (password.length < 8) throw new InvalidInputError('password must be at least 8 characters', 'password');
    const passwordHash = await hashPassword(password);
    await this.store.transaction(async (tx) => {
      // Revoked logins stay taken: a login names one API user for good (rotate with a new login, then revoke the old).
      if (await tx.accounts.isLoginTaken(credentialLogin)) throw new ConflictError(`login ${credentialLogin} is taken`);
      await tx.accounts.addCredential(account.id, credentialLogin, passwordHash, this.clock.now());
    });
  }

  async revokeCredential(login: string, credentialLogin: string): Promise<void> {
    const account = await this.account(login);
    if (!(await this.store.accounts.revokeCredential(account.id, credentialLogin, this.clock.now()))) {
      throw new NotFoundError(`account ${login} has no active credential ${credentialLogin}`);
    }
    await this.accounts.revoked(credentialLogin);
  }

  /** Credits the account; orders waiting for payment move on at once, oldest first, and unpaid renewals are retried. */
  async addFunds(login: string, amountText: unknown): Promise<AccountView> {
    const amount = amountOf(amountText, 'amount');
    if (amount === 0) throw new InvalidInputError('amount must be more than 0.00', 'amount');
    const account = await this.account(login);
    await this.store.transaction(async (tx, afterCommit) => {
      await tx.billing.lockBilling(account.id);
      await tx.billing.record(account.id, [{ movement: credit(amount) }], this.clock.now());
      for (const id of await tx.orders.idsByStatus('WAIT_FOR_PAYMENT', account.id)) {
        await this.processor.advanceWithin(tx, id, afterCommit);
      }
      await tx.jobs.enqueue(SWEEP_LEASES_JOB, [{}], this.clock.now(), 5);
      afterCommit(this.defaults.onWorkQueued);
    });
    return this.showAccount(login);
  }

  async setPolicy(login: string, input: { tierOne?: unknown; tierTwo?: unknown; creditLimit?: unknown }): Promise<AccountView> {
    const policy: AccountPolicy = {
      tierOne: optionalAmount(input.tierOne, 'tierOne'),
      tierTwo: optionalAmount(input.tierTwo, 'tierTwo'),
      creditLimit: optionalAmount(input.creditLimit, 'creditLimit'),
    };
    if (policy.tierTwo !== null && (policy.tierOne === null || policy.tierTwo < policy.tierOne)) {
      throw new InvalidInputError('tierTwo needs a tierOne threshold at or below it', 'tierTwo');
    }
    const account = await this.account(login);
    await this.store.billing.setPolicy(account.id, policy);
    return this.showAccount(login);
  }

  async setPrices(login: string, input: { local?: unknown; tollFree?: unknown; keyword?: unknown }): Promise<AccountView> {
    const prices: Partial<Record<AssetKind, Cents | null>> = {};
    for (const [field, kind] of [['local', 'LOCAL'], ['tollFree', 'TOLL_FREE'], ['keyword', 'KEYWORD']] as const) {
      if (input[field] !== undefined) prices[kind] = optionalAmount(input[field], field);
    }
    if (Object.keys(prices).length === 0) throw new InvalidInputError('give at least one of local, tollFree, keyword', 'local');
    const account = await this.account(login);
    await this.store.billing.setPrices(account.id, prices);
    return this.showAccount(login);
  }

  async listOrders(filter: { status?: string; login?: string }): Promise<OrderView[]> {
    const status = filter.status === undefined ? undefined : orderStatusOf(filter.status);
    const accountId = filter.login === undefined ? undefined : (await this.account(filter.login)).id;
    const orders = await this.store.orders.list({ status, accountId, limit: MAX_LISTED_ORDERS });
    return this.views(orders);
  }

  async getOrder(id: number): Promise<OrderView> {
    const order = await this.store.orders.get(id);
    if (!order) throw new NotFoundError(`order ${id} does not exist`);
    return (await this.views([order]))[0]!;
  }

  /** Approves at the tier the order waits at; tier two needs someone other than tier one's approver. */
  async approve(id: number, approver: unknown): Promise<OrderView> {
    const name = requiredText(approver, 'approver');
    await this.store.transaction(async (tx, afterCommit) => {
      const order = await this.liveOrder(tx, id);
      if (order.status === 'APPROVE_TIER_ONE') {
        await tx.orders.setApprover(id, 'ONE', name);
      } else if (order.status === 'APPROVE_TIER_TWO') {
        if (order.tierOneApprover === name) {
          throw new ConflictError(`order ${id} was approved at tier one by ${name}; tier two needs a different approver`);
        }
        await tx.orders.setApprover(id, 'TWO', name);
      } else {
        throw new ConflictError(`order ${id} is ${order.status}, not waiting for approval`, 'NBD_ERR_ILLEGAL_TRANSITION');
      }
      await this.processor.advanceWithin(tx, id, afterCommit);
    });
    return this.getOrder(id);
  }

  async reject(id: number, approver: unknown, reason: unknown): Promise<OrderView> {
    const name = requiredText(approver, 'approver');
    const why = requiredText(reason, 'reason');
    await this.store.transaction(async (tx, afterCommit) => {
      const order = await this.liveOrder(tx, id);
      if (order.status !== 'APPROVE_TIER_ONE' && order.status !== 'APPROVE_TIER_TWO') {
        throw new ConflictError(`order ${id} is ${order.status}, not waiting for approval`, 'NBD_ERR_ILLEGAL_TRANSITION');
      }
      await tx.orders.setRejection(id, name, why);
      await this.processor.end(tx, order, 'REJECTED', this.clock.now(), afterCommit);
    });
    return this.getOrder(id);
  }

  /** Voids any live order: reservations go back, held funds are released, nothing is charged. */
  async cancel(id: number): Promise<OrderView> {
    await this.store.transaction(async (tx, afterCommit) => {
      const order = await this.liveOrder(tx, id);
      await this.processor.end(tx, order, 'VOID', this.clock.now(), afterCommit);
    });
    return this.getOrder(id);
  }

  /** Accounts whose balance differs from the sum of their ledger; empty when the books are right. */
  ledgerCheck(): Promise<LedgerMismatch[]> {
    return this.store.billing.mismatches();
  }

  private async liveOrder(tx: Repositories, id: number): Promise<OrderRecord> {
    const order = await tx.orders.get(id);
    if (!order) throw new NotFoundError(`order ${id} does not exist`);
    if (isTerminal(order.status)) {
      throw new ConflictError(`order ${id} is already ${order.status}`, 'NBD_ERR_ILLEGAL_TRANSITION');
    }
    return order;
  }

  private async account(login: string): Promise<AccountRecord> {
    const account = await this.store.accounts.findByLogin(login);
    if (!account) throw new NotFoundError(`no account ${login}`);
    return account;
  }

  private async views(orders: OrderRecord[]): Promise<OrderView[]> {
    // Only the accounts these orders belong to, not every account.
    const logins = new Map<number, string>();
    for (const accountId of new Set(orders.map((order) => order.accountId))) {
      const account = await this.store.accounts.findById(accountId);
      if (account) logins.set(accountId, account.login);
    }
    return orders.map((order) => ({
      id: order.id,
      account: logins.get(order.accountId) ?? String(order.accountId),
      status: order.status,
      created: order.createdAt.toISOString(),
      estimate: formatAmount(order.estimate),
      held: formatAmount(order.held),
      totalCost: formatAmount(order.totalCost),
      tierOneApprover: order.tierOneApprover,
      tierTwoApprover: order.tierTwoApprover,
      paymentDueAt: order.paymentDueAt?.toISOString() ?? null,
    }));
  }
}

function amountOf(value: unknown, field: string): Cents {
  const cents = typeof value === 'string' ? parseAmount(value) : undefined;
  if (cents === undefined) throw new InvalidInputError(`${field} must be an amount like "25.00", got ${JSON.stringify(value)}`, field);
  return cents;
}

function optionalAmount(value: unknown, field: string): Cents | null {
  return value === undefined || value === null || value === '' ? null : amountOf(value, field);
}

function requiredText(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.trim() === '') throw new InvalidInputError(`${field} is required`, field);
  return value.trim();
}

function orderStatusOf(text: string): OrderStatus {
  const status = text.toUpperCase() as OrderStatus;
  if (!ORDER_STATUSES.includes(status)) {
    throw new InvalidInputError(`status must be one of ${ORDER_STATUSES.join(', ')}, got "${text}"`, 'status');
  }
  return status;
}
