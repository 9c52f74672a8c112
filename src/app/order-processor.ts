import { ConflictError } from '../domain/errors.ts';
import { DEFAULT_CONFIGURATION } from '../domain/inventory.ts';
import { dayOf, leaseEndFor } from '../domain/lease.ts';
import { hold, settle } from '../domain/ledger.ts';
import { assertTransition, completionOf, isTerminal, type OrderStatus } from '../domain/order.ts';
import { canAfford, nextGate } from '../domain/policy.ts';
import type { AccountBilling, Clock, OrderRecord, Repositories, Store } from './ports.ts';

export const PROCESS_ORDER_JOB = 'order.process';

export interface OrderProcessorOptions {
  /** How long an order may wait for funds before it is voided. */
  paymentWindowMs: number;
}

/** Where a worker stands in an order; a fault-injection test can stop the process right after one. */
export type OrderStep = 'processing' | 'fulfilled';

export interface OrderProcessorHooks {
  /** Called after each step committed. */
  checkpoint?: (step: OrderStep) => void;
  /** Called once per order, by whoever's transaction ended it. */
  completed?: (status: OrderStatus) => void;
}

/** What a step left: worth another step, waiting for someone (approval, funds), or finished. */
type StepOutcome = { next: 'continue' | 'wait' | 'done'; status: OrderStatus | null; ended: boolean };

/**
 * Moves orders through the lifecycle of design section 3. Each step is one transaction that
 * re-reads the order and acts only on the status it finds, with compare-and-set writes, so a
 * step repeated by a second worker after a crash changes nothing: every order completes
 * exactly once in effect.
 */
export class OrderProcessor {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly options: OrderProcessorOptions,
    private readonly hooks: OrderProcessorHooks = {},
  ) {}

  /** Steps the order until it waits or ends, one transaction a step. */
  async process(orderId: number): Promise<void> {
    for (;;) {
      let outcome: StepOutcome;
      try {
        outcome = await this.store.transaction((tx) => this.step(tx, orderId));
      } catch (error) {
        // Another worker moved the order first; this step rolled back and the order is in good hands.
        if (error instanceof LostRace) return;
        throw error;
      }
      if (outcome.status === 'PROCESSING' && outcome.next === 'continue') this.hooks.checkpoint?.('processing');
      if (outcome.ended) {
        this.hooks.checkpoint?.('fulfilled');
        this.hooks.completed?.(outcome.status!);
      }
      if (outcome.next !== 'continue') return;
    }
  }

  /** Steps within a caller's transaction until the order waits or ends; operators use this to act at once. */
  async advanceWithin(tx: Repositories, orderId: number): Promise<void> {
    for (;;) {
      const outcome = await this.step(tx, orderId);
      if (outcome.ended) this.hooks.completed?.(outcome.status!);
      if (outcome.next !== 'continue') return;
    }
  }

  private async step(tx: Repositories, orderId: number): Promise<StepOutcome> {
    const order = await tx.orders.get(orderId);
    if (!order || isTerminal(order.status)) return { next: 'done', status: order?.status ?? null, ended: false };
    const now = this.clock.now();
    switch (order.status) {
      case 'NEW':
      case 'APPROVE_TIER_ONE':
      case 'APPROVE_TIER_TWO': {
        const billing = await tx.billing.lockBilling(order.accountId);
        const gate = nextGate(billing.policy, order.estimate, { tierOne: order.tierOneApprover, tierTwo: order.tierTwoApprover });
        if (gate === 'PAYMENT') return this.pay(tx, order, billing, now);
        if (order.status !== gate) await this.move(tx, order, gate, now);
        return { next: 'wait', status: order.status, ended: false };
      }
      case 'WAIT_FOR_PAYMENT':
        if (order.paymentDueAt && now >= order.paymentDueAt) {
          await this.end(tx, order, 'VOID', now);
          return { next: 'done', status: 'VOID', ended: true };
        }
        return this.pay(tx, order, await tx.billing.lockBilling(order.accountId), now);
      case 'PROCESSING':
        // The account row first, as every transaction that spends does, so locks are always taken in one order.
        await tx.billing.lockBilling(order.accountId);
        return { next: 'done', status: await this.fulfil(tx, order, now), ended: true };
      default:
        return { next: 'done', status: order.status, ended: false };
    }
  }

  /** Ends a live order without fulfilling it: reservations go back, a hold is released, nothing is charged. */
  async end(tx: Repositories, order: OrderRecord, status: 'VOID' | 'REJECTED', now: Date): Promise<void> {
    await tx.billing.lockBilling(order.accountId);
    await this.move(tx, order, status, now);
    await tx.inventory.releaseReservations(order.id);
    await tx.orders.markFulfilled(order.id, []);
    for (const movement of settle(order.held, 0)) await tx.billing.record(order.accountId, movement, { orderId: order.id }, now);
    await tx.orders.setHeld(order.id, 0);
    await tx.orders.setPaymentDue(order.id, null);
  }

  private async pay(tx: Repositories, order: OrderRecord, billing: AccountBilling, now: Date): Promise<StepOutcome> {
    if (canAfford(billing.policy, billing.balance, billing.held, order.estimate)) {
      await this.move(tx, order, 'PROCESSING', now);
      if (order.estimate > 0) await tx.billing.record(order.accountId, hold(order.estimate), { orderId: order.id }, now);
      await tx.orders.setHeld(order.id, order.estimate);
      await tx.orders.setPaymentDue(order.id, null);
      return { next: 'continue', status: 'PROCESSING', ended: false };
    }
    if (order.status !== 'WAIT_FOR_PAYMENT') {
      await this.move(tx, order, 'WAIT_FOR_PAYMENT', now);
      const due = new Date(now.getTime() + this.options.paymentWindowMs);
      await tx.orders.setPaymentDue(order.id, due);
      // Wakes the order when its window closes; funds arriving earlier move it on sooner.
      await tx.jobs.enqueue(PROCESS_ORDER_JOB, { orderId: order.id }, due, 10);
    }
    return { next: 'wait', status: 'WAIT_FOR_PAYMENT', ended: false };
  }

  /** Hands every reserved asset to the account, charges what was obtained and releases the rest of the hold. */
  private async fulfil(tx: Repositories, order: OrderRecord, now: Date): Promise<OrderStatus> {
    const begin = dayOf(now);
    const lease = { leaseBegin: begin, leaseEnd: leaseEndFor(begin), autoRenew: true };
    const assigned = await tx.inventory.assignReserved(order.id, order.accountId, lease, DEFAULT_CONFIGURATION);
    await tx.orders.markFulfilled(order.id, assigned);
    const fulfilled = (await tx.orders.get(order.id))!;
    const { status, totalCost } = completionOf(fulfilled.lines);
    assertTransition(order.id, 'PROCESSING', status);
    for (const movement of settle(order.held, totalCost)) await tx.billing.record(order.accountId, movement, { orderId: order.id }, now);
    await tx.orders.setHeld(order.id, 0);
    // A worker that took over a lock it thought stale may have ended the order meanwhile.
    if (!(await tx.orders.complete(order.id, status, totalCost, now))) throw new LostRace();
    return status;
  }

  private async move(tx: Repositories, order: OrderRecord, to: OrderStatus, now: Date): Promise<void> {
    assertTransition(order.id, order.status, to);
    if (!(await tx.orders.moveStatus(order.id, order.status, to, now))) throw new LostRace();
    order.status = to;
  }
}

/** Thrown inside a step's transaction to roll it back when another worker changed the order first. */
export class LostRace extends ConflictError {
  override name = 'LostRace';
  constructor() {
    super('the order changed meanwhile; try again');
  }
}
