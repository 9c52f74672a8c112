import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { SqliteWriteLock } from './sqlite-write-lock.ts';

/** How often the background connection copies the write-ahead log into the database file. */
const INTERVAL_MS = 250;
/** Frames (pages) the log may hold before the checkpointer makes writers wait to start it again: 64 MiB of 4 KiB pages. */
const RESTART_AFTER_FRAMES = 16_384;

// A worker thread of its own: better-sqlite3 is synchronous, and a checkpoint ends with fsync.
const CHECKPOINTER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file);
// Only a RESTART waits: for the write lock, then, holding it, for readers of old frames to finish.
// Writers wait behind it meanwhile, so it gives up soon and tries again at a later interval.
db.pragma('busy_timeout = 100');
// The process's write lock (sqlite-write-lock.ts), a cell that is 1 while held. A restart holds
// SQLite's write lock; taking this one first keeps the event loop from sleeping in SQLite's busy
// handler meanwhile. The process holds it for one transaction at a time, never long.
const lock = workerData.writeLock ? new Int32Array(workerData.writeLock) : null;
const takeWriteLock = () => {
  while (lock && Atomics.compareExchange(lock, 0, 0, 1) !== 0) Atomics.wait(lock, 0, 1);
};
const releaseWriteLock = () => {
  if (!lock) return;
  Atomics.store(lock, 0, 0);
  Atomics.notify(lock, 0);
};
const checkpoint = () => {
  try {
    const [{ log }] = db.pragma('wal_checkpoint(PASSIVE)');
    if (log > workerData.restartAfterFrames) {
      takeWriteLock();
      try {
        db.pragma('wal_checkpoint(RESTART)');
      } finally {
        releaseWriteLock();
      }
    }
  } catch {}
};
const timer = setInterval(checkpoint, workerData.intervalMs);
parentPort.once('message', () => {
  clearInterval(timer);
  checkpoint();
  db.close();
  parentPort.close();
});
`;

export interface Checkpointer {
  /** A last checkpoint, then the thread ends. */
  stop(): Promise<void>;
}

export interface CheckpointerOptions {
  /** Past this many frames in the log, a checkpoint also starts the log again from its beginning. */
  restartAfterFrames?: number;
  /** The lock the process's connection holds from BEGIN to COMMIT; a restart takes it first. */
  writeLock?: SqliteWriteLock;
}

/**
 * Checkpoints a WAL-mode SQLite file from a worker thread, for a connection that turned its
 * own automatic checkpoints off. Left to the committing connection, a checkpoint and its
 * fsync run inside some commit on the event loop: every request waited for the disk, for
 * seconds when it was busy. Commits themselves do not sync (synchronous = NORMAL), so with
 * checkpoints elsewhere the event loop never waits for the disk.
 *
 * A passive checkpoint never blocks the writer, but the log starts again from its beginning
 * only when a write begins with every frame copied, and a writer that never pauses (a server
 * taking orders as fast as it can) never lets that happen: the log grew 35 MB a second, for as
 * long as the load lasted. Past `restartAfterFrames` a RESTART checkpoint makes writers wait
 * while it copies what the passive one left and starts the log again: 10 to 16 ms, about
 * every two seconds at that rate.
 */
export function startCheckpointer(file: string, onFailure: (error: Error) => void, { restartAfterFrames = RESTART_AFTER_FRAMES, writeLock }: CheckpointerOptions = {}): Checkpointer {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(CHECKPOINTER, { eval: true, workerData: { driver, file, intervalMs: INTERVAL_MS, restartAfterFrames, writeLock: writeLock?.buffer } });
  // It must not keep a process alive that has nothing else to do.
  worker.unref();
  worker.once('error', onFailure);
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  return {
    async stop() {
      // Waited for now, so it must hold the process open until it has ended.
      worker.ref();
      worker.postMessage('stop');
      await exited;
    },
  };
}
