import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { sql } from 'kysely';
import { migrateToLatest, openDatabase } from '../../src/store/database.ts';
import { prepared, preparedPerShape } from '../../src/store/prepared.ts';
import { createTestDatabase, isPostgresPass } from '../support/test-database.ts';

const jobsOfKind = prepared((db, kind: string, minAttempts: number) => db.selectFrom('jobs')
  .select(['kind', 'payload'])
  // A constant of the query (3) between two slots: it must keep its place in the parameters.
  .where('kind', '=', kind).where('max_attempts', '=', 3).where('attempts', '>=', minAttempts)
  .orderBy('id'));
const addJob = prepared((db, kind: string, payload: string) => db.insertInto('jobs').values({
  kind, payload, run_at: 0, attempts: 1, max_attempts: 3, locked_at: null, locked_by: null, last_error: null, created_at: 0,
}));

let shapesBuilt = 0;
/** Jobs of any of `count` kinds: the list's length is the shape, a slot follows it. */
const jobsOfKinds = preparedPerShape(String, (db, count: number, minAttempts: number, ...kinds: string[]) => {
  shapesBuilt++;
  return db.selectFrom('jobs').select('payload').where('kind', 'in', kinds.slice(0, count)).where('attempts', '>=', minAttempts).orderBy('id');
}, { keep: 2 });

describe(`prepared queries (${isPostgresPass ? 'postgres' : 'sqlite'})`, () => {
  test('run with each call\'s values in their slots, on the database and inside transactions alike', async () => {
    const testDatabase = await createTestDatabase();
    const handle = openDatabase({ url: testDatabase.url });
    const { db } = handle;
    try {
      await migrateToLatest(handle);
      await addJob(db, 'a', '{"n":1}');
      await db.transaction().execute(async (trx) => {
        await addJob(trx, 'b', '{"n":2}');
        await addJob(trx, 'a', '{"n":3}');
        assert.deepEqual((await jobsOfKind(trx, 'b', 1)).rows, [{ kind: 'b', payload: '{"n":2}' }], 'the transaction sees its own rows');
      });
      assert.deepEqual((await jobsOfKind(db, 'a', 1)).rows.map((r) => r.payload), ['{"n":1}', '{"n":3}']);
      assert.deepEqual((await jobsOfKind(db, 'a', 2)).rows, [], 'the second slot is the second argument');
      await sql`update jobs set max_attempts = 4 where payload = '{"n":1}'`.execute(db);
      assert.deepEqual((await jobsOfKind(db, 'a', 0)).rows.map((r) => r.payload), ['{"n":3}'], 'the constant still applies');

      const payloads = async (minAttempts: number, ...kinds: string[]) => (await jobsOfKinds(db, kinds.length, minAttempts, ...kinds)).rows.map((r) => r.payload);
      assert.deepEqual(await payloads(1, 'b'), ['{"n":2}']);
      assert.deepEqual(await payloads(1, 'b', 'a'), ['{"n":1}', '{"n":2}', '{"n":3}']);
      assert.deepEqual(await payloads(1, 'c'), [], 'a kept shape runs with the new values');
      assert.deepEqual(await payloads(2, 'a', 'b'), [], 'the slot after the list');
      assert.equal(shapesBuilt, 2);
      // Two shapes are kept: a third drops the least recently used (one kind), not the other.
      assert.deepEqual(await payloads(1, 'a', 'b', 'c'), ['{"n":1}', '{"n":2}', '{"n":3}']);
      assert.deepEqual(await payloads(1, 'x', 'a'), ['{"n":1}', '{"n":3}']);
      assert.equal(shapesBuilt, 3);
      assert.deepEqual(await payloads(1, 'a'), ['{"n":1}', '{"n":3}']);
      assert.equal(shapesBuilt, 4);
    } finally {
      await handle.close();
      await testDatabase.drop();
    }
  });
});
