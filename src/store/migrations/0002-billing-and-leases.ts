import type { Kysely } from 'kysely';
import { type MigrationContext, withId } from './context.ts';

/** Balances, the ledger, approval policies, per-account prices, order approvals and lease ageing. */
export async function up(db: Kysely<any>, ctx: MigrationContext): Promise<void> {
  // balance and held are caches of the ledger sums, updated in the same transaction as each entry,
  // so a spend can be a single conditional update; `ledger check` proves them against the ledger.
  await db.schema.alterTable('accounts').addColumn('balance', 'bigint', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('accounts').addColumn('held', 'bigint', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('accounts').addColumn('tier_one', 'bigint').execute();
  await db.schema.alterTable('accounts').addColumn('tier_two', 'bigint').execute();
  await db.schema.alterTable('accounts').addColumn('credit_limit', 'bigint').execute();
  await db.schema.alterTable('accounts').addColumn('price_local', 'bigint').execute();
  await db.schema.alterTable('accounts').addColumn('price_toll_free', 'bigint').execute();
  await db.schema.alterTable('accounts').addColumn('price_keyword', 'bigint').execute();

  await withId(db.schema.createTable('ledger_entries'), ctx)
    .addColumn('account_id', 'bigint', (c) => c.notNull().references('accounts.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('amount', 'bigint', (c) => c.notNull())
    .addColumn('hold_delta', 'bigint', (c) => c.notNull())
    .addColumn('order_id', 'bigint')
    .addColumn('asset', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('ledger_account').on('ledger_entries').columns(['account_id', 'id']).execute();
  await db.schema.createIndex('ledger_order').on('ledger_entries').column('order_id').execute();

  await db.schema.alterTable('orders').addColumn('held', 'bigint', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('orders').addColumn('tier_one_approver', 'text').execute();
  await db.schema.alterTable('orders').addColumn('tier_two_approver', 'text').execute();
  await db.schema.alterTable('orders').addColumn('rejected_by', 'text').execute();
  await db.schema.alterTable('orders').addColumn('reject_reason', 'text').execute();
  await db.schema.alterTable('orders').addColumn('payment_due_at', 'bigint').execute();

  for (const table of ['numbers', 'keywords']) {
    // Last day of grace for an unpaid renewal (UNAVAILABLE), or the day the asset may be sold again (AGING).
    await db.schema.alterTable(table).addColumn('hold_until', 'text').execute();
  }
  await db.schema.createIndex('numbers_lease_end').on('numbers').columns(['state', 'lease_end']).execute();
  await db.schema.createIndex('keywords_lease_end').on('keywords').columns(['state', 'lease_end']).execute();
}
