import assert from 'node:assert/strict';
import { test } from 'node:test';
import pg from 'pg';
import { envToConfig } from '../../src/config/config.ts';
import { createContext } from '../../src/context.ts';
import { TEST_INVENTORY } from '../support/harness.ts';
import { seedDatabase } from '../support/seed.ts';
import { createTestDatabase, isPostgresPass } from '../support/test-database.ts';

// A worker finishing an order locks its numbers and keywords in table order. A create holding a
// lock on one of them (taken, so not even its own) could wait for the worker on another: a
// deadlock, which Postgres breaks by failing one of the two. Creates must lock only what they take.
test('a create that finds named numbers and keywords taken holds no lock on them', { skip: !isPostgresPass && 'row locks: Postgres only' }, async () => {
  const database = await createTestDatabase();
  const { numbers } = await seedDatabase(database.url, { accounts: ['first', 'second'], inventory: TEST_INVENTORY });
  const context = await createContext(envToConfig({ DATABASE_URL: database.url, NUMBERD_DEMO: '0' }));
  const probe = new pg.Client({ connectionString: database.url });
  await probe.connect();
  try {
    const accountOf = async (login: string) => (await context.store.accounts.findByLogin(login))!.id;
    const first = await context.services.orders.createOrder(await accountOf('first'), { numbers: [numbers[0]!], keywords: ['LOCKA', 'LOCKB'] });
    const shortCode = context.config.shortCode;
    let probed = false;
    // A second order's reservation, its transaction kept open while another connection asks for the rows.
    await context.store.transaction(async (tx) => {
      const second = await tx.orders.insert([{ accountId: await accountOf('second'), ordered: { LOCAL: 2, TOLL_FREE: 0, KEYWORD: 3 }, unitCost: { LOCAL: 0, TOLL_FREE: 0, KEYWORD: 0 } }], new Date());
      const taken = await tx.inventory.reserveKeywords(shortCode, new Map(['LOCKA', 'LOCKB', 'LOCKC'].map((keyword) => [keyword, second[0]!])));
      assert.deepEqual(taken, ['LOCKC']);
      assert.deepEqual(await tx.inventory.reserveNumbers(new Map([[numbers[0]!, second[0]!], [numbers[1]!, second[0]!]])), [numbers[1]]);
      const number = await probe.query('select order_id from numbers where number = $1 for update nowait', [numbers[0]]);
      assert.equal(Number(number.rows[0].order_id), first);
      const { rows } = await probe.query(`select keyword, order_id from keywords where keyword in ('LOCKA', 'LOCKB') order by keyword for update nowait`);
      assert.deepEqual(rows.map((row) => [row.keyword, Number(row.order_id)]), [['LOCKA', first], ['LOCKB', first]]);
      probed = true;
    });
    assert.ok(probed);
  } finally {
    await probe.end();
    await context.close();
    await database.drop();
  }
});
