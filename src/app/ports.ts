import type { LeaseInfo, NumberConfiguration, OwnedKeyword, OwnedNumber, AvailableNumber, Region } from '../domain/inventory.ts';
import type { AssetKind, OrderLine, OrderStatus } from '../domain/order.ts';
import type { Cents } from '../domain/money.ts';
import type { E164 } from '../domain/phone-number.ts';
import type { LedgerKind, LedgerMovement } from '../domain/ledger.ts';
import type { AccountPolicy } from '../domain/policy.ts';
import type { CalendarDay } from '../domain/lease.ts';

/** Time comes from here only, so tests and the sandbox can move it. */
export interface Clock {
  now(): Date;
}

export interface Page {
  firstResult: number;
  maxResults: number;
}

export interface PageOf<T> {
  /** Every match, not only this page. */
  total: number;
  items: T[];
}

export type RegionFilter = Region;

export interface AccountRecord {
  id: number;
  login: string;
  createdAt: number;
}

export interface AccountRepository {
  create(login: string, now: Date): Promise<AccountRecord>;
  findByLogin(login: string): Promise<AccountRecord | undefined>;
  findById(id: number): Promise<AccountRecord | undefined>;
  list(): Promise<AccountRecord[]>;
  addCredential(accountId: number, login: string, passwordHash: string, now: Date): Promise<void>;
  /** The active (not revoked) credential with this login. */
  findCredential(login: string): Promise<{ accountId: number; passwordHash: string } | undefined>;
  /** Whether an account or any credential, revoked ones included, has ever had this login. */
  isLoginTaken(login: string): Promise<boolean>;
  /** Revokes an active credential of the account; false when there is none with that login. */
  revokeCredential(accountId: number, login: string, now: Date): Promise<boolean>;
  /** Those of these logins whose credential is revoked. */
  revokedAmong(logins: readonly string[]): Promise<string[]>;
  credentials(accountId: number): Promise<{ login: string; createdAt: number }[]>;
}

/** What a bulk request draws from: local numbers in a region, or toll-free numbers. */
export type BulkSource = { kind: 'LOCAL'; region: RegionFilter } | { kind: 'TOLL_FREE' };

export interface InventoryRepository {
  queryRegions(filter: RegionFilter, page: Page): Promise<PageOf<Region>>;
  searchAvailable(filter: RegionFilter, tollFree: boolean, count: number): Promise<AvailableNumber[]>;
  /** Reserves each number that is available for the order it maps to; returns the ones it reserved. */
  reserveNumbers(orderOf: ReadonlyMap<E164, number>): Promise<E164[]>;
  /** Reserves up to `count` available numbers from `source` for each order, in turn; returns each one's. */
  reserveBulk(source: BulkSource, wants: readonly { orderId: number; count: number }[]): Promise<E164[][]>;
  /** Which of `keywords` (canonical form) nobody may order right now. */
  unavailableKeywords(shortCode: string, keywords: readonly string[]): Promise<Set<string>>;
  /** Reserves each keyword (canonical form) that is available for the order it maps to; returns the ones it reserved. */
  reserveKeywords(shortCode: string, orderOf: ReadonlyMap<string, number>): Promise<string[]>;
  /**
   * Makes every asset reserved by the orders the account's own; returns what it assigned.
   * `kinds` says which of numbers and keywords the orders asked for, so the other is not searched.
   */
  assignReserved(orderIds: readonly number[], accountId: number, lease: LeaseInfo, configuration: NumberConfiguration, kinds: { numbers: boolean; keywords: boolean }): Promise<{ numbers: E164[]; keywords: string[] }>;
  /** Returns every asset still reserved by the order to the inventory. */
  releaseReservations(orderId: number): Promise<void>;
  /** Adds regions (kept when already known) and available numbers; returns how many numbers were new. */
  add(regions: readonly Required<Region>[], numbers: readonly NewInventoryNumber[]): Promise<number>;
  stats(): Promise<InventoryStats>;
  /** Whether the inventory holds no number at all, in any state. */
  isEmpty(): Promise<boolean>;
}

export interface NewInventoryNumber {
  number: E164;
  tollFree: boolean;
  /** Region prefix of a local number; null for toll-free. */
  prefix: string | null;
}

