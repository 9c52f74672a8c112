import type { Cents } from './money.ts';

/**
 * Every change of money is a ledger entry. `amount` moves the balance (what the account
 * has); `holdDelta` moves the part of it reserved for orders in progress. The balance is
 * the sum of amounts, the held sum the sum of hold deltas, and what an account can spend
 * is balance - held (+ its credit limit).
 */
// No REFUND: only what an order obtained is ever charged, so nothing is paid back.
export type LedgerKind = 'CREDIT' | 'HOLD' | 'CHARGE' | 'RELEASE' | 'RENEWAL';

export interface LedgerMovement {
  kind: LedgerKind;
  amount: Cents;
  holdDelta: Cents;
}

export function credit(amount: Cents): LedgerMovement {
  return { kind: 'CREDIT', amount, holdDelta: 0 };
}

export function hold(amount: Cents): LedgerMovement {
  return { kind: 'HOLD', amount: 0, holdDelta: amount };
}

/** Ends a hold: the fulfilled part is charged out of it and the rest released, together. */
export function settle(held: Cents, charged: Cents): LedgerMovement[] {
  if (charged > held) throw new Error(`cannot charge ${charged} against a hold of ${held}`);
  const movements: LedgerMovement[] = [];
  if (charged > 0) movements.push({ kind: 'CHARGE', amount: -charged, holdDelta: -charged });
  if (held - charged > 0) movements.push({ kind: 'RELEASE', amount: 0, holdDelta: -(held - charged) });
  return movements;
}

export function renewal(price: Cents): LedgerMovement {
  return { kind: 'RENEWAL', amount: -price, holdDelta: 0 };
}
