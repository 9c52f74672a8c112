import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import SqliteDatabase from 'better-sqlite3';
import { migrateToLatest, openDatabase } from '../../src/store/database.ts';
import { createKyselyStore } from '../../src/store/kysely-store.ts';
import { startCheckpointer } from '../../src/store/sqlite-checkpointer.ts';
import { eventually } from '../support/eventually.ts';
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
      assert.equal(await eventually(() => jobsInMainFile(file), (seen) => seen !== 0, 5000), 1, 'the worker thread copied the log into the file');
    } finally {
      await store.close();
    }
  });

  test('the log stays bounded under a writer that never pauses for long', async () => {
    const file = path.join(dir, 'busy.db');
    const writer = openBusyWriter(file);
    const checkpointer = startCheckpointer(file, (error) => assert.fail(error), { restartAfterFrames: 500 });
    let largestLog = 0;
    try {
      for (let i = 0; i < 2500; i++) {
        await writer.commitThenPause();
        largestLog = Math.max(largestLog, statSync(`${file}-wal`).size);
      }
    } finally {
      await checkpointer.stop();
      writer.close();
    }
    // The commits write about 60 MB of frames. Restarted past 500 frames, the log held about
    // 6 MB at most (500 frames and what one interval of 250 ms adds); never restarted, it holds them all.
    assert.ok(largestLog < 5_000 * FRAME_BYTES, `the log reached ${largestLog} bytes`);
  });

  test('a reader on an old snapshot does not hold writers up behind a restart', async () => {
    const file = path.join(dir, 'read.db');
    // Its commits fail with "database is locked" after waiting a second for the lock.
    const writer = openBusyWriter(file, 1000);
    const reader = new SqliteDatabase(file);
    reader.exec('begin');
    reader.prepare('select count(*) from pages').get();
    const checkpointer = startCheckpointer(file, (error) => assert.fail(error), { restartAfterFrames: 100 });
    try {
      // A restart cannot finish while the reader keeps its snapshot; it holds the write lock as
      // it waits for the reader, and must give up long before the writer would.
      for (let i = 0; i < 1500; i++) await writer.commitThenPause();
    } finally {
      reader.exec('commit');
      reader.close();
      await checkpointer.stop();
      writer.close();
    }
  });
});

const FRAME_BYTES = 4096 + 24;

/**
 * A connection that commits four rows of 3,000 bytes (four frames) and then pauses a
 * millisecond, shorter than any checkpoint takes, as a busy server's gaps between transactions are.
 * Its own checkpoints are off, as the server's are.
 */
function openBusyWriter(file: string, timeout = 5000) {
  const writer = new SqliteDatabase(file, { timeout });
  writer.pragma('journal_mode = WAL');
  writer.pragma('synchronous = NORMAL');
  writer.pragma('wal_autocheckpoint = 0');
  writer.exec('create table pages (body blob)');
  const insert = writer.prepare('insert into pages (body) values (randomblob(3000))');
  const commit = writer.transaction(() => { for (let row = 0; row < 4; row++) insert.run(); });
  return {
    async commitThenPause(): Promise<void> {
      commit.immediate();
      await new Promise((resolve) => setTimeout(resolve, 1));
    },
    close: () => writer.close(),
  };
}