export interface InventoryStats {
  regions: number;
  /** Numbers per inventory state, split local / toll-free. */
  numbers: { state: string; tollFree: boolean; count: number }[];
  keywords: { state: string; count: number }[];
}

export interface OwnedAssetRepository {
  queryNumbers(accountId: number, filter: RegionFilter, labelName: string | undefined, page: Page): Promise<PageOf<OwnedNumber>>;
  getNumber(accountId: number, number: E164): Promise<OwnedNumber | undefined>;
  configureNumber(accountId: number, number: E164, configuration: NumberConfiguration): Promise<boolean>;
  queryKeywords(accountId: number, page: Page): Promise<PageOf<OwnedKeyword>>;
  /** Turns auto-renewal off; false when the account does not own the asset. */
  stopNumberRenewal(accountId: number, number: E164): Promise<boolean>;
  stopKeywordRenewal(accountId: number, shortCode: string, keyword: string): Promise<boolean>;
}

export interface NewOrder {
  accountId: number;
  ordered: Record<AssetKind, number>;
  unitCost: Record<AssetKind, Cents>;
}

export interface OrderItem {
  kind: AssetKind;
  asset: string;
  state: 'RESERVED' | 'UNAVAILABLE';
}

export interface OrderRecord {
  id: number;
  accountId: number;
  status: OrderStatus;
  createdAt: Date;
  totalCost: Cents;
  lines: Partial<Record<AssetKind, OrderLine>>;
  /** What the reserved assets would cost: the amount approvals and holds are about. */
  estimate: Cents;
  /** Assets reserved for the order and not yet handed over. */
  reserved: { kind: AssetKind; asset: string }[];
  /** Funds held for the order while it is PROCESSING. */
  held: Cents;
  tierOneApprover: string | null;
  tierTwoApprover: string | null;
  paymentDueAt: Date | null;
}

/** What an order holds, owes by when, and was charged; written with every status change. */
export interface OrderMoney {
  held: Cents;
  paymentDueAt: Date | null;
  totalCost: Cents;
}

export interface OrderMove {
  id: number;
  to: OrderStatus;
  money: OrderMoney;
}

export interface OrderRepository {
  /** Stores the orders as NEW; returns their ids in the same order. */
  insert(orders: readonly NewOrder[], now: Date): Promise<number[]>;
  /** Each item's position is its place in its order's list. */
  addItems(orders: readonly { orderId: number; items: readonly OrderItem[] }[]): Promise<void>;
  /** Scoped to the account when one is given: another account's order is simply absent. */
  get(id: number, accountId?: number): Promise<OrderRecord | undefined>;
  /** The orders among `ids` that exist, by id. */
  getMany(ids: readonly number[]): Promise<OrderRecord[]>;
  /**
   * Compare-and-set: moves each order still in `from` to its own status, with the money fields
   * that change with it; returns how many moved. Fewer than asked means another writer won.
   */
  moveStatus(from: OrderStatus, moves: readonly OrderMove[], now: Date): Promise<number>;
  /** The orders' items among `assets` become fulfilled; the rest they still reserve, unavailable. */
  markFulfilled(orderIds: readonly number[], assets: readonly string[]): Promise<void>;
  setApprover(id: number, tier: 'ONE' | 'TWO', approver: string): Promise<void>;
  setRejection(id: number, approver: string, reason: string): Promise<void>;
  /** Ids of orders in a status, oldest first; optionally of one account. */
  idsByStatus(status: OrderStatus, accountId?: number): Promise<number[]>;
  list(filter: { status?: OrderStatus; accountId?: number; limit: number }): Promise<OrderRecord[]>;
}

export interface AccountBilling {
  balance: Cents;
  held: Cents;
  policy: AccountPolicy;
  /** Per-account overrides; a missing kind uses the default price. */
  prices: Partial<Record<AssetKind, Cents>>;
}

/** A movement to write, with what it is about. */
export interface LedgerRecord {
  movement: LedgerMovement;
  orderId?: number;
  asset?: string;
}

export interface LedgerEntry extends LedgerMovement {
  id: number;
  accountId: number;
  orderId: number | null;
  asset: string | null;
  createdAt: Date;
}

export interface LedgerMismatch {
  accountId: number;
  login: string;
  balance: Cents;
  ledgerBalance: Cents;
  held: Cents;
  ledgerHeld: Cents;
}

