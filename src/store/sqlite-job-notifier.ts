import type { Kysely } from 'kysely';
import { InProcessJobNotifier, type JobNotifier } from '../app/job-notifier.ts';
import type { Database } from './schema.ts';
import { watchForeignCommits } from './sqlite-foreign-commits.ts';

/**
 * Wake-ups on a SQLite file that other processes write too: a `--role worker` process beside a
 * `--role api` one asks for them when it subscribes, and any commit of another connection then
 * wakes its runner, since one that queued work cannot be told from the others. A wake-up that
 * finds nothing costs one claim that returns no rows. The process's own commits wake it directly.
 */
export class SqliteJobNotifier implements JobNotifier {
  private readonly local = new InProcessJobNotifier();
  private stopWatch: (() => void) | null = null;
  private closed = false;

  constructor(private readonly db: Kysely<Database>) {}

  jobQueued(): void {
    this.local.jobQueued();
  }

  async subscribe(onWake: () => void, { otherProcesses = false } = {}): Promise<void> {
    await this.local.subscribe(onWake);
    if (!otherProcesses || this.stopWatch || this.closed) return;
    const stop = await watchForeignCommits(this.db, () => this.local.jobQueued());
    if (this.closed) stop?.();
    else this.stopWatch = stop;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.stopWatch?.();
    this.stopWatch = null;
    await this.local.close();
  }
}
