import { type Kysely, sql } from 'kysely';
import { InProcessJobNotifier, type JobNotifier } from '../app/job-notifier.ts';
import type { Database } from './schema.ts';

/** How often a subscribed process looks whether another connection committed to its file: often while they do. */
const BUSY_CHECK_MS = 10;
/** After this long without another connection's commit, it looks less often: a timer's wake-up costs an idle process CPU. */
const QUIET_AFTER_MS = 1_000;
const QUIET_CHECK_MS = 100;

/**
 * Wake-ups on a SQLite file that other connections write too: the CLI working on the file
 * beside a running server, or a `--role api` process beside a `--role worker`. SQLite sends no
 * notifications, but `PRAGMA data_version` changes when, and only when, a connection other than
 * the one asking has committed. Read every 10 ms (every 100 ms after a quiet second), it wakes the
 * runner on any such commit, since one that queued work cannot be told from others; a wake-up that
 * finds nothing costs one claim that returns no rows. The process's own commits wake it directly.
 */
export class SqliteJobNotifier implements JobNotifier {
  private readonly local = new InProcessJobNotifier();
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly db: Kysely<Database>) {}

  jobQueued(): void {
    this.local.jobQueued();
  }

  async subscribe(onWake: () => void): Promise<void> {
    await this.local.subscribe(onWake);
    if (this.timer) return;
    let seen = await this.dataVersion();
    let changedAt = performance.now();
    const check = async () => {
      const version = await this.dataVersion().catch(() => seen);
      if (!this.timer) return;
      if (version !== seen) {
        seen = version;
        changedAt = performance.now();
        this.local.jobQueued();
      }
      schedule();
    };
    const schedule = () => {
      this.timer = setTimeout(check, performance.now() - changedAt < QUIET_AFTER_MS ? BUSY_CHECK_MS : QUIET_CHECK_MS);
      // The runner's own poll keeps a worker alive; this check must not keep a finished process open.
      this.timer.unref();
    };
    schedule();
  }

  async close(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.local.close();
  }

  private async dataVersion(): Promise<number> {
    const { rows } = await sql<{ data_version: number }>`pragma data_version`.execute(this.db);
    return rows[0]!.data_version;
  }
}
