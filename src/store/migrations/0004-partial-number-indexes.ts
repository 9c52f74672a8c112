import { type Kysely, sql } from 'kysely';
import type { MigrationContext } from './context.ts';

/**
 * Every index on `numbers` held every number, so each order moved entries in five indexes twice
 * (reserve, then assign), and a commit writes every page it touched. Each index now holds only
 * the rows its queries look for: available numbers for searches and bulk reservations, reserved
 * ones by order, owned ones by account, leased ones by lease end. An order now inserts or
 * deletes entries instead of moving them, and an import fills two indexes instead of five.
 * Queries name the indexed state as a literal (`state = 'AVAILABLE'`), which is what lets the
 * planners match them to a partial index.
 */
export async function up(db: Kysely<any>, _ctx: MigrationContext): Promise<void> {
  for (const name of ['numbers_available', 'numbers_region_available', 'numbers_order', 'numbers_account', 'numbers_lease_end']) {
    await db.schema.dropIndex(name).execute();
  }
  const available = sql<boolean>`state = 'AVAILABLE'`;
  await db.schema.createIndex('numbers_available').on('numbers').columns(['toll_free', 'number']).where(available).execute();
  await db.schema.createIndex('numbers_region_available').on('numbers').columns(['prefix', 'toll_free', 'number']).where(available).execute();
  await db.schema.createIndex('numbers_order').on('numbers').column('order_id').where(sql<boolean>`order_id is not null`).execute();
  await db.schema.createIndex('numbers_account').on('numbers').columns(['account_id', 'number']).where(sql<boolean>`account_id is not null`).execute();
  await db.schema.createIndex('numbers_lease_end').on('numbers').columns(['state', 'lease_end']).where(sql<boolean>`lease_end is not null`).execute();
}
