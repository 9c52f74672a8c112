import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, describe, test } from 'node:test';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, sql } from 'kysely';
import { startCheckpointer } from '../../src/store/sqlite-checkpointer.ts';
import { ImmediateSqliteDialect, type ImmediateSqliteDialectConfig } from '../../src/store/sqlite-dialect.ts';
import { SqliteWriteLock } from '../../src/store/sqlite-write-lock.ts';
import { isPostgresPass } from '../support/test-database.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'numberd-write-lock-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function openFile(name: string, timeout = 5000): SqliteDatabase.Database {
  const connection = new SqliteDatabase(path.join(dir, name), { timeout });
  connection.pragma('journal_mode = WAL');
  connection.pragma('wal_autocheckpoint = 0');
  return connection;
}

function openKysely(connection: SqliteDatabase.Database, options: Omit<ImmediateSqliteDialectConfig, 'database'>): Kysely<any> {
  return new Kysely<any>({ dialect: new ImmediateSqliteDialect({ database: connection, ...options }) });
}

/** Whether the lock can be taken now (it is then released again). */
async function isFree(lock: SqliteWriteLock): Promise<boolean> {
  const taken = await Promise.race([lock.acquire().then(() => true), sleep(200, false)]);
  if (taken) lock.release();
  return taken;
}

