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

/** What a step left the order as: moved on and worth another step, waiting for someone, or finished. */
export type StepOutcome = 'continue' | 'wait' | 'done';

/**
 * Moves orders through the lifecycle of design section 3. Each step is one transaction that
 * re-reads the order and acts only on the status it finds, so a step repeated by a second
 * worker after a crash changes nothing: every order completes exactly once in effect.
 */
export class OrderProcessor {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly options: OrderProcessorOptions,
  ) {}

  /** Steps the order until it waits (for approval or funds) or ends. */
  async process(orderId: number): Promise<void> {
    let outcome: StepOutcome = 'continue';
    while (outcome === 'continue') outcome = await this.store.transaction((tx) => this.step(tx, orderId));
  }

  /** Steps within a caller's transaction until the order waits or ends; operators use this to act at once. */
  async advanceWithin(tx: Repositories, orderId: number): Promise<void> {
    while ((await this.step(tx, orderId)) === 'continue');
  }

  async step(tx: Repositories, orderId: number): Promise<StepOutcome> {
    const order = await tx.orders.get(orderId);
    if (!order || isTerminal(order.status)) return 'done';
    const now = this.clock.now();
    switch (order.status) {
      case 'NEW':
      case 'APPROVE_TIER_ONE':
      case 'APPROVE_TIER_TWO': {
        const billing = await tx.billing.lockBilling(order.accountId);
        const gate = nextGate(billing.policy, order.estimate, { tierOne: order.tierOneApprover, tierTwo: order.tierTwoApprover });
        if (gate === 'PAYMENT') return this.pay(tx, order, billing, now);
        if (order.status !== gate) await this.move(tx, order, gate, now);
        return 'wait';
      }
      case 'WAIT_FOR_PAYMENT': {
        if (order.paymentDueAt && now >= order.paymentDueAt) {
          await this.end(tx, order, 'VOID', now);
          return 'done';
        }
        return this.pay(tx, order, await tx.billing.lockBilling(order.accountId), now);
      }
      case 'PROCESSING':
        await this.fulfil(tx, order, now);
        return 'done';
      default:
        return 'done';
    }
  }

  /** Ends a live order without fulfilling it: reservations go back, a hold is released, nothing is charged. */
  async end(tx: Repositories, order: OrderRecord, status: 'VOID' | 'REJECTED', now: Date): Promise<void> {
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
      return 'continue';
    }
    if (order.status !== 'WAIT_FOR_PAYMENT') {
      await this.move(tx, order, 'WAIT_FOR_PAYMENT', now);
      const due = new Date(now.getTime() + this.options.paymentWindowMs);
      await tx.orders.setPaymentDue(order.id, due);
      // Wakes the order when its window closes; funds arriving earlier move it on sooner.
      await tx.jobs.enqueue(PROCESS_ORDER_JOB, { orderId: order.id }, due, 10);
    }
    return 'wait';
  }

  /** Hands every reserved asset to the account, charges what was obtained and releases the rest of the hold. */
  private async fulfil(tx: Repositories, order: OrderRecord, now: Date): Promise<void> {
    const begin = dayOf(now);
    const lease = { leaseBegin: begin, leaseEnd: leaseEndFor(begin), autoRenew: true };
    const assigned = await tx.inventory.assignReserved(order.id, order.accountId, lease, DEFAULT_CONFIGURATION);
    await tx.orders.markFulfilled(order.id, assigned);
    const fulfilled = (await tx.orders.get(order.id))!;
    const { status, totalCost } = completionOf(fulfilled.lines);
    assertTransition(order.id, 'PROCESSING', status);
    for (const movement of settle(order.held, totalCost)) await tx.billing.record(order.accountId, movement, { orderId: order.id }, now);
    await tx.orders.setHeld(order.id, 0);
    await tx.orders.complete(order.id, status, totalCost, now);
  }

  private async move(tx: Repositories, order: OrderRecord, to: OrderStatus, now: Date): Promise<void> {
    assertTransition(order.id, order.status, to);
    if (!(await tx.orders.moveStatus(order.id, order.status, to, now))) {
      throw new ConflictError(`order ${order.id} changed while it was being moved to ${to}`);
    }
    order.status = to;
  }
}
