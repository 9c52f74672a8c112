import type { Cents } from './money.ts';

/**
 * What an account's orders must pass. Thresholds are inclusive order totals; a null
 * threshold means no approval at that tier. The credit limit is how far below zero the
 * balance may go: null = no limit (postpaid, the classic flow), 0 = strictly prepaid.
 */
export interface AccountPolicy {
  tierOne: Cents | null;
  tierTwo: Cents | null;
  creditLimit: Cents | null;
}

export const OPEN_POLICY: AccountPolicy = { tierOne: null, tierTwo: null, creditLimit: null };

export interface Approvals {
  tierOne: string | null;
  tierTwo: string | null;
}

/** The next gate an order of `total` faces, given who approved it so far. */
export function nextGate(policy: AccountPolicy, total: Cents, approvals: Approvals): 'APPROVE_TIER_ONE' | 'APPROVE_TIER_TWO' | 'PAYMENT' {
  if (policy.tierOne !== null && total >= policy.tierOne && approvals.tierOne === null) return 'APPROVE_TIER_ONE';
  if (policy.tierTwo !== null && total >= policy.tierTwo && approvals.tierTwo === null) return 'APPROVE_TIER_TWO';
  return 'PAYMENT';
}

/** Whether `amount` can be held or charged now. */
export function canAfford(policy: AccountPolicy, balance: Cents, held: Cents, amount: Cents): boolean {
  if (policy.creditLimit === null) return true;
  return balance - held + policy.creditLimit >= amount;
}
