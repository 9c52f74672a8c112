import { AccountService } from './app/account-service.ts';
import { systemClock } from './app/clock.ts';
import { JobRunner } from './app/job-runner.ts';
import { LabelService } from './app/label-service.ts';
import { LeaseRenewer, SWEEP_LEASES_JOB } from './app/lease-renewer.ts';
import { NumberService } from './app/number-service.ts';
import { OperatorService } from './app/operator-service.ts';
import { OrderProcessor, PROCESS_ORDER_JOB } from './app/order-processor.ts';
import { OrderService } from './app/order-service.ts';
import type { Clock, Store } from './app/ports.ts';
import { TestClock } from './app/test-clock.ts';
import type { Config } from './config/config.ts';
import { migrateToLatest, openDatabase, type DatabaseHandle } from './store/database.ts';
import { createKyselyStore } from './store/kysely-store.ts';
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
  /** Starts the job runner and the periodic lease sweep (worker role). */
  startWorker(): void;
  /** Runs everything due now: lease sweep, then every due job. For the test clock and `--once`. */
  runDueWork(): Promise<void>;
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
  const testClock = config.testClock ? new TestClock() : null;
  const clock = overrides.clock ?? testClock ?? systemClock;
  const processor = new OrderProcessor(store, clock, { paymentWindowMs: config.billing.paymentWindowMs });
  const renewer = new LeaseRenewer(store, clock, { prices: config.prices, ...config.billing });
  const runner = new JobRunner(store, clock, {
    [PROCESS_ORDER_JOB]: (payload: { orderId: number }) => processor.process(payload.orderId),
    [SWEEP_LEASES_JOB]: async () => { await renewer.sweep(); },
  }, { ...config.worker, onError: overrides.onJobError });
  const wake = () => runner.wake();
  const accounts = new AccountService(store, clock, config.auth);
  const services: Services = {
    accounts,
    numbers: new NumberService(store, { shortCode: config.shortCode }),
    orders: new OrderService(store, clock, { shortCode: config.shortCode, prices: config.prices, onOrderQueued: wake }),
    labels: new LabelService(store),
  };
  const operator = new OperatorService(store, clock, accounts, processor, { prices: config.prices, onWorkQueued: wake });
  let sweepTimer: NodeJS.Timeout | null = null;

  return {
    config, database, store, clock, testClock, services, operator, processor, renewer, runner,
    startWorker() {
      runner.start();
      const sweep = () => renewer.sweep().catch((error: unknown) => overrides.onJobError?.(error));
      void sweep();
      sweepTimer = setInterval(sweep, config.worker.leaseSweepIntervalMs);
      sweepTimer.unref();
    },
    async runDueWork() {
      await renewer.sweep();
      await runner.runOnce();
    },
    async close() {
      if (sweepTimer) clearInterval(sweepTimer);
      await runner.stop();
      await store.close();
    },
  };
}
