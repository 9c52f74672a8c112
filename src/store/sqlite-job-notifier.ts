import { type FSWatcher, watch } from 'node:fs';
import { type Kysely, sql } from 'kysely';
import { InProcessJobNotifier, type JobNotifier } from '../app/job-notifier.ts';
import type { Database } from './schema.ts';

/** How long after a write to the log the data version is read: the writes of one commit come in a burst. */
const CHECK_DELAY_MS = 5;

/**
 * Wake-ups on a SQLite file that other connections write too: a `--role worker` process beside a
 * `--role api` one asks for them when it subscribes. SQLite sends no notifications, but every
 * commit writes to the write-ahead log, which the operating system watches for us, and
 * `PRAGMA data_version` changes when, and only when, a connection other than the one asking has
 * committed. So a write to the log makes the process read the data version once, and a change
 * wakes the runner: any commit of another connection, since one that queued work cannot be told
 * from the others. A wake-up that finds nothing costs one claim that returns no rows. An idle
 * process does nothing; its own commits wake it directly, and also make it read the data version,
 * at most once per 5 ms. Should a change go unseen (a file system that reports no writes), the
 * runner's poll still finds the work.
 */
export class SqliteJobNotifier implements JobNotifier {
  private readonly local = new InProcessJobNotifier();
  private watcher: FSWatcher | null = null;
  private closed = false;

  constructor(private readonly db: Kysely<Database>) {}

  jobQueued(): void {
    this.local.jobQueued();
  }

  async subscribe(onWake: () => void, { otherProcesses = false } = {}): Promise<void> {
    await this.local.subscribe(onWake);
    if (!otherProcesses || this.watcher || this.closed) return;
    const { rows: [main] } = await sql<{ file: string }>`select file from pragma_database_list where name = 'main'`.execute(this.db);
    // An in-memory database has no log, and no other connection.
    if (!main?.file) return;
    let seen = await this.dataVersion();
    let pending = false;
    const check = () => {
      pending = false;
      this.dataVersion().then((version) => {
        if (version !== seen && !this.closed) this.local.jobQueued();
        seen = version;
      }, () => {});
    };
    try {
      this.watcher = watch(`${main.file}-wal`, { persistent: false }, () => {
        if (pending || this.closed) return;
        pending = true;
        setTimeout(check, CHECK_DELAY_MS).unref();
      });
      // Left to the poll from here on: a watch that failed reports nothing more.
      this.watcher.on('error', () => {});
    } catch {
      // No watch to be had (no log file yet, no inotify watches left): the poll finds the work.
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    this.watcher?.close();
    this.watcher = null;
    await this.local.close();
  }

  private async dataVersion(): Promise<number> {
    const { rows } = await sql<{ data_version: number }>`pragma data_version`.execute(this.db);
    return rows[0]!.data_version;
  }
}
