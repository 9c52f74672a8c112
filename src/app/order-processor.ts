import { ConflictError } from '../domain/errors.ts';
import { DEFAULT_CONFIGURATION } from '../domain/inventory.ts';
import { dayOf, leaseEndFor } from '../domain/lease.ts';
import { hold, settle } from '../domain/ledger.ts';
import { assertTransition, completionOf, isTerminal, type AssetKind, type OrderStatus } from '../domain/order.ts';
import { isTollFree } from '../domain/phone-number.ts';
import { canAfford, nextGate } from '../domain/policy.ts';
import type { AccountBilling, Clock, OrderMoney, OrderRecord, Repositories } from './ports.ts';

export const PROCESS_ORDER_JOB = 'order.process';

export interface OrderProcessorOptions {
  /** How long an order may wait for funds before it is voided. */
  paymentWindowMs: number;
}

export interface OrderProcessorHooks {
  /** Called once per order, after the transaction that ended it committed. */
  completed?: (status: OrderStatus) => void;
}

/** What a step left: worth another step, waiting for someone (approval, funds), or finished. */
type StepOutcome = { next: 'continue' | 'wait' | 'done'; ended: boolean };

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

  /** Steps the order until it waits or ends. A lost race throws, rolling the caller's transaction back. */
  async advanceWithin(tx: Repositories, orderId: number, afterCommit: (effect: () => void) => void): Promise<void> {
    const order = await tx.orders.get(orderId);
    if (!order || isTerminal(order.status)) return;
    // The account row first, as every transaction that spends does, so locks are always taken in one order.
    // Later steps of this call see the order as this transaction left it: its own writes hold the row.
    const billing = await tx.billing.lockBilling(order.accountId);
    const now = this.clock.now();
    for (;;) {
      const outcome = await this.step(tx, order, billing, now);
      if (outcome.ended) {
        const status = order.status;
        afterCommit(() => this.hooks.completed?.(status));
      }
      if (outcome.next !== 'continue') return;
    }
  }

  private async step(tx: Repositories, order: OrderRecord, billing: AccountBilling, now: Date): Promise<StepOutcome> {
    switch (order.status) {
      case 'NEW':
      case 'APPROVE_TIER_ONE':
      case 'APPROVE_TIER_TWO': {
        const gate = nextGate(billing.policy, order.estimate, { tierOne: order.tierOneApprover, tierTwo: order.tierTwoApprover });
        if (gate === 'PAYMENT') return this.pay(tx, order, billing, now);
        if (order.status !== gate) await this.move(tx, order, gate, now, {});
        return { next: 'wait', ended: false };
      }
      case 'WAIT_FOR_PAYMENT':
        if (order.paymentDueAt && now >= order.paymentDueAt) {
          await this.end(tx, order, 'VOID', now);
          return { next: 'done', ended: true };
        }
        return this.pay(tx, order, billing, now);
      case 'PROCESSING':
        await this.fulfil(tx, order, now);
        return { next: 'done', ended: true };
      default:
        return { next: 'done', ended: false };
    }
  }

  /** Ends a live order without fulfilling it: reservations go back, a hold is released, nothing is charged. */
  async end(tx: Repositories, order: OrderRecord, status: 'VOID' | 'REJECTED', now: Date): Promise<void> {
    await tx.billing.lockBilling(order.accountId);
    const held = order.held;
    await this.move(tx, order, status, now, { held: 0, paymentDueAt: null });
    await tx.inventory.releaseReservations(order.id);
    await tx.orders.markFulfilled(order.id, []);
    for (const movement of settle(held, 0)) await tx.billing.record(order.accountId, movement, { orderId: order.id }, now);
  }

  private async pay(tx: Repositories, order: OrderRecord, billing: AccountBilling, now: Date): Promise<StepOutcome> {
    if (canAfford(billing.policy, billing.balance, billing.held, order.estimate)) {
      await this.move(tx, order, 'PROCESSING', now, { held: order.estimate, paymentDueAt: null });
      if (order.estimate > 0) await tx.billing.record(order.accountId, hold(order.estimate), { orderId: order.id }, now);
      return { next: 'continue', ended: false };
    }
    if (order.status !== 'WAIT_FOR_PAYMENT') {
      const due = new Date(now.getTime() + this.options.paymentWindowMs);
      await this.move(tx, order, 'WAIT_FOR_PAYMENT', now, { paymentDueAt: due });
      // Wakes the order when its window closes; funds arriving earlier move it on sooner.
      await tx.jobs.enqueue(PROCESS_ORDER_JOB, { orderId: order.id }, due, 10);
    }
    return { next: 'wait', ended: false };
  }

  /** Hands every reserved asset to the account, charges what was obtained and releases the rest of the hold. */
  private async fulfil(tx: Repositories, order: OrderRecord, now: Date): Promise<void> {
    const begin = dayOf(now);
    const lease = { leaseBegin: begin, leaseEnd: leaseEndFor(begin), autoRenew: true };
    const kinds = { numbers: Boolean(order.lines.LOCAL ?? order.lines.TOLL_FREE), keywords: Boolean(order.lines.KEYWORD) };
    const assigned = await tx.inventory.assignReserved(order.id, order.accountId, lease, DEFAULT_CONFIGURATION, kinds);
    await tx.orders.markFulfilled(order.id, [...assigned.numbers, ...assigned.keywords]);
    const obtained: Record<AssetKind, string[]> = {
      LOCAL: assigned.numbers.filter((n) => !isTollFree(n)),
      TOLL_FREE: assigned.numbers.filter(isTollFree),
      KEYWORD: assigned.keywords,
    };
    const lines = Object.fromEntries(Object.entries(order.lines).map(([kind, line]) => [kind, { ...line, fulfilled: obtained[kind as AssetKind] }]));
    const { status, totalCost } = completionOf(lines);
    const held = order.held;
    // A worker that took over a lock it thought stale may have ended the order meanwhile: the compare-and-set says.
    await this.move(tx, order, status, now, { held: 0, totalCost });
    for (const movement of settle(held, totalCost)) await tx.billing.record(order.accountId, movement, { orderId: order.id }, now);
  }

  /** Compare-and-set of the status with the money fields that change with it; the in-memory order follows. */
  private async move(tx: Repositories, order: OrderRecord, to: OrderStatus, now: Date, changes: Partial<OrderMoney>): Promise<void> {
    assertTransition(order.id, order.status, to);
    const money: OrderMoney = { held: order.held, paymentDueAt: order.paymentDueAt, totalCost: order.totalCost, ...changes };
    if (!(await tx.orders.moveStatus(order.id, order.status, to, now, money))) throw new LostRace();
    Object.assign(order, money, { status: to });
  }
}

/** Thrown inside a step's transaction to roll it back when another worker changed the order first. */
export class LostRace extends ConflictError {
  override name = 'LostRace';
  constructor() {
    super('the order changed meanwhile; try again');
  }
}
