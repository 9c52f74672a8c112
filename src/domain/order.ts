import { ConflictError } from './errors.ts';
import type { Cents } from './money.ts';

/** The ten statuses of the CallFire documentation. */
export const ORDER_STATUSES = [
  'NEW', 'PROCESSING', 'FINISHED', 'ERRORED', 'VOID', 'WAIT_FOR_PAYMENT', 'ADJUSTED',
  'APPROVE_TIER_ONE', 'APPROVE_TIER_TWO', 'REJECTED',
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export const TERMINAL_STATUSES: ReadonlySet<OrderStatus> = new Set([
  'FINISHED', 'ADJUSTED', 'ERRORED', 'VOID', 'REJECTED',
]);

export function isTerminal(status: OrderStatus): boolean {
  return TERMINAL_STATUSES.has(status);
}

/** Every allowed move; anything absent is refused. An operator may void any live order (-> VOID). */
const TRANSITIONS: Record<OrderStatus, readonly OrderStatus[]> = {
  NEW: ['APPROVE_TIER_ONE', 'WAIT_FOR_PAYMENT', 'PROCESSING', 'VOID'],
  APPROVE_TIER_ONE: ['APPROVE_TIER_TWO', 'WAIT_FOR_PAYMENT', 'PROCESSING', 'REJECTED', 'VOID'],
  APPROVE_TIER_TWO: ['WAIT_FOR_PAYMENT', 'PROCESSING', 'REJECTED', 'VOID'],
  WAIT_FOR_PAYMENT: ['PROCESSING', 'VOID'],
  PROCESSING: ['FINISHED', 'ADJUSTED', 'ERRORED', 'VOID'],
  FINISHED: [],
  ADJUSTED: [],
  ERRORED: [],
  VOID: [],
  REJECTED: [],
};

export function canTransition(from: OrderStatus, to: OrderStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

/** Throws a ConflictError naming both statuses when the move is forbidden. */
export function assertTransition(orderId: number, from: OrderStatus, to: OrderStatus): void {
  if (!canTransition(from, to)) {
    throw new ConflictError(
      `order ${orderId} cannot move from ${from} to ${to}`,
      'NBD_ERR_ILLEGAL_TRANSITION',
    );
  }
}

/** Items one order may hold, every kind together. */
export const MAX_ITEMS = 1000;

export type AssetKind = 'LOCAL' | 'TOLL_FREE' | 'KEYWORD';
export const ASSET_KINDS: readonly AssetKind[] = ['LOCAL', 'TOLL_FREE', 'KEYWORD'];

/** One line of an order as the wire shows it (NumberOrderItem). */
export interface OrderLine {
  ordered: number;
  unitCost: Cents;
  fulfilled: string[];
}

export type UnitPrices = Record<AssetKind, Cents>;

export const DEFAULT_UNIT_PRICES: UnitPrices = { LOCAL: 150, TOLL_FREE: 300, KEYWORD: 550 };

/**
 * How a processed order ends: everything obtained -> FINISHED, part -> ADJUSTED,
 * nothing -> ERRORED. TotalCost counts only what was obtained.
 */
export function completionOf(lines: Partial<Record<AssetKind, OrderLine>>): {
  status: 'FINISHED' | 'ADJUSTED' | 'ERRORED';
  totalCost: Cents;
} {
  let ordered = 0;
  let fulfilled = 0;
  let totalCost = 0;
  for (const line of Object.values(lines)) {
    ordered += line.ordered;
    fulfilled += line.fulfilled.length;
    totalCost += line.fulfilled.length * line.unitCost;
  }
  const status = fulfilled === 0 ? 'ERRORED' : fulfilled < ordered ? 'ADJUSTED' : 'FINISHED';
  return { status, totalCost };
}
