import { ConflictError } from '../domain/errors.ts';
import { DEFAULT_CONFIGURATION } from '../domain/inventory.ts';
import { dayOf, leaseEndFor } from '../domain/lease.ts';
import { hold, settle } from '../domain/ledger.ts';
import { assertTransition, completionOf, isTerminal, MAX_ITEMS, type OrderStatus } from '../domain/order.ts';
import { canAfford, nextGate } from '../domain/policy.ts';
import { groupBy } from './group-by.ts';
import type { AccountBilling, Clock, LedgerRecord, OrderMoney, OrderRecord, Repositories } from './ports.ts';

export const PROCESS_ORDER_JOB = 'order.process';

export interface OrderProcessorOptions {
  /** How long an order may wait for funds before it is voided. */
  paymentWindowMs: number;
}

export interface OrderProcessorHooks {
  /** Called once per order, after the transaction that ended it committed. */
  completed?: (order: { id: number; status: OrderStatus }) => void;
}

/** What a step left: worth another step, waiting for someone (approval, funds), or finished. */
type StepOutcome = 'continue' | 'wait' | 'done';

/**
 * Moves orders through the lifecycle of design section 3, within the caller's transaction (the
 * job's, or an operator's). It reads the order once and acts only on the status it finds, with
 * compare-and-set writes, so work repeated by a second worker after a crash changes nothing:
 * every order completes exactly once in effect.
 */
export class OrderProcessor {
  constructor(
    private readonly clock: Clock,
    private readonly options: OrderProcessorOptions,
    private readonly hooks: OrderProcessorHooks = {},
  ) {}

  /**
   * Advances a batch of orders (a claim of jobs) in one transaction. Per account, in id order, the
   * orders that can pay at once go through together, a few statements for them all; from the first
   * that cannot, the rest take their steps one by one, so funds still go to orders in id order.
   */
  async advanceAllWithin(tx: Repositories, orderIds: readonly number[], afterCommit: (effect: () => void) => void): Promise<void> {
    const orders = (await tx.orders.getMany(orderIds)).filter((order) => !isTerminal(order.status));
    const now = this.clock.now();
    // Accounts in id order: batches sharing accounts take their rows in one order, so none waits on another in a cycle.
    for (const [accountId, ofAccount] of [...groupBy(orders, (order) => order.accountId)].sort(([a], [b]) => a - b)) {
      const billing = await tx.billing.lockBilling(accountId);
      let held = billing.held;
      let paying = 0;
      // Holding every estimate at once asks more of the funds than paying one after another, which
      // charges at most the estimate and releases the rest: an order passed here would pass there.
      for (const order of ofAccount) {
        const gate = nextGate(billing.policy, order.estimate, { tierOne: order.tierOneApprover, tierTwo: order.tierTwoApprover });
        if (order.status !== 'NEW' || gate !== 'PAYMENT' || !canAfford(billing.policy, billing.balance, held, order.estimate)) break;
        held += order.estimate;
        paying++;
      }
      for (const chunk of chunksOfItems(ofAccount.slice(0, paying))) {
        // Paid for and fulfilled in this one transaction, so nobody ever sees them PROCESSING: that
        // step is taken in memory and written with the end, and the holds with their settlement.
        const stored = chunk[0]!.status;
        const holds = chunk.filter((order) => order.estimate > 0).map((order): LedgerRecord => ({ movement: hold(order.estimate), orderId: order.id }));
        for (const order of chunk) {
          assertTransition(order.id, order.status, 'PROCESSING');
          Object.assign(order, { status: 'PROCESSING', held: order.estimate, paymentDueAt: null });
        }
        await this.fulfil(tx, accountId, chunk, now, afterCommit, { stored, holds });
      }
      for (const order of ofAccount.slice(paying)) await this.advance(tx, order, now, afterCommit);
    }
  }

  /** Steps the order until it waits or ends. A lost race throws, rolling the caller's transaction back. */
  async advanceWithin(tx: Repositories, orderId: number, afterCommit: (effect: () => void) => void): Promise<void> {
    const order = await tx.orders.get(orderId);
    if (order && !isTerminal(order.status)) await this.advance(tx, order, this.clock.now(), afterCommit);
  }

