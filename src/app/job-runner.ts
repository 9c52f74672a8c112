import { randomUUID } from 'node:crypto';
import { groupBy } from './group-by.ts';
import type { Clock, JobRecord, Repositories, Store } from './ports.ts';

/**
 * Does the work of jobs of one kind, claimed together, inside the transaction that also removes
 * them, so the work and its completion commit together or not at all. `afterCommit` effects run
 * only once that happened. When the batch fails, each job is retried alone, with one payload.
 */
export type JobHandler = (payloads: any[], tx: Repositories, afterCommit: (effect: () => void) => void) => Promise<void>;

export interface JobRunnerOptions {
  /** Loops of this process that claim and run jobs at once. */
  concurrency: number;
  /** Jobs one claim takes; a burst of orders costs one claim per batch instead of one per order. */
  batchSize: number;
  /** The fallback look for due jobs when no wake-up came (a lost signal, a delayed retry). */
  pollIntervalMs: number;
  /**
   * After a batch of several jobs but not a full one, a loop claims again no sooner than this long
   * after it ended, so the jobs queued meanwhile go in one batch rather than a few at a time. After
   * a batch of one, or a pause longer than this, it claims at once: a light load waits for nothing.
   * Default 0.
   */
  batchWindowMs?: number;
  /** A lock older than this belongs to a dead worker and may be taken over. */
  lockTimeoutMs: number;
  onError?: (error: unknown, job: JobRecord) => void;
  /** A batch failed as a whole; its jobs run again, each alone. */
  onBatchFailed?: (error: unknown, jobs: JobRecord[]) => void;
  /**
   * Per kind, what to undo when a job failed its last attempt (an order must not stay live forever),
   * in the transaction that removes the job. A kind without one is just removed.
   */
  giveUp?: Record<string, JobHandler>;
  /** A job failed its last attempt and was given up (after `giveUp` committed). */
  onGaveUp?: (job: JobRecord) => void;
  /** Called after the claim committed and after the completion committed (fault injection hooks here). */
  checkpoint?: (step: JobStep, job: JobRecord) => void;
  /** Every run's outcome and duration, for metrics; the jobs of a batch each report the batch's. */
  onRunEnded?: (job: JobRecord, outcome: JobOutcome, seconds: number) => void;
}

