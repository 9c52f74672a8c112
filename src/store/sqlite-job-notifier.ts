import type { Kysely } from 'kysely';
import { InProcessJobNotifier, type JobNotifier } from '../app/job-notifier.ts';
import type { Database } from './schema.ts';
import { ForeignCommitWatch } from './sqlite-foreign-commits.ts';

/**
 * Wake-ups on a SQLite file that other processes write too: a `--role worker` process beside a
 * `--role api` one asks for them when it subscribes, and any commit of another connection then
 * wakes its runner, since one that queued work cannot be told from the others. A wake-up that
 * finds nothing costs one claim that returns no rows. The process's own commits wake it directly.
 */
export class SqliteJobNotifier implements JobNotifier {
  private readonly local = new InProcessJobNotifier();
  private readonly watch: ForeignCommitWatch;

  constructor(db: Kysely<Database>) {
    this.watch = new ForeignCommitWatch(db);
  }

  jobQueued(): void {
    this.local.jobQueued();
  }

  async subscribe(onWake: () => void, { otherProcesses = false } = {}): Promise<void> {
    await this.local.subscribe(onWake);
    if (otherProcesses) await this.watch.start(() => this.local.jobQueued());
  }

  async close(): Promise<void> {
    this.watch.close();
    await this.local.close();
  }
}
