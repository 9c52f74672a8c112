import { sql, type Kysely, type QueryCreator } from 'kysely';
import type { AccountBilling, BillingRepository, LedgerEntry, LedgerMismatch, LedgerRecord } from '../../app/ports.ts';
import type { LedgerKind } from '../../domain/ledger.ts';
import type { AccountPolicy } from '../../domain/policy.ts';
import type { AssetKind } from '../../domain/order.ts';
import type { Cents } from '../../domain/money.ts';
import type { StoreCapabilities } from '../capabilities.ts';
import { prepared, preparedPerShape, slotRows } from '../prepared.ts';
import type { Database } from '../schema.ts';

const PRICE_COLUMNS = { LOCAL: 'price_local', TOLL_FREE: 'price_toll_free', KEYWORD: 'price_keyword' } as const;

// Named rather than `*`, so a column a later migration adds leaves these statements' result type
// as it was: Postgres refuses to run a named statement whose result type changed.
const BILLING_COLUMNS = ['balance', 'held', 'tier_one', 'tier_two', 'credit_limit', ...Object.values(PRICE_COLUMNS)] as const;
const selectAccount = prepared((db, id: number) => db.selectFrom('accounts').select(BILLING_COLUMNS).where('id', '=', id));
// FOR NO KEY UPDATE, not FOR UPDATE: the foreign-key checks of every order and ledger insert
// take KEY SHARE on the account row, and FOR UPDATE would make them all wait for the holder.
const selectAccountForUpdate = prepared((db, id: number) => db.selectFrom('accounts').select(BILLING_COLUMNS).where('id', '=', id).forNoKeyUpdate());

/** The slots of `count` entries: the account and time, then kind, amount, hold delta, order and asset of each. */
type EntrySlots = [accountId: number, createdAt: number, ...fields: unknown[]];

function ledgerEntries(db: QueryCreator<Database>, count: number, [accountId, createdAt, ...fields]: EntrySlots) {
  return db.insertInto('ledger_entries').values(slotRows(fields, count, 5).map(([kind, amount, holdDelta, orderId, asset]) => ({
    account_id: accountId, created_at: createdAt, kind: kind as string, amount: amount as number,
    hold_delta: holdDelta as number, order_id: orderId as number | null, asset: asset as string | null,
  })));
}
const insertLedgerEntries = preparedPerShape(String, (db, count: number, ...slots: EntrySlots) => ledgerEntries(db, count, slots));
const moveBalance = prepared((db, accountId: number, amount: number, holdDelta: number) => db.updateTable('accounts')
  .set((eb) => ({ balance: eb('balance', '+', amount), held: eb('held', '+', holdDelta) }))
  .where('id', '=', accountId));
// The update repeats moveBalance's: after the CTE the query has another database type.
const recordAndMoveBalance = preparedPerShape(String, (db, count: number, amount: number, holdDelta: number, ...slots: EntrySlots) =>
  db.with('entry', (w) => ledgerEntries(w, count, slots))
    .updateTable('accounts')
    .set((eb) => ({ balance: eb('balance', '+', amount), held: eb('held', '+', holdDelta) }))
    .where('id', '=', slots[0]));