  private async advance(tx: Repositories, order: OrderRecord, now: Date, afterCommit: (effect: () => void) => void): Promise<void> {
    // The account row first, as every transaction that spends does, so locks are always taken in one order.
    // Its balance is read now, after whatever this transaction spent before. Later steps of this call
    // see the order as this transaction left it: its own writes hold the row.
    const billing = await tx.billing.lockBilling(order.accountId);
    for (;;) {
      const outcome = await this.step(tx, order, billing, now, afterCommit);
      if (outcome !== 'continue') return;
    }
  }

  private async step(tx: Repositories, order: OrderRecord, billing: AccountBilling, now: Date, afterCommit: (effect: () => void) => void): Promise<StepOutcome> {
    switch (order.status) {
      case 'NEW':
      case 'APPROVE_TIER_ONE':
      case 'APPROVE_TIER_TWO': {
        const gate = nextGate(billing.policy, order.estimate, { tierOne: order.tierOneApprover, tierTwo: order.tierTwoApprover });
        if (gate === 'PAYMENT') return this.pay(tx, order, billing, now);
        if (order.status !== gate) await this.move(tx, [order], now, () => ({ to: gate }));
        return 'wait';
      }
      case 'WAIT_FOR_PAYMENT':
        if (order.paymentDueAt && now >= order.paymentDueAt) {
          await this.end(tx, order, 'VOID', now, afterCommit);
          return 'done';
        }
        return this.pay(tx, order, billing, now);
      case 'PROCESSING':
        await this.fulfil(tx, order.accountId, [order], now, afterCommit);
        return 'done';
      default:
        return 'done';
    }
  }

  /**
   * Processing of these orders failed every attempt: each still live ends ERRORED, with nothing
   * fulfilled, rather than keep its reservations and hold for ever.
   */
  async giveUpWithin(tx: Repositories, orderIds: readonly number[], afterCommit: (effect: () => void) => void): Promise<void> {
    const orders = (await tx.orders.getMany(orderIds)).filter((order) => !isTerminal(order.status));
    const now = this.clock.now();
    // Accounts in id order, as processing takes them.
    for (const order of orders.sort((a, b) => a.accountId - b.accountId || a.id - b.id)) {
      await this.end(tx, order, 'ERRORED', now, afterCommit);
    }
  }

  /** Ends a live order without fulfilling it: reservations go back, a hold is released, nothing is charged. */
  async end(tx: Repositories, order: OrderRecord, status: 'VOID' | 'REJECTED' | 'ERRORED', now: Date, afterCommit: (effect: () => void) => void): Promise<void> {
    await tx.billing.lockBilling(order.accountId);
    const held = order.held;
    // Only PROCESSING may end ERRORED: an order that never got there passes through it here, unseen.
    if (status === 'ERRORED' && order.status !== 'PROCESSING') await this.move(tx, [order], now, () => ({ to: 'PROCESSING' }));
    await this.move(tx, [order], now, () => ({ to: status, changes: { held: 0, paymentDueAt: null } }));
    await tx.inventory.releaseReservations(order.id);
    await tx.orders.markFulfilled([order.id], []);
    await tx.billing.record(order.accountId, settle(held, 0).map((movement) => ({ movement, orderId: order.id })), now);
    this.ended(order, afterCommit);
  }

  private async pay(tx: Repositories, order: OrderRecord, billing: AccountBilling, now: Date): Promise<StepOutcome> {
    if (canAfford(billing.policy, billing.balance, billing.held, order.estimate)) {
      await this.move(tx, [order], now, () => ({ to: 'PROCESSING', changes: { held: order.estimate, paymentDueAt: null } }));
      if (order.estimate > 0) await tx.billing.record(order.accountId, [{ movement: hold(order.estimate), orderId: order.id }], now);
      return 'continue';
    }
    if (order.status !== 'WAIT_FOR_PAYMENT') {
      const due = new Date(now.getTime() + this.options.paymentWindowMs);
      await this.move(tx, [order], now, () => ({ to: 'WAIT_FOR_PAYMENT', changes: { paymentDueAt: due } }));
      // Wakes the order when its window closes; funds arriving earlier move it on sooner.
      await tx.jobs.enqueue(PROCESS_ORDER_JOB, [{ orderId: order.id }], due, 10);
    }
    return 'wait';
  }

