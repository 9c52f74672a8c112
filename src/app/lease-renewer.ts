import { addDays, dayOf, leaseEndFor, nextDay, oneMonthAfter } from '../domain/lease.ts';
import { renewal } from '../domain/ledger.ts';
import type { UnitPrices } from '../domain/order.ts';
import { canAfford } from '../domain/policy.ts';
import type { Clock, LeaseDue, Repositories, Store } from './ports.ts';

export const SWEEP_LEASES_JOB = 'leases.sweep';

export interface LeaseRenewerOptions {
  prices: UnitPrices;
  /** Days an unpaid asset stays UNAVAILABLE before it is released. */
  graceDays: number;
  /** Days a released number rests before it is sold again. */
  agingDays: number;
}

const BATCH = 1000;

/**
 * Runs every lease whose period is over: renews and charges auto-renewing ones, suspends
 * those the account cannot pay for, releases them after the grace period or when renewal was
 * turned off, and returns aged assets to the inventory. Each asset is one transaction whose
 * updates are conditional on what was read, so sweeps may overlap (several workers) safely.
 */
export class LeaseRenewer {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly options: LeaseRenewerOptions,
  ) {}

  /** Each asset in its own transaction; returns how many leases changed. */
  sweep(): Promise<number> {
    return this.sweepWith(this.store, (fn) => this.store.transaction(fn));
  }

  /** The same sweep inside a caller's transaction (a job's). */
  sweepWithin(tx: Repositories): Promise<number> {
    return this.sweepWith(tx, (fn) => fn(tx));
  }

  private async sweepWith(read: Repositories, inTransaction: <T>(fn: (tx: Repositories) => Promise<T>) => Promise<T>): Promise<number> {
    const today = dayOf(this.clock.now());
    let changes = 0;
    for (;;) {
      let passChanges = 0;
      for (const due of await read.leases.ended(today, BATCH)) {
        if (await inTransaction((tx) => this.settle(tx, due, today))) passChanges++;
      }
      changes += passChanges;
      // A renewal leaves a lease that may still be over (a year passed at once); go round until nothing moves.
      if (passChanges === 0) break;
    }
    changes += await inTransaction((tx) => tx.leases.returnAged(today));
    return changes;
  }

  private async settle(tx: Repositories, due: LeaseDue, today: string): Promise<boolean> {
    const now = this.clock.now();
    const nextBegin = nextDay(due.leaseEnd);
    if (!due.autoRenew) return tx.leases.release(due, this.availableAgain(due, nextBegin));
    if (due.status === 'UNAVAILABLE' && due.holdUntil !== null && today > due.holdUntil) {
      return tx.leases.release(due, this.availableAgain(due, nextBegin));
    }
    const billing = await tx.billing.lockBilling(due.accountId);
    const price = billing.prices[due.kind] ?? this.options.prices[due.kind];
    if (canAfford(billing.policy, billing.balance, billing.held, price)) {
      if (!(await tx.leases.renew(due, nextBegin, leaseEndFor(nextBegin)))) return false;
      await tx.billing.record(due.accountId, [{ movement: renewal(price), asset: due.asset }], now);
      return true;
    }
    if (due.status === 'UNAVAILABLE') return false;
    return tx.leases.suspend(due, addDays(due.leaseEnd, this.options.graceDays));
  }

  /** Numbers rest for the ageing period; keywords cannot be ordered for a month after the release. */
  private availableAgain(due: LeaseDue, releasedOn: string): string {
    return due.type === 'NUMBER' ? addDays(releasedOn, this.options.agingDays) : oneMonthAfter(releasedOn);
  }
}
