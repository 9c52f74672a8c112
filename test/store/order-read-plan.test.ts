import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sql } from 'kysely';
import { withPlannedStore } from '../support/query-plans.ts';
import { isPostgresPass } from '../support/test-database.ts';

const ORDERS = 400;
const ITEMS_PER_ORDER = 30;

test('Postgres reads a batch of orders with their items through the items index, not a scan of every item', { skip: !isPostgresPass && 'Postgres only' }, async () => {
  await withPlannedStore(async ({ db, store, executed, planOf }) => {
    const account = await store.accounts.create('plan', new Date());
    const none = { LOCAL: 0, TOLL_FREE: 0, KEYWORD: 0 };
    const ids = await store.orders.insert(Array.from({ length: ORDERS }, () => ({ accountId: account.id, ordered: { ...none, LOCAL: ITEMS_PER_ORDER }, unitCost: none })), new Date());
    await store.orders.addItems(ids.map((orderId) => ({
      orderId,
      items: Array.from({ length: ITEMS_PER_ORDER }, (_, i) => ({ kind: 'LOCAL' as const, asset: `+1415555${String(orderId * 100 + i).padStart(4, '0')}`, state: 'RESERVED' as const })),
    })));
    // With statistics, as a database in use has them: the plan a worker's claim of 32 orders gets.
    await sql`analyze orders, order_items`.execute(db);

    executed.length = 0;
    // 32 orders from the middle, in id order (what getMany answers in).
    const batch = [...ids].sort((a, b) => a - b).slice(100, 132);
    const orders = await store.orders.getMany(batch);
    assert.deepEqual(orders.map((order) => order.id), batch);
    assert.ok(orders.every((order) => order.reserved.length === ITEMS_PER_ORDER));

    const [read] = executed;
    assert.ok(read && executed.length === 1, 'getMany reads in one statement');
    const plan = await planOf(read);
    assert.doesNotMatch(plan, /Seq Scan on order_items/, plan);
    assert.match(plan, /Index (Only )?Scan using order_items_pk|Bitmap Index Scan on order_items_pk/, plan);
  });
});