  /**
   * Hands every asset the orders (PROCESSING, of one account) reserve to the account, charges
   * each order what it obtained and releases the rest of its hold.
   */
  private async fulfil(
    tx: Repositories, accountId: number, orders: OrderRecord[], now: Date, afterCommit: (effect: () => void) => void,
    /** The orders moved to PROCESSING in memory only: the status still stored, and the holds not yet recorded. */
    unwritten?: { stored: OrderStatus; holds: LedgerRecord[] },
  ): Promise<void> {
    const begin = dayOf(now);
    const lease = { leaseBegin: begin, leaseEnd: leaseEndFor(begin), autoRenew: true };
    const kinds = {
      numbers: orders.some((order) => order.lines.LOCAL ?? order.lines.TOLL_FREE),
      keywords: orders.some((order) => order.lines.KEYWORD),
    };
    const ids = orders.map((order) => order.id);
    const assigned = await tx.inventory.assignReserved(ids, accountId, lease, DEFAULT_CONFIGURATION, kinds);
    const obtained = new Set<string>([...assigned.numbers, ...assigned.keywords]);
    await tx.orders.markFulfilled(ids, [...obtained]);
    const ends = orders.map((order) => {
      const lines = Object.fromEntries(Object.entries(order.lines).map(([kind, line]) => [kind, {
        ...line, fulfilled: order.reserved.filter((item) => item.kind === kind && obtained.has(item.asset)).map((item) => item.asset),
      }]));
      return { held: order.held, ...completionOf(lines) };
    });
    // A worker that took over a lock it thought stale may have ended an order meanwhile: the compare-and-set says.
    await this.move(tx, orders, now, (_, i) => ({ to: ends[i]!.status, changes: { held: 0, totalCost: ends[i]!.totalCost } }), unwritten?.stored);
    await tx.billing.record(accountId, [...(unwritten?.holds ?? []), ...orders.flatMap((order, i) =>
      settle(ends[i]!.held, ends[i]!.totalCost).map((movement) => ({ movement, orderId: order.id })))], now);
    for (const order of orders) this.ended(order, afterCommit);
  }

  private ended(order: OrderRecord, afterCommit: (effect: () => void) => void): void {
    const ended = { id: order.id, status: order.status };
    afterCommit(() => this.hooks.completed?.(ended));
  }

  /**
   * Compare-and-set of the orders' status (all in one status) with the money fields that change
   * with it; the in-memory orders follow. Any order another writer moved first fails them all.
   * `stored` is the status the rows hold when the orders took a step in memory only.
   */
  private async move(
    tx: Repositories, orders: OrderRecord[], now: Date,
    next: (order: OrderRecord, index: number) => { to: OrderStatus; changes?: Partial<OrderMoney> },
    stored?: OrderStatus,
  ): Promise<void> {
    const from = orders[0]!.status;
    const moves = orders.map((order, index) => {
      const { to, changes } = next(order, index);
      assertTransition(order.id, from, to);
      return { order, id: order.id, to, money: { held: order.held, paymentDueAt: order.paymentDueAt, totalCost: order.totalCost, ...changes } };
    });
    if ((await tx.orders.moveStatus(stored ?? from, moves, now)) !== moves.length) throw new LostRace();
    for (const { order, to: status, money } of moves) Object.assign(order, money, { status, reserved: isTerminal(status) ? [] : order.reserved });
  }
}

/** Consecutive orders holding at most MAX_ITEMS reserved assets together (or one larger order), to bound a statement's parameters. */
function* chunksOfItems(orders: OrderRecord[]): Generator<OrderRecord[]> {
  let chunk: OrderRecord[] = [];
  let items = 0;
  for (const order of orders) {
    if (chunk.length > 0 && items + order.reserved.length > MAX_ITEMS) {
      yield chunk;
      chunk = [];
      items = 0;
    }
    chunk.push(order);
    items += order.reserved.length;
  }
  if (chunk.length > 0) yield chunk;
}

/** Thrown inside a step's transaction to roll it back when another worker changed the order first. */
export class LostRace extends ConflictError {
  override name = 'LostRace';
  constructor() {
    super('the order changed meanwhile; try again');
  }
}
