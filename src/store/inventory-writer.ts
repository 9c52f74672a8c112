import type { Kysely } from 'kysely';
import type { InventoryNumber } from './demo/demo-inventory.ts';
import type { Database, RegionTable } from './schema.ts';

const BATCH = 500;

/** Adds regions and available numbers; rows already present are left as they are. Returns rows added. */
export async function addInventory(db: Kysely<Database>, regions: readonly RegionTable[], numbers: readonly InventoryNumber[]): Promise<number> {
  return db.transaction().execute(async (trx) => {
    for (let i = 0; i < regions.length; i += BATCH) {
      await trx.insertInto('regions').values(regions.slice(i, i + BATCH))
        .onConflict((oc) => oc.column('prefix').doNothing()).execute();
    }
    let added = 0;
    for (let i = 0; i < numbers.length; i += BATCH) {
      const rows = numbers.slice(i, i + BATCH).map((n) => ({
        number: n.number, toll_free: n.tollFree ? 1 : 0, prefix: n.prefix, state: 'AVAILABLE' as const,
        order_id: null, account_id: null, status: null, lease_begin: null, lease_end: null, auto_renew: null,
        call_feature: null, text_feature: null, inbound_type: null,
      }));
      const result = await trx.insertInto('numbers').values(rows)
        .onConflict((oc) => oc.column('number').doNothing()).executeTakeFirst();
      added += Number(result.numInsertedOrUpdatedRows ?? 0n);
    }
    return added;
  });
}

export async function inventoryIsEmpty(db: Kysely<Database>): Promise<boolean> {
  const row = await db.selectFrom('numbers').select('number').limit(1).executeTakeFirst();
  return row === undefined;
}
