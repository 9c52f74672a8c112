import { randomUUID } from 'node:crypto';
import type { Clock, JobRecord, Store } from './ports.ts';

export type JobHandler = (payload: any) => Promise<void>;

export interface JobRunnerOptions {
  /** Jobs run at once by this process. */
  concurrency: number;
  /** The fallback look for due jobs when no wake-up came (a lost signal, a delayed retry). */
  pollIntervalMs: number;
  /** A lock older than this belongs to a dead worker and may be taken over. */
  lockTimeoutMs: number;
  onError?: (error: unknown, job: JobRecord) => void;
  /** Called after the claim committed and after the completion committed (fault injection hooks here). */
  checkpoint?: (step: JobStep, job: JobRecord) => void;
  /** Every run's outcome and duration, for metrics. */
  onRunEnded?: (job: JobRecord, outcome: 'completed' | 'failed', seconds: number) => void;
}

export type JobStep = 'claimed' | 'completed';

/** Seconds to wait before retry n: e^n, capped near six hours. */
export function retryDelayMs(attempts: number): number {
  return Math.round(Math.exp(Math.min(attempts, 10)) * 1000);
}

/**
 * Runs jobs from the job table. Woken by `wake()` (after a commit, or a database
 * notification) and, as a safety net, by a poll; the table stays the source of truth.
 */
export class JobRunner {
  readonly workerId = `worker-${randomUUID()}`;
  private running = false;
  private loops: Promise<void>[] = [];
  private waiters: (() => void)[] = [];
  private pendingWake = false;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly handlers: Record<string, JobHandler>,
    private readonly options: JobRunnerOptions,
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    for (let i = 0; i < this.options.concurrency; i++) this.loops.push(this.loop());
  }

  /** Stops taking jobs and waits for the ones in progress. */
  async stop(): Promise<void> {
    this.running = false;
    this.wake();
    await Promise.all(this.loops);
    this.loops = [];
  }

  wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    if (waiters.length === 0) this.pendingWake = true;
    for (const resolve of waiters) resolve();
  }

  /** Runs every job due now, one after another, then returns how many ran. For tests and `--once`. */
  async runOnce(): Promise<number> {
    let count = 0;
    while (await this.runNext()) count++;
    return count;
  }

  private async loop(): Promise<void> {
    while (this.running) {
      const ran = await this.runNext().catch(() => false);
      if (!ran && this.running) await this.sleep();
    }
  }

  private sleep(): Promise<void> {
    if (this.pendingWake) {
      this.pendingWake = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const timer = setTimeout(done, this.options.pollIntervalMs);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.waiters.push(done);
    });
  }

  private async runNext(): Promise<boolean> {
    const now = this.clock.now();
    const job = await this.store.transaction((tx) =>
      tx.jobs.claim(this.workerId, now, new Date(now.getTime() - this.options.lockTimeoutMs)));
    if (!job) return false;
    this.options.checkpoint?.('claimed', job);
    const handler = this.handlers[job.kind];
    const started = performance.now();
    try {
      if (!handler) throw new Error(`no handler for job kind ${job.kind}`);
      await handler(job.payload);
      await this.store.jobs.complete(job.id, this.workerId);
      this.options.onRunEnded?.(job, 'completed', (performance.now() - started) / 1000);
      this.options.checkpoint?.('completed', job);
    } catch (error) {
      this.options.onError?.(error, job);
      this.options.onRunEnded?.(job, 'failed', (performance.now() - started) / 1000);
      const retryAt = new Date(this.clock.now().getTime() + retryDelayMs(job.attempts));
      await this.store.jobs.fail(job.id, this.workerId, String(error), retryAt);
    }
    // Another job may be waiting; let a sleeping sibling look too.
    this.wake();
    return true;
  }
}
