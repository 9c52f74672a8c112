import { AccountService } from './app/account-service.ts';
import { systemClock } from './app/clock.ts';
import { crashAfterStep } from './app/fault-injection.ts';
import type { JobNotifier } from './app/job-notifier.ts';
import { JobRunner } from './app/job-runner.ts';
import { LabelService } from './app/label-service.ts';
import { LeaseRenewer, SWEEP_LEASES_JOB } from './app/lease-renewer.ts';
import { NumberService } from './app/number-service.ts';
import { OperatorService } from './app/operator-service.ts';
import { OrderProcessor, PROCESS_ORDER_JOB } from './app/order-processor.ts';
import { OrderService } from './app/order-service.ts';
import { OrderWaits } from './app/order-waits.ts';
import type { Clock, JobRecord, Store } from './app/ports.ts';
import { TestClock } from './app/test-clock.ts';
import type { Config } from './config/config.ts';
import { Metrics } from './ops/metrics.ts';
import { migrateToLatest, openDatabase, type DatabaseHandle } from './store/database.ts';
import { createKyselyStore } from './store/kysely-store.ts';
import { createJobNotifier } from './store/postgres-job-notifier.ts';
import { createPostgresListener } from './store/postgres-listener.ts';
import { createOrderEndSignal } from './store/postgres-order-signal.ts';
import { createRevocationSignal } from './store/postgres-revocation-signal.ts';
import type { Services } from './wire/callfire/operation.ts';

/** Everything a process needs, built once from config: the composition root of every entry point. */
export interface Context {
  config: Config;
  database: DatabaseHandle;
  store: Store;
  clock: Clock;
  /** Set when the configuration enables the test clock. */
  testClock: TestClock | null;
  services: Services;
  operator: OperatorService;
  processor: OrderProcessor;
  renewer: LeaseRenewer;
  runner: JobRunner;
  notifier: JobNotifier;
  metrics: Metrics;
  /** GetNumberOrder requests waiting for their order to end; the HTTP server closes them first when it stops. */
  waits: OrderWaits;
  /**
   * Makes this process a worker: wake-ups (from every process on Postgres; on SQLite from others
   * only with `otherProcesses`, for a `--role worker`), the runner and the periodic lease sweep.
   */
  startWorker(options?: { otherProcesses?: boolean }): Promise<void>;
  /** Runs everything due now: lease sweep, then every due job. For the test clock. */
  runDueWork(): Promise<void>;
  /** Stops taking jobs, waits for the ones in progress, then closes the database. */
  close(): Promise<void>;
}

export interface ContextOverrides {
  clock?: Clock;
  /** A job that failed (it is retried later), or a lease sweep that failed (`job` undefined). */
  onJobError?: (error: unknown, job?: JobRecord) => void;
  /** A job that failed its last attempt and was given up (its order ended ERRORED). */
  onJobGaveUp?: (job: JobRecord) => void;
}

export async function createContext(config: Config, overrides: ContextOverrides = {}): Promise<Context> {
  const database = openDatabase({ ...config.database, backgroundCheckpoints: true });
  await migrateToLatest(database);
  const store = createKyselyStore(database);
  const testClock = config.testClock ? new TestClock() : null;
  const clock = overrides.clock ?? testClock ?? systemClock;
  const metrics = new Metrics();
  // One LISTEN connection per process (Postgres), for job wake-ups and for ended orders.
  const listener = createPostgresListener(database, config.database.url);
  const notifier = createJobNotifier(database.db, listener);
  const orderEnds = createOrderEndSignal(database.db, listener);
  const crash = crashAfterStep(config.fault.crashAfterStep);
  let workerStarted = false;
  const waits: OrderWaits = new OrderWaits(config.waits.recheckMs, () => {
    // A failed LISTEN is retried by the listener; meanwhile waits end by their recheck.
    void orderEnds.subscribe((ids) => waits.ended(ids), { waited: () => waits.waitedIds(), localWorker: workerStarted }).catch(() => {});
  });
  const processor = new OrderProcessor(clock, { paymentWindowMs: config.billing.paymentWindowMs }, {
    completed: ({ id, status }) => {
      metrics.ordersCompleted.inc({ status });
      waits.ended([id]);
      orderEnds.publish([id]);
    },
  });
  const renewer = new LeaseRenewer(store, clock, { prices: config.prices, ...config.billing });
  const runner = new JobRunner(store, clock, {
    [PROCESS_ORDER_JOB]: (payloads: { orderId: number }[], tx, afterCommit) => processor.advanceAllWithin(tx, payloads.map((p) => p.orderId), afterCommit),
    // One sweep does the work of every sweep job claimed with it.
    [SWEEP_LEASES_JOB]: async (_payloads, tx) => { await renewer.sweepWithin(tx); },
  }, {
    ...config.worker,
    giveUp: {
      [PROCESS_ORDER_JOB]: (payloads: { orderId: number }[], tx, afterCommit) => processor.giveUpWithin(tx, payloads.map((p) => p.orderId), afterCommit),
    },
    onGaveUp: overrides.onJobGaveUp,
    onError: overrides.onJobError,
    onBatchFailed: (_error, jobs) => metrics.jobBatchesFailed.inc({ kind: jobs[0]!.kind }),
    checkpoint: crash,
    onRunEnded: (job, outcome, seconds) => {
      metrics.jobRuns.inc({ kind: job.kind, outcome });
      metrics.jobDuration.observe({ kind: job.kind }, seconds);
    },
  });
  const accounts = new AccountService(store, clock, config.auth, createRevocationSignal(database.db, listener));
  const services: Services = {
    accounts,
    numbers: new NumberService(store, { shortCode: config.shortCode }),
    orders: new OrderService(store, clock, {
      shortCode: config.shortCode,
      prices: config.prices,
      onOrdersQueued: (count) => {
        metrics.ordersCreated.inc(count);
        notifier.jobQueued();
      },
      waits,
    }),
    labels: new LabelService(store),
  };
  const operator = new OperatorService(store, clock, accounts, processor, { prices: config.prices, onWorkQueued: () => notifier.jobQueued() });
  let sweepTimer: NodeJS.Timeout | null = null;
  let sweeping: Promise<unknown> = Promise.resolve();

  return {
    config, database, store, clock, testClock, services, operator, processor, renewer, runner, notifier, metrics, waits,
    async startWorker(options = {}) {
      workerStarted = true;
      await notifier.subscribe(() => runner.wake(), options);
      runner.start();
      // Every worker sweeps; each lease change is conditional, so overlapping sweeps act once.
      const sweep = () => { sweeping = renewer.sweep().catch((error: unknown) => overrides.onJobError?.(error)); };
      sweep();
      sweepTimer = setInterval(sweep, config.worker.leaseSweepIntervalMs);
      sweepTimer.unref();
    },
    async runDueWork() {
      await renewer.sweep();
      await runner.runOnce();
    },
    async close() {
      waits.close();
      orderEnds.close();
      accounts.close();
      if (sweepTimer) clearInterval(sweepTimer);
      await sweeping;
      await runner.stop();
      await notifier.close();
      await listener?.close();
      await store.close();
    },
  };
}
