import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import SqliteDatabase from 'better-sqlite3';
import { migrateToLatest, openDatabase } from '../../src/store/database.ts';
import { createKyselyStore } from '../../src/store/kysely-store.ts';
import { isPostgresPass } from '../support/test-database.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'numberd-checkpoint-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/**
 * Jobs in the database file alone, as if the write-ahead log were lost: only what was checkpointed.
 * A copy taken while the checkpoint is writing pages may be torn; that counts as not there yet.
 */
function jobsInMainFile(file: string): number {
  const copy = path.join(dir, `copy-${Date.now()}.db`);
  copyFileSync(file, copy);
  const db = new SqliteDatabase(copy, { readonly: true });
  try {
    const table = db.prepare("select count(*) as n from sqlite_master where name = 'jobs'").get() as { n: number };
    return table.n === 0 ? 0 : (db.prepare('select count(*) as n from jobs').get() as { n: number }).n;
  } catch (error) {
    if ((error as { code?: string }).code === 'SQLITE_CORRUPT') return 0;
    throw error;
  } finally {
    db.close();
  }
}

describe('background checkpoints of a SQLite file', { skip: isPostgresPass && 'SQLite only' }, () => {
  test('a commit reaches the database file without the committing connection checkpointing', async () => {
    const file = path.join(dir, 'server.db');
    const database = openDatabase({ url: `sqlite:${file}`, backgroundCheckpoints: true });
    await migrateToLatest(database);
    const store = createKyselyStore(database);
    try {
      await store.jobs.enqueue('any', [{}], new Date(), 1);
      let seen = jobsInMainFile(file);
      for (let waited = 0; seen === 0 && waited < 5000; waited += 50) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        seen = jobsInMainFile(file);
      }
      assert.equal(seen, 1, 'the worker thread copied the log into the file');
    } finally {
      await store.close();
    }
  });
});
