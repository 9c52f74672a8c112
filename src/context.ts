import { AccountService } from './app/account-service.ts';
import { systemClock } from './app/clock.ts';
import { crashAfterStep } from './app/fault-injection.ts';
import type { JobNotifier } from './app/job-notifier.ts';
import { JobRunner } from './app/job-runner.ts';
import { LabelService } from './app/label-service.ts';
import { NumberService } from './app/number-service.ts';
import { OrderProcessor } from './app/order-processor.ts';
import { OrderService, PROCESS_ORDER_JOB } from './app/order-service.ts';
import type { Clock, Store } from './app/ports.ts';
import type { Config } from './config/config.ts';
import { Metrics } from './ops/metrics.ts';
import { migrateToLatest, openDatabase, type DatabaseHandle } from './store/database.ts';
import { createKyselyStore } from './store/kysely-store.ts';
import { createJobNotifier } from './store/postgres-job-notifier.ts';
import type { Services } from './wire/callfire/operation.ts';

/** Everything a process needs, built once from config: the composition root of every entry point. */
export interface Context {
  config: Config;
  database: DatabaseHandle;
  store: Store;
  clock: Clock;
  services: Services;
  processor: OrderProcessor;
  runner: JobRunner;
  notifier: JobNotifier;
  metrics: Metrics;
  /** Makes this process a worker: wake-ups from every process (LISTEN on Postgres), then the runner. */
  startWorker(): Promise<void>;
  /** Stops taking jobs, waits for the ones in progress, then closes the database. */
  close(): Promise<void>;
}

export interface ContextOverrides {
  clock?: Clock;
  onJobError?: (error: unknown) => void;
}

export async function createContext(config: Config, overrides: ContextOverrides = {}): Promise<Context> {
  const database = openDatabase({ url: config.database.url, poolSize: config.database.poolSize });
  await migrateToLatest(database);
  const store = createKyselyStore(database);
  const clock = overrides.clock ?? systemClock;
  const metrics = new Metrics();
  const notifier = createJobNotifier(database, config.database.url);
  const crash = crashAfterStep(config.fault.crashAfterStep);
  const processor = new OrderProcessor(store, clock, {
    checkpoint: crash,
    completed: (status) => metrics.ordersCompleted.inc({ status }),
  });
  const runner = new JobRunner(store, clock, {
    [PROCESS_ORDER_JOB]: (payload: { orderId: number }) => processor.process(payload.orderId),
  }, {
    ...config.worker,
    onError: overrides.onJobError,
    checkpoint: crash,
    onRunEnded: (job, outcome, seconds) => {
      metrics.jobRuns.inc({ kind: job.kind, outcome });
      metrics.jobDuration.observe({ kind: job.kind }, seconds);
    },
  });
  const services: Services = {
    accounts: new AccountService(store, clock, config.auth),
    numbers: new NumberService(store, { shortCode: config.shortCode }),
    orders: new OrderService(store, clock, {
      shortCode: config.shortCode,
      prices: config.prices,
      onOrderQueued: () => {
        metrics.ordersCreated.inc();
        notifier.jobQueued();
      },
    }),
    labels: new LabelService(store),
  };
  return {
    config, database, store, clock, services, processor, runner, notifier, metrics,
    async startWorker() {
      await notifier.subscribe(() => runner.wake());
      runner.start();
    },
    async close() {
      await runner.stop();
      await notifier.close();
      await store.close();
    },
  };
}
