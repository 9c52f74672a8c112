import { DEFAULT_CONFIGURATION } from '../domain/inventory.ts';
import { dayOf, leaseEndFor } from '../domain/lease.ts';
import { assertTransition, completionOf, isTerminal, type OrderStatus } from '../domain/order.ts';
import type { Clock, Store } from './ports.ts';

/**
 * Takes an order from NEW through PROCESSING to its end. Each step is one transaction that
 * first checks the order is still where the step expects it, so a step repeated by a second
 * worker after a crash changes nothing: the order completes exactly once in effect.
 */
export class OrderProcessor {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly hooks: OrderProcessorHooks = {},
  ) {}

  async process(orderId: number): Promise<void> {
    const order = await this.store.orders.get(orderId);
    if (!order || isTerminal(order.status)) return;
    if (order.status === 'NEW') {
      assertTransition(orderId, 'NEW', 'PROCESSING');
      await this.store.orders.moveStatus(orderId, 'NEW', 'PROCESSING', this.clock.now());
      this.hooks.checkpoint?.('processing');
    }
    const ended = await this.fulfil(orderId).catch((error: unknown) => {
      if (error instanceof LostCompletionRace) return undefined;
      throw error;
    });
    this.hooks.checkpoint?.('fulfilled');
    if (ended) this.hooks.completed?.(ended);
  }

  /** Hands every reserved asset to the account and ends the order in the same transaction. */
  private async fulfil(orderId: number): Promise<OrderStatus | undefined> {
    return this.store.transaction(async (tx) => {
      const order = await tx.orders.get(orderId);
      if (!order || order.status !== 'PROCESSING') return undefined;
      const now = this.clock.now();
      const begin = dayOf(now);
      const lease = { leaseBegin: begin, leaseEnd: leaseEndFor(begin), autoRenew: true };
      const assigned = await tx.inventory.assignReserved(orderId, order.accountId, lease, DEFAULT_CONFIGURATION);
      await tx.orders.markFulfilled(orderId, assigned);
      const fulfilled = await tx.orders.get(orderId);
      const { status, totalCost } = completionOf(fulfilled!.lines);
      assertTransition(orderId, 'PROCESSING', status);
      // Another worker (one that took over a lock it thought stale) may have ended the order meanwhile.
      if (!(await tx.orders.complete(orderId, status, totalCost, now))) throw new LostCompletionRace();
      return status;
    });
  }
}

/** Where a worker stands in an order; a fault-injection test can stop the process right after one. */
export type OrderStep = 'processing' | 'fulfilled';

export interface OrderProcessorHooks {
  /** Called after each step committed. */
  checkpoint?: (step: OrderStep) => void;
  /** Called once per order, by the worker whose transaction ended it. */
  completed?: (status: OrderStatus) => void;
}

/** Thrown inside the fulfilment transaction to roll it back when the order was already ended. */
class LostCompletionRace extends Error {
  override name = 'LostCompletionRace';
}
