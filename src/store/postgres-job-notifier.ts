import type { Kysely } from 'kysely';
import { InProcessJobNotifier, type JobNotifier } from '../app/job-notifier.ts';
import { JOBS_CHANNEL } from './capabilities.ts';
import type { PostgresListener } from './postgres-listener.ts';
import type { Database } from './schema.ts';
import { SqliteJobNotifier } from './sqlite-job-notifier.ts';

/** The notifier that fits the store: LISTEN/NOTIFY where the database has it (a listener), a watch of SQLite's log otherwise. */
export function createJobNotifier(db: Kysely<Database>, listener: PostgresListener | null): JobNotifier {
  return listener ? new PostgresJobNotifier(listener) : new SqliteJobNotifier(db);
}

/**
 * Wake-ups across processes. The job repository sends `pg_notify` inside the enqueueing
 * transaction, so an API process wakes every worker through the process's LISTEN connection.
 * After that connection comes back from a drop, the runner is woken once, since notifications
 * sent meanwhile are lost.
 */
export class PostgresJobNotifier implements JobNotifier {
  private readonly local = new InProcessJobNotifier();
  private closed = false;

  constructor(private readonly listener: PostgresListener) {}

  jobQueued(): void {
    this.local.jobQueued();
  }

  async subscribe(onWake: () => void): Promise<void> {
    await this.local.subscribe(onWake);
    await this.listener.listen(JOBS_CHANNEL, () => {
      if (!this.closed) onWake();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.local.close();
  }
}
