import { sql, type Kysely } from 'kysely';
import type { AccountBilling, BillingRepository, LedgerEntry, LedgerMismatch } from '../../app/ports.ts';
import type { LedgerKind, LedgerMovement } from '../../domain/ledger.ts';
import type { AccountPolicy } from '../../domain/policy.ts';
import type { AssetKind } from '../../domain/order.ts';
import type { Cents } from '../../domain/money.ts';
import type { StoreCapabilities } from '../capabilities.ts';
import type { Database } from '../schema.ts';

const PRICE_COLUMNS = { LOCAL: 'price_local', TOLL_FREE: 'price_toll_free', KEYWORD: 'price_keyword' } as const;

export function createBillingRepository(db: Kysely<Database>, caps: StoreCapabilities): BillingRepository {
  async function billingOf(accountId: number, lock: boolean): Promise<AccountBilling> {
    let query = db.selectFrom('accounts').selectAll().where('id', '=', accountId);
    if (lock) query = query.forUpdate();
    const row = await query.executeTakeFirstOrThrow();
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

    async record(accountId: number, movement: LedgerMovement, refs: { orderId?: number; asset?: string }, now: Date): Promise<void> {
      await db.insertInto('ledger_entries').values({
        account_id: accountId, kind: movement.kind, amount: movement.amount, hold_delta: movement.holdDelta,
        order_id: refs.orderId ?? null, asset: refs.asset ?? null, created_at: now.getTime(),
      }).execute();
      await db.updateTable('accounts')
        .set((eb) => ({ balance: eb('balance', '+', movement.amount), held: eb('held', '+', movement.holdDelta) }))
        .where('id', '=', accountId)
        .execute();
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