export type JobStep = 'claimed' | 'completed';
export type JobOutcome = 'completed' | 'failed' | 'gave_up';

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
  /** Sleeping loops, oldest first; `wake()` ends the first one's sleep, `stop()` every one's. */
  private readonly waiters = new Set<() => void>();
  /** Loops waiting out the batch window; only `stop()` ends their wait. */
  private readonly gathering = new Set<() => void>();
  private pendingWake = false;
  /** Batches being claimed or run by this process's loops, so `runOnce` can wait for theirs too. */
  private readonly inFlight = new Set<Promise<number>>();

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
    for (const resolve of this.waiters) resolve();
    for (const resolve of this.gathering) resolve();
    await Promise.all(this.loops);
    this.loops = [];
  }

  /**
   * One sleeping loop looks for work; when every loop is busy, the next to finish looks again
   * instead of sleeping. Waking one rather than all spares the others an empty claim.
   */
  wake(): void {
    const waiter = this.waiters.values().next().value;
    if (waiter) waiter();
    else this.pendingWake = true;
  }

  /**
   * Runs every job due now, one batch after another, and waits for those the running loops
   * took; returns how many it ran itself. For tests and the test clock: when it returns, the
   * work due has committed, whoever did it.
   */
  async runOnce(): Promise<number> {
    let count = 0;
    for (;;) {
      const ran = await this.runBatch();
      count += ran;
      if (ran > 0) continue;
      if (this.inFlight.size === 0) return count;
      await Promise.allSettled([...this.inFlight]);
    }
  }

  private async loop(): Promise<void> {
    while (this.running) {
      const ran = await this.runBatch().catch(() => 0);
      // A full batch means more may be due: keep going, and let a sleeping sibling share the work.
      if (ran === this.options.batchSize) {
        this.wake();
      } else if (this.running) {
        const ended = performance.now();
        await this.sleep();
        if (ran > 1) await this.gather(ended + (this.options.batchWindowMs ?? 0) - performance.now());
      }
    }
  }

  /** Waits `ms` (if positive) while jobs queue up, unless the runner stops meanwhile. */
  private gather(ms: number): Promise<void> {
    if (ms <= 0 || !this.running) return Promise.resolve();
    return this.pause(ms, this.gathering);
  }

  private sleep(): Promise<void> {
    if (this.pendingWake) {
      this.pendingWake = false;
      return Promise.resolve();
    }
    return this.pause(this.options.pollIntervalMs, this.waiters);
  }

  /** Resolves after `ms`, or sooner when its resolver, kept in `waiting` meanwhile, is called. */
  private pause(ms: number, waiting: Set<() => void>): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        waiting.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      waiting.add(done);
    });
  }

  private runBatch(): Promise<number> {
    const batch = this.claimAndRun();
    this.inFlight.add(batch);
    const forget = () => { this.inFlight.delete(batch); };
    batch.then(forget, forget);
    return batch;
  }

  private async claimAndRun(): Promise<number> {
    const now = this.clock.now();
    const staleBefore = new Date(now.getTime() - this.options.lockTimeoutMs);
    const claim = (jobs: Repositories['jobs']) => jobs.claim(this.workerId, now, staleBefore, this.options.batchSize);
    // Alone a claim commits by itself, one round trip; where transactions share commits it joins the next group instead.
    const jobs = await (this.store.commitsTogether ? this.store.transaction((tx) => claim(tx.jobs)) : claim(this.store.jobs));
    for (const job of jobs) this.options.checkpoint?.('claimed', job);
    // A claim counts the attempt: past the last one, the job is claimed once more to be given up.
    await this.each([...groupBy(jobs, (job) => `${isExhausted(job)} ${job.kind}`).values()], (batch) => this.runTogether(batch));
    return jobs.length;
  }

  /**
   * Side by side where transactions started together share a commit; otherwise one after another:
   * side by side they would take every pooled connection, and the orders of one account would
   * only queue on its row. The loops give the parallelism.
   */
  private async each<T>(items: T[], fn: (item: T) => Promise<void>): Promise<void> {
    if (this.store.commitsTogether) await Promise.all(items.map(fn));
    else for (const item of items) await fn(item);
  }

  /** Jobs of one kind in one transaction; if that fails, each alone, so one bad job holds up no other. */
  private async runTogether(jobs: JobRecord[]): Promise<void> {
    if (jobs.length === 1) return this.run(jobs[0]!);
    const started = performance.now();
    try {
      await this.transact(jobs);
    } catch (error) {
      this.options.onBatchFailed?.(error, jobs);
      await this.each(jobs, (job) => this.run(job));
      return;
    }
    for (const job of jobs) this.ended(job, started);
  }

  private async run(job: JobRecord): Promise<void> {
    const started = performance.now();
    try {
      await this.transact([job]);
      this.ended(job, started);
    } catch (error) {
      this.options.onError?.(error, job);
      this.options.onRunEnded?.(job, 'failed', (performance.now() - started) / 1000);
      // After the last attempt the job is given up at once; a give-up that failed backs off anew.
      const lastAttempt = isLastAttempt(job);
      const delay = lastAttempt ? 0 : retryDelayMs(isExhausted(job) ? job.attempts - job.maxAttempts : job.attempts);
      await this.store.jobs.fail(job.id, this.workerId, String(error), new Date(this.clock.now().getTime() + delay));
      if (lastAttempt) this.wake();
    }
  }

  private async transact(jobs: JobRecord[]): Promise<void> {
    const kind = jobs[0]!.kind;
    const handler = isExhausted(jobs[0]!) ? (this.options.giveUp?.[kind] ?? (async () => {})) : this.handlers[kind];
    if (!handler) throw new Error(`no handler for job kind ${kind}`);
    await this.store.transaction(async (tx, afterCommit) => {
      await handler(jobs.map((job) => job.payload), tx, afterCommit);
      // Our lock went stale and another worker took a job over: leave the work to it.
      if ((await tx.jobs.complete(jobs.map((job) => job.id), this.workerId)) !== jobs.length) {
        throw new Error(`job ${jobs.map((job) => job.id).join(', ')} was taken over by another worker`);
      }
    });
  }

  /** The job's transaction committed: its work done, or, past its attempts, given up. */
  private ended(job: JobRecord, started: number): void {
    const exhausted = isExhausted(job);
    this.options.onRunEnded?.(job, exhausted ? 'gave_up' : 'completed', (performance.now() - started) / 1000);
    if (exhausted) this.options.onGaveUp?.(job);
    else this.options.checkpoint?.('completed', job);
  }
}

/** This run was the job's last attempt: should it fail, the job is given up. */
export function isLastAttempt(job: JobRecord): boolean {
  return job.attempts === job.maxAttempts;
}

/** Claimed after its last attempt failed: to be given up, not run. */
function isExhausted(job: JobRecord): boolean {
  return job.attempts > job.maxAttempts;
}
