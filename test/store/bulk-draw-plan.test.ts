import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sql } from 'kysely';
import { DEMO_INVENTORY, generateDemoInventory } from '../../src/store/demo/demo-inventory.ts';
import { withPlannedStore } from '../support/query-plans.ts';
import { isPostgresPass } from '../support/test-database.ts';

const TAKEN_LOCAL = 1_800;
const TAKEN_TOLL_FREE = 300;
const BATCH = 6;

test('Postgres draws bulk orders and lists toll-free numbers from the available-numbers index, not past every number sold', { skip: !isPostgresPass && 'Postgres only' }, async () => {
  await withPlannedStore(async ({ db, store, executed, planOf }) => {
    const inventory = generateDemoInventory(DEMO_INVENTORY);
    await store.transaction((tx) => tx.inventory.add(inventory.regions, inventory.numbers));
    const account = await store.accounts.create('draws', new Date());
    // Statistics as an import leaves them, then the lowest numbers of each kind taken by earlier
    // bulk orders, batch after batch, as a server in use has them.
    await sql`analyze numbers`.execute(db);
    const none = { LOCAL: 0, TOLL_FREE: 0, KEYWORD: 0 };
    const [earlier] = await store.orders.insert([{ accountId: account.id, ordered: { ...none, LOCAL: TAKEN_LOCAL, TOLL_FREE: TAKEN_TOLL_FREE }, unitCost: none }], new Date());
    for (const [source, count] of [[{ kind: 'LOCAL', region: {} }, TAKEN_LOCAL], [{ kind: 'TOLL_FREE' }, TAKEN_TOLL_FREE]] as const) {
      for (let taken = 0; taken < count; taken += BATCH) {
        await store.transaction((tx) => tx.inventory.reserveBulk(source, [{ orderId: earlier!, count: BATCH }]));
      }
    }
    const { rows: lowest } = await sql<{ number: string; toll_free: number }>`select distinct on (toll_free) number, toll_free from numbers
      where state = 'AVAILABLE' order by toll_free, number`.execute(db);
    const [orderId] = await store.orders.insert([{ accountId: account.id, ordered: { ...none, LOCAL: 1, TOLL_FREE: 1 }, unitCost: none }], new Date());

    for (const source of [{ kind: 'LOCAL', region: {} }, { kind: 'TOLL_FREE' }] as const) {
      executed.length = 0;
      const [taken] = await store.transaction((tx) => tx.inventory.reserveBulk(source, [{ orderId: orderId!, count: 1 }]));
      // Still the lowest available number of its kind.
      assert.deepEqual(taken, [lowest.find((row) => row.toll_free === (source.kind === 'TOLL_FREE' ? 1 : 0))!.number]);
      const draw = executed.find((query) => /for update skip locked/.test(query.sql));
      assert.ok(draw, `${source.kind}: the draw picks candidates with skip locked`);
      const plan = await planOf(draw);
      assert.match(plan, /numbers_available/, `${source.kind}:\n${plan}`);
      assert.doesNotMatch(plan, /numbers_pkey/, `${source.kind}:\n${plan}`);
    }

    executed.length = 0;
    const found = await store.inventory.searchAvailable({}, true, 10);
    assert.equal(found.length, 10);
    const plan = await planOf(executed.at(-1)!);
    assert.match(plan, /numbers_available/, plan);
    assert.doesNotMatch(plan, /numbers_pkey/, plan);
  });
});
