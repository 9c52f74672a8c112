import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import SqliteDatabase from 'better-sqlite3';
import { migrateToLatest, openDatabase } from '../../src/store/database.ts';
import { createKyselyStore } from '../../src/store/kysely-store.ts';
import { isPostgresPass } from '../support/test-database.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'numberd-group-commit-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('SQLite transactions started in one turn of the event loop', { skip: isPostgresPass && 'Postgres runs transactions side by side instead' }, () => {
  test('share one commit; one that throws is rolled back alone; nobody settles or runs effects before the commit', async () => {
    const file = path.join(dir, 'group.db');
    const database = openDatabase({ url: `sqlite:${file}` });
    await migrateToLatest(database);
    const store = createKyselyStore(database);
    // Another connection sees only what committed.
    const observer = new SqliteDatabase(file, { readonly: true });
    const committedJobs = () => (observer.prepare('select count(*) as n from jobs').get() as { n: number }).n;
    try {
      const effects: string[] = [];
      const seenByThird: number[] = [];
      const first = store.transaction(async (tx, afterCommit) => {
        await tx.jobs.enqueue('first', [{}], new Date(), 1);
        afterCommit(() => effects.push('first'));
        return 'one';
      });
      const second = store.transaction(async (tx, afterCommit) => {
        await tx.jobs.enqueue('second', [{}], new Date(), 1);
        afterCommit(() => effects.push('second'));
        throw new Error('second fails');
      });
      const third = store.transaction(async (tx, afterCommit) => {
        await tx.jobs.enqueue('third', [{}], new Date(), 1);
        seenByThird.push(committedJobs());
        afterCommit(() => effects.push('third'));
        return 'three';
      });
      const settled = await Promise.allSettled([first, second, third]);
      assert.deepEqual(seenByThird, [0], 'the first had not committed while the third ran: one transaction');
      assert.deepEqual(settled.map((s) => s.status), ['fulfilled', 'rejected', 'fulfilled']);
      assert.equal((settled[1] as PromiseRejectedResult).reason.message, 'second fails');
      assert.deepEqual(effects, ['first', 'third']);
      const kinds = observer.prepare('select kind from jobs order by id').all().map((row) => (row as { kind: string }).kind);
      assert.deepEqual(kinds, ['first', 'third'], 'the failed body left nothing');
    } finally {
      observer.close();
      await store.close();
    }
  });

  test('a lone transaction that throws rolls back and rejects', async () => {
    const database = openDatabase({ url: 'sqlite::memory:' });
    await migrateToLatest(database);
    const store = createKyselyStore(database);
    try {
      await assert.rejects(store.transaction(async (tx) => {
        await tx.jobs.enqueue('lone', [{}], new Date(), 1);
        throw new Error('lone fails');
      }), /lone fails/);
      assert.deepEqual(await store.transaction((tx) => tx.jobs.claim('w', new Date(Date.now() + 1000), new Date(0), 10)), []);
    } finally {
      await store.close();
    }
  });
});
