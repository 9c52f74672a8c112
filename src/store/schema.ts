import type { Generated } from 'kysely';

/**
 * Row types, one interface per table. Flags are integers 0/1 and instants are epoch
 * milliseconds on both dialects, so repository code never branches on the database.
 */
export interface AccountTable {
  id: Generated<number>;
  login: string;
  created_at: number;
  /** Sum of ledger amounts, kept with every entry. */
  balance: Generated<number>;
  /** Sum of ledger hold deltas. */
  held: Generated<number>;
  tier_one: number | null;
  tier_two: number | null;
  credit_limit: number | null;
  price_local: number | null;
  price_toll_free: number | null;
  price_keyword: number | null;
}

export interface LedgerEntryTable {
  id: Generated<number>;
  account_id: number;
  kind: string;
  amount: number;
  hold_delta: number;
  order_id: number | null;
  asset: string | null;
  created_at: number;
}

export interface CredentialTable {
  id: Generated<number>;
  account_id: number;
  login: string;
  /** scrypt$N$r$p$salt$hash, all base64 where binary. */
  password_hash: string;
  created_at: number;
  revoked_at: number | null;
}

export interface RegionTable {
  /** NPA-NXX with the country code, e.g. "1310555". */
  prefix: string;
  city: string;
  state: string;
  zipcode: string;
  country: string;
  lata: string;
  rate_center: string;
  latitude: number;
  longitude: number;
  time_zone: string;
}

/** Inventory state of an asset, apart from the customer-facing NumberStatus of an owned one. */
export type InventoryState = 'AVAILABLE' | 'RESERVED' | 'OWNED' | 'AGING';

export interface NumberTable {
  number: string;
  toll_free: number;
  /** Region prefix for local numbers; null for toll-free. */
  prefix: string | null;
  state: InventoryState;
  /** The order holding the reservation while state = RESERVED. */
  order_id: number | null;
  account_id: number | null;
  status: string | null;
  lease_begin: string | null;
  lease_end: string | null;
  auto_renew: number | null;
  call_feature: string | null;
  text_feature: string | null;
  inbound_type: string | null;
  hold_until: string | null;
}

/** The number's inbound call configuration (at most one per number; its id is the wire's @id). */
export interface InboundConfigTable {
  id: Generated<number>;
  number: string;
  type: string;
  transfer_numbers: string | null;
  screen: number | null;
  record: number | null;
  intro_sound_id: number | null;
  whisper_sound_id: number | null;
  dialplan_xml: string | null;
}

export interface KeywordTable {
  short_code: string;
  keyword: string;
  state: InventoryState;
  order_id: number | null;
  account_id: number | null;
  status: string | null;
  lease_begin: string | null;
  lease_end: string | null;
  auto_renew: number | null;
  hold_until: string | null;
}

export interface OrderTable {
  id: Generated<number>;
  account_id: number;
  status: string;
  created_at: number;
  updated_at: number;
  total_cost: number;
  local_ordered: number;
  local_unit_cost: number;
  toll_free_ordered: number;
  toll_free_unit_cost: number;
  keyword_ordered: number;
  keyword_unit_cost: number;
  held: Generated<number>;
  tier_one_approver: string | null;
  tier_two_approver: string | null;
  rejected_by: string | null;
  reject_reason: string | null;
  payment_due_at: number | null;
}

export type OrderItemState = 'RESERVED' | 'FULFILLED' | 'UNAVAILABLE';

export interface OrderItemTable {
  order_id: number;
  /** Request order, so Fulfilled lists assets as they were asked for. */
  position: number;
  kind: string;
  asset: string;
  state: OrderItemState;
}

export interface LabelTable {
  id: Generated<number>;
  account_id: number;
  name: string;
}

export interface NumberLabelTable {
  label_id: number;
  number: string;
}

export interface JobTable {
  id: Generated<number>;
  kind: string;
  payload: string;
  run_at: number;
  attempts: number;
  max_attempts: number;
  locked_at: number | null;
  locked_by: string | null;
  last_error: string | null;
  created_at: number;
}

export interface Database {
  accounts: AccountTable;
  ledger_entries: LedgerEntryTable;
  credentials: CredentialTable;
  regions: RegionTable;
  numbers: NumberTable;
  inbound_configs: InboundConfigTable;
  keywords: KeywordTable;
  orders: OrderTable;
  order_items: OrderItemTable;
  labels: LabelTable;
  number_labels: NumberLabelTable;
  jobs: JobTable;
}