export function createBillingRepository(db: Kysely<Database>, caps: StoreCapabilities): BillingRepository {
  async function billingOf(accountId: number, lock: boolean): Promise<AccountBilling> {
    const { rows: [row] } = lock ? await selectAccountForUpdate(db, accountId) : await selectAccount(db, accountId);
    if (!row) throw new Error(`account ${accountId} does not exist`);
    const prices: Partial<Record<AssetKind, Cents>> = {};
    for (const [kind, column] of Object.entries(PRICE_COLUMNS) as [AssetKind, keyof typeof row][]) {
      if (row[column] !== null) prices[kind] = Number(row[column]);
    }
    return {
      balance: row.balance,
      held: row.held,
      policy: { tierOne: row.tier_one, tierTwo: row.tier_two, creditLimit: row.credit_limit },
      prices,
    };
  }

  return {
    lockBilling: (accountId: number) => billingOf(accountId, caps.supportsRowLocks),
    readBilling: (accountId: number) => billingOf(accountId, false),

    async record(accountId: number, entries: readonly LedgerRecord[], now: Date): Promise<void> {
      if (entries.length === 0) return;
      const slots: EntrySlots = [accountId, now.getTime()];
      let amount = 0;
      let holdDelta = 0;
      for (const { movement, orderId, asset } of entries) {
        slots.push(movement.kind, movement.amount, movement.holdDelta, orderId ?? null, asset ?? null);
        amount += movement.amount;
        holdDelta += movement.holdDelta;
      }
      if (caps.supportsRowLocks) {
        // Postgres: the entries and the balance they move in one statement, one round trip.
        await recordAndMoveBalance(db, entries.length, amount, holdDelta, ...slots);
      } else {
        await insertLedgerEntries(db, entries.length, ...slots);
        await moveBalance(db, accountId, amount, holdDelta);
      }
    },

    async setPolicy(accountId: number, policy: AccountPolicy): Promise<void> {
      await db.updateTable('accounts')
        .set({ tier_one: policy.tierOne, tier_two: policy.tierTwo, credit_limit: policy.creditLimit })
        .where('id', '=', accountId).execute();
    },

    async setPrices(accountId: number, prices: Partial<Record<AssetKind, Cents | null>>): Promise<void> {
      const patch: Record<string, Cents | null> = {};
      for (const [kind, price] of Object.entries(prices) as [AssetKind, Cents | null][]) patch[PRICE_COLUMNS[kind]] = price;
      if (Object.keys(patch).length > 0) await db.updateTable('accounts').set(patch).where('id', '=', accountId).execute();
    },

    async entries(filter: { accountId?: number; orderId?: number; kinds?: LedgerKind[] }): Promise<LedgerEntry[]> {
      let query = db.selectFrom('ledger_entries').selectAll();
      if (filter.accountId !== undefined) query = query.where('account_id', '=', filter.accountId);
      if (filter.orderId !== undefined) query = query.where('order_id', '=', filter.orderId);
      if (filter.kinds) query = query.where('kind', 'in', filter.kinds);
      const rows = await query.orderBy('id').execute();
      return rows.map((row) => ({
        id: Number(row.id), accountId: row.account_id, kind: row.kind as LedgerKind, amount: row.amount,
        holdDelta: row.hold_delta, orderId: row.order_id, asset: row.asset, createdAt: new Date(row.created_at),
      }));
    },

    async mismatches(): Promise<LedgerMismatch[]> {
      const rows = await db
        .selectFrom('accounts as a')
        .leftJoin('ledger_entries as l', 'l.account_id', 'a.id')
        .select((eb) => [
          'a.id', 'a.login', 'a.balance', 'a.held',
          sql<number>`coalesce(sum(${eb.ref('l.amount')}), 0)`.as('ledger_balance'),
          sql<number>`coalesce(sum(${eb.ref('l.hold_delta')}), 0)`.as('ledger_held'),
        ])
        .groupBy(['a.id', 'a.login', 'a.balance', 'a.held'])
        .execute();
      return rows
        .map((r) => ({
          accountId: Number(r.id), login: r.login, balance: Number(r.balance), held: Number(r.held),
          ledgerBalance: Number(r.ledger_balance), ledgerHeld: Number(r.ledger_held),
        }))
        .filter((r) => r.balance !== r.ledgerBalance || r.held !== r.ledgerHeld);
    },

    async chargedFor(orderId: number): Promise<Cents> {
      const row = await db.selectFrom('ledger_entries')
        .select(sql<number>`coalesce(sum(amount), 0)`.as('total'))
        .where('order_id', '=', orderId).where('kind', '=', 'CHARGE')
        .executeTakeFirstOrThrow();
      return 0 - Number(row.total);
    },
  };
}