export interface BillingRepository {
  /** The account's money and rules; on Postgres the row stays locked until the transaction ends. */
  lockBilling(accountId: number): Promise<AccountBilling>;
  /** The same, without a lock: for showing, never for spending. */
  readBilling(accountId: number): Promise<AccountBilling>;
  /** Writes the entries and moves the account's cached balance and held sum by their totals. */
  record(accountId: number, entries: readonly LedgerRecord[], now: Date): Promise<void>;
  setPolicy(accountId: number, policy: AccountPolicy): Promise<void>;
  setPrices(accountId: number, prices: Partial<Record<AssetKind, Cents | null>>): Promise<void>;
  entries(filter: { accountId?: number; orderId?: number; kinds?: LedgerKind[] }): Promise<LedgerEntry[]>;
  /** Accounts whose cached balance or held sum differs from their ledger. */
  mismatches(): Promise<LedgerMismatch[]>;
  /** Sum of CHARGE amounts of an order, as a positive number. */
  chargedFor(orderId: number): Promise<Cents>;
}

/** An owned asset whose lease period is over or whose grace or ageing has run out. */
export interface LeaseDue {
  type: 'NUMBER' | 'KEYWORD';
  asset: string;
  shortCode: string | null;
  accountId: number;
  kind: AssetKind;
  status: string;
  leaseBegin: CalendarDay;
  leaseEnd: CalendarDay;
  autoRenew: boolean;
  holdUntil: CalendarDay | null;
}

export interface LeaseRepository {
  /** Owned assets with lease_end before `today`, in a stable order, at most `limit`. */
  ended(today: CalendarDay, limit: number): Promise<LeaseDue[]>;
  renew(due: LeaseDue, begin: CalendarDay, end: CalendarDay): Promise<boolean>;
  suspend(due: LeaseDue, graceUntil: CalendarDay): Promise<boolean>;
  /** Ends ownership: the asset ages out of sale until `availableOn`. */
  release(due: LeaseDue, availableOn: CalendarDay): Promise<boolean>;
  /** Returns aged assets to the inventory; returns how many. */
  returnAged(today: CalendarDay): Promise<number>;
}

export interface LabelRepository {
  /** Creates the label when new; attaches it to the number (idempotent). */
  attach(accountId: number, name: string, number: E164): Promise<void>;
  /** False when the number does not carry the label. */
  detach(accountId: number, name: string, number: E164): Promise<boolean>;
  list(accountId: number, page: Page): Promise<PageOf<string>>;
  /** False when there is no such label. */
  delete(accountId: number, name: string): Promise<boolean>;
}

export interface JobRecord {
  id: number;
  kind: string;
  payload: unknown;
  attempts: number;
  maxAttempts: number;
}

export interface JobRepository {
  /** Queues a job per payload. */
  enqueue(kind: string, payloads: readonly unknown[], runAt: Date, maxAttempts: number): Promise<void>;
  /**
   * Locks up to `limit` due jobs for `workerId`, oldest first, counting the attempt; jobs locked
   * before `staleBefore` are fair game. A job claimed past its `maxAttempts` is to be given up.
   * One statement: safe with or without a transaction around it.
   */
  claim(workerId: string, now: Date, staleBefore: Date, limit: number): Promise<JobRecord[]>;
  /** Removes the jobs `workerId` still holds; returns how many (fewer when another worker took some over). */
  complete(ids: readonly number[], workerId: string): Promise<number>;
  fail(id: number, workerId: string, error: string, retryAt: Date): Promise<void>;
}

/** Repositories bound to one connection or transaction. */
export interface Repositories {
  accounts: AccountRepository;
  billing: BillingRepository;
  leases: LeaseRepository;
  inventory: InventoryRepository;
  owned: OwnedAssetRepository;
  orders: OrderRepository;
  labels: LabelRepository;
  jobs: JobRepository;
}

export interface Store extends Repositories {
  /**
   * Whether transactions started together share one commit (SQLite's single writer groups
   * them); if so, work is best started side by side, otherwise one after another, each on its
   * own connection.
   */
  readonly commitsTogether: boolean;
  /** Runs `fn` in one transaction; `afterCommit` callbacks run only once it committed. */
  transaction<T>(fn: (tx: Repositories, afterCommit: (effect: () => void) => void) => Promise<T>): Promise<T>;
  /** Whether the database answers. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}
