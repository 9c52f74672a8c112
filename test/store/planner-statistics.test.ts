import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sql } from 'kysely';
import { importInventory } from '../../src/app/inventory-import.ts';
import { envToConfig } from '../../src/config/config.ts';
import { createContext } from '../../src/context.ts';
import { createTestDatabase, isPostgresPass } from '../support/test-database.ts';

const tollFree = (from: number, count: number) =>
  Array.from({ length: count }, (_, i) => ({ line: i + 2, number: `18005${String(from + i).padStart(6, '0')}` }));

test('an import that grows the inventory by a tenth or more leaves Postgres statistics for the planner', { skip: !isPostgresPass && 'Postgres only' }, async () => {
  const database = await createTestDatabase();
  const context = await createContext(envToConfig({ DATABASE_URL: database.url, NUMBERD_DEMO: '0' }));
  try {
    const known = async () => {
      const { rows: [row] } = await sql<{ rows: number }>`select reltuples as rows from pg_class where oid = 'numbers'::regclass`.execute(context.database.db);
      return Number(row!.rows);
    };
    assert.ok(await known() <= 0, 'a new database has no statistics for the inventory');
    assert.equal((await importInventory(context.store, tollFree(0, 2000))).added, 2000);
    assert.equal(await known(), 2000);
    // 150 more is under a tenth of what the planner knows: left to autovacuum.
    await importInventory(context.store, tollFree(2000, 150));
    assert.equal(await known(), 2000);
    await importInventory(context.store, tollFree(2150, 300));
    assert.equal(await known(), 2450);
  } finally {
    await context.close();
    await database.drop();
  }
});
