import { watch } from 'node:fs';
import { type Kysely, sql } from 'kysely';
import type { Database } from './schema.ts';

/** How long after a write to the log the data version is read: the writes of one commit come in a burst. */
const CHECK_DELAY_MS = 5;

/**
 * Calls `onCommit` soon after a connection other than `db`'s commits to its SQLite file (another
 * numberd process, the CLI). SQLite sends no notifications, but every commit writes to the
 * write-ahead log, which the operating system watches for us, and `PRAGMA data_version` changes
 * when, and only when, another connection has committed. So a write to the log makes this read
 * the data version, at most once per 5 ms, and a change calls `onCommit`. The process's own commits
 * write to the log too: the kernel then queues an event on every write, so a process asks for the
 * watch only when it needs it. Returns the stop, or null when there is nothing to watch (an
 * in-memory database) or no watch could be had (no inotify watches left); a change that goes unseen
 * is the caller's poll to find.
 */
async function watchForeignCommits(db: Kysely<Database>, onCommit: () => void): Promise<(() => void) | null> {
  const { rows: [main] } = await sql<{ file: string }>`select file from pragma_database_list where name = 'main'`.execute(db);
  if (!main?.file) return null;
  const dataVersion = async () => (await sql<{ data_version: number }>`pragma data_version`.execute(db)).rows[0]!.data_version;
  let seen = await dataVersion();
  let pending = false;
  let stopped = false;
  const check = () => {
    pending = false;
    dataVersion().then((version) => {
      if (version !== seen && !stopped) onCommit();
      seen = version;
    }, () => {});
  };
  try {
    const watcher = watch(`${main.file}-wal`, { persistent: false }, () => {
      if (pending || stopped) return;
      pending = true;
      setTimeout(check, CHECK_DELAY_MS).unref();
    });
    // A watch that failed reports nothing more: the caller's poll finds what it misses.
    watcher.on('error', () => {});
    return () => {
      stopped = true;
      watcher.close();
    };
  } catch {
    return null;
  }
}

/**
 * A watch of other connections' commits that a subscriber starts when it needs it, once, and that
 * may be closed before or while it starts (the close then stops it as soon as it exists).
 */
export class ForeignCommitWatch {
  private stopWatch: (() => void) | null = null;
  private closed = false;

  constructor(private readonly db: Kysely<Database>) {}

  async start(onCommit: () => void): Promise<void> {
    if (this.stopWatch || this.closed) return;
    const stop = await watchForeignCommits(this.db, onCommit);
    if (this.closed) stop?.();
    else this.stopWatch = stop;
  }

  close(): void {
    this.closed = true;
    this.stopWatch?.();
    this.stopWatch = null;
  }
}