describe('the write lock of a SQLite file among the threads of a process', { skip: isPostgresPass && 'SQLite only' }, () => {
  test('a transaction waits for the lock as a promise, and releases it when it commits or rolls back', async () => {
    const lock = new SqliteWriteLock();
    const db = openKysely(openFile('tx.db'), { writeLock: lock });
    try {
      await sql`create table t (n integer)`.execute(db);
      await lock.acquire();
      let ran = false;
      const transaction = db.transaction().execute(async (trx) => {
        ran = true;
        await sql`insert into t values (1)`.execute(trx);
      });
      // The timer fires, so the event loop runs while the transaction waits.
      await sleep(50);
      assert.equal(ran, false, 'the transaction began while another holder had the lock');
      lock.release();
      await transaction;
      assert.equal(ran, true);
      assert.equal(await isFree(lock), true, 'a commit releases the lock');

      await assert.rejects(db.transaction().execute(async (trx) => {
        await sql`insert into t values (2)`.execute(trx);
        throw new Error('body failed');
      }), /body failed/);
      assert.equal(await isFree(lock), true, 'a rollback releases the lock');
      const { rows } = await sql<{ n: number }>`select n from t`.execute(db);
      assert.deepEqual(rows, [{ n: 1 }]);
    } finally {
      await db.destroy();
    }
  });

  test('a BEGIN that fails (another process writes) releases the lock', async () => {
    const lock = new SqliteWriteLock();
    const db = openKysely(openFile('busy.db', 0), { writeLock: lock });
    const otherProcess = openFile('busy.db');
    try {
      await sql`create table t (n integer)`.execute(db);
      otherProcess.exec('begin immediate');
      await assert.rejects(db.transaction().execute(async (trx) => { await sql`insert into t values (1)`.execute(trx); }), /locked|busy/i);
      assert.equal(await isFree(lock), true, 'the failed BEGIN left the lock held');
      otherProcess.exec('commit');
      await db.transaction().execute(async (trx) => { await sql`insert into t values (1)`.execute(trx); });
    } finally {
      otherProcess.close();
      await db.destroy();
    }
  });

  test("a BEGIN waits for another process's write lock on timers, with the event loop free, and gives up after its timeout", async () => {
    const connection = openFile('wait.db');
    const db = openKysely(connection, { writeLock: new SqliteWriteLock(), busyTimeoutMs: 5000 });
    const otherProcess = openFile('wait.db');
    try {
      await sql`create table t (n integer)`.execute(db);
      otherProcess.exec('begin immediate');
      const transaction = db.transaction().execute(async (trx) => { await sql`insert into t values (1)`.execute(trx); });
      let ticks = 0;
      const ticker = setInterval(() => { ticks++; }, 10);
      await sleep(300);
      clearInterval(ticker);
      otherProcess.exec('commit');
      await transaction;
      // Asleep in SQLite's busy handler, the thread would run no timer until the other process committed.
      assert.ok(ticks >= 10, `the event loop ran ${ticks} timers in 300 ms while the BEGIN waited`);
      assert.equal(connection.pragma('busy_timeout', { simple: true }), 5000, 'other statements wait for the lock as before');

      const impatient = openKysely(openFile('wait.db'), { busyTimeoutMs: 100 });
      try {
        otherProcess.exec('begin immediate');
        await assert.rejects(impatient.transaction().execute(async (trx) => { await sql`insert into t values (2)`.execute(trx); }),
          (error: { code?: string }) => error.code === 'SQLITE_BUSY');
      } finally {
        otherProcess.exec('commit');
        await impatient.destroy();
      }
    } finally {
      otherProcess.close();
      await db.destroy();
    }
  });

  test("a restart of the log waits for the process's lock before it takes SQLite's", async () => {
    // A connection of another process, which meets SQLite's lock alone and never waits for it.
    const otherProcess = openFile('restart.db', 0);
    otherProcess.exec('create table pages (body blob)');
    const insert = otherProcess.prepare('insert into pages (body) values (randomblob(3000))');
    for (let i = 0; i < 200; i++) insert.run();
    // A reader on an old snapshot: a restart holds SQLite's write lock while it waits for it to end.
    const reader = openFile('restart.db');
    reader.exec('begin');
    reader.prepare('select count(*) from pages').get();
    const lock = new SqliteWriteLock();
    await lock.acquire();
    const checkpointer = startCheckpointer(path.join(dir, 'restart.db'), (error) => assert.fail(error), { restartAfterFrames: 100, writeLock: lock });
    const writeUntil = async (ms: number, stopWhenBusy: boolean) => {
      let busy = 0;
      const deadline = performance.now() + ms;
      while (performance.now() < deadline && !(stopWhenBusy && busy > 0)) {
        try {
          otherProcess.exec('begin immediate');
          insert.run();
          otherProcess.exec('commit');
        } catch (error) {
          if ((error as { code?: string }).code !== 'SQLITE_BUSY') throw error;
          busy++;
        }
        await sleep(1);
      }
      return busy;
    };
    try {
      // Three checkpoint intervals with the log past its limit: held here, the lock keeps every restart out.
      assert.equal(await writeUntil(800, false), 0, "a restart took SQLite's write lock while the process held its own");
      lock.release();
      assert.ok(await writeUntil(3000, true) > 0, 'no restart ran once the lock was free');
    } finally {
      reader.exec('commit');
      reader.close();
      await checkpointer.stop();
      otherProcess.close();
    }
  });

  test('a restart gets the lock from a connection that commits back to back', async () => {
    const file = path.join(dir, 'steady.db');
    const lock = new SqliteWriteLock();
    const db = openKysely(openFile('steady.db'), { writeLock: lock });
    const checkpointer = startCheckpointer(file, (error) => assert.fail(error), { restartAfterFrames: 500, writeLock: lock });
    let largestLog = 0;
    try {
      await sql`create table pages (body blob)`.execute(db);
      // Each transaction writes four frames and the next asks for the lock at once, as a server
      // under load does: the checkpointer's thread must still get the lock between two of them.
      // Meanwhile nothing but the wait for the lock keeps this process alive.
      for (let i = 0; i < 2500; i++) {
        await db.transaction().execute(async (trx) => {
          for (let row = 0; row < 4; row++) await sql`insert into pages (body) values (randomblob(3000))`.execute(trx);
        });
        if (i % 10 === 0) largestLog = Math.max(largestLog, statSync(`${file}-wal`).size);
      }
    } finally {
      await checkpointer.stop();
      await db.destroy();
    }
    // About 10,000 frames written; restarted past 500, the log held a few thousand at most.
    assert.ok(largestLog < 5_000 * (4096 + 24), `the log reached ${largestLog} bytes`);
  });
});
