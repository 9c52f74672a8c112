import { ORDER_JOB_STEPS } from '../app/fault-injection.ts';
import { DEFAULT_SHORT_CODE } from '../domain/keyword.ts';
import { parseAmount, type Cents } from '../domain/money.ts';
import { DEFAULT_UNIT_PRICES, type UnitPrices } from '../domain/order.ts';
import { isPostgresUrl } from './database-url.ts';
import type { ServerEnv } from './env.ts';

export interface Config {
  server: {
    host: string;
    port: number;
    /** Base of the URLs the server hands out (order Locations); null = taken from each request's Host. */
    publicUrl: string | null;
    logLevel: string;
  };
  database: { url: string; poolSize: number; preparedStatements: boolean };
  /** Seed the demo inventory and the demo account on an empty database. */
  demo: { enabled: boolean; password: string | null };
  prices: UnitPrices;
  shortCode: string;
  worker: { concurrency: number; batchSize: number; batchWindowMs: number; pollIntervalMs: number; lockTimeoutMs: number; leaseSweepIntervalMs: number };
  auth: { credentialCacheMs: number; revocationCheckMs: number };
  /** GetNumberOrder with Wait: how often a waiting request reads its order again when no signal came. */
  waits: { recheckMs: number };
  billing: { paymentWindowMs: number; graceDays: number; agingDays: number };
  /** Bearer token of the admin API; null disables it. */
  admin: { token: string | null };
  /** Time can be moved forward through the admin API (tests, sandboxes). */
  testClock: boolean;
  /** Fault injection for crash tests; null in any real deployment. */
  fault: { crashAfterStep: number | null };
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Validates, defaults and freezes; precedence (lowest first) is defaults, env, then `overrides`. */
export function envToConfig(env: ServerEnv, overrides: DeepPartial<Config> = {}): Config {
  const databaseUrl = env.DATABASE_URL ?? 'sqlite:./data/numberd.db';
  const config: Config = {
    server: {
      host: env.HOST ?? '127.0.0.1',
      port: integer(env.PORT, 'PORT', 8080, 0, 65535),
      publicUrl: env.NUMBERD_PUBLIC_URL ? env.NUMBERD_PUBLIC_URL.replace(/\/+$/, '') : null,
      logLevel: env.NUMBERD_LOG_LEVEL ?? 'info',
    },
    database: {
      url: databaseUrl,
      poolSize: integer(env.NUMBERD_DB_POOL_SIZE, 'NUMBERD_DB_POOL_SIZE', 10, 1, 1000),
      preparedStatements: env.NUMBERD_DB_PREPARED_STATEMENTS !== '0',
    },
    demo: { enabled: env.NUMBERD_DEMO !== '0', password: env.NUMBERD_DEMO_PASSWORD ?? null },
    prices: {
      LOCAL: price(env.NUMBERD_PRICE_LOCAL, 'NUMBERD_PRICE_LOCAL', DEFAULT_UNIT_PRICES.LOCAL),
      TOLL_FREE: price(env.NUMBERD_PRICE_TOLL_FREE, 'NUMBERD_PRICE_TOLL_FREE', DEFAULT_UNIT_PRICES.TOLL_FREE),
      KEYWORD: price(env.NUMBERD_PRICE_KEYWORD, 'NUMBERD_PRICE_KEYWORD', DEFAULT_UNIT_PRICES.KEYWORD),
    },
    shortCode: env.NUMBERD_SHORT_CODE ?? DEFAULT_SHORT_CODE,
    worker: {
      // One loop: its batches grow with the backlog. A second in the same process mostly waited for
      // the first on the same account rows and halved the batches: on Postgres about a fifth fewer
      // orders a second with two (measured); on SQLite no difference.
      concurrency: integer(env.NUMBERD_WORKER_CONCURRENCY, 'NUMBERD_WORKER_CONCURRENCY', 1, 1, 64),
      // Jobs per claim: under a burst of orders one claim serves many instead of one each.
      batchSize: integer(env.NUMBERD_JOB_BATCH_SIZE, 'NUMBERD_JOB_BATCH_SIZE', 32, 1, 1000),
      // On Postgres, under a steady stream of orders, a loop claims at most every 5 ms, so each of
      // a batch's ten round trips serves more orders: Postgres's CPU per order fell a tenth and
      // orders a second rose about 8% (measured). On SQLite the statements cost by the row, not by
      // the call, and bigger batches saved nothing, so there it claims at once.
      batchWindowMs: integer(env.NUMBERD_JOB_BATCH_WINDOW_MS, 'NUMBERD_JOB_BATCH_WINDOW_MS', isPostgresUrl(databaseUrl) ? 5 : 0, 0, 1000),
      // The safety net for a lost wake-up; wake-ups, not this, make orders fast.
      pollIntervalMs: integer(env.NUMBERD_JOB_POLL_INTERVAL_MS, 'NUMBERD_JOB_POLL_INTERVAL_MS', 1000, 10, 3_600_000),
      // How long a claimed job belongs to its worker; after that a crashed worker's job is taken over.
      lockTimeoutMs: integer(env.NUMBERD_JOB_LOCK_TIMEOUT_MS, 'NUMBERD_JOB_LOCK_TIMEOUT_MS', 5 * 60_000, 100, 86_400_000),
      leaseSweepIntervalMs: 60_000,
    },
    // A revocation reaches other processes through Postgres at once; on SQLite at the next check.
    auth: { credentialCacheMs: 60_000, revocationCheckMs: 1_000 },
    // The safety net for a lost signal, as the job poll is for workers.
    waits: { recheckMs: integer(env.NUMBERD_WAIT_RECHECK_MS, 'NUMBERD_WAIT_RECHECK_MS', 1000, 10, 600_000) },
    billing: {
      paymentWindowMs: integer(env.NUMBERD_PAYMENT_WINDOW_HOURS, 'NUMBERD_PAYMENT_WINDOW_HOURS', 72, 1, 24 * 365) * 3_600_000,
      graceDays: integer(env.NUMBERD_GRACE_DAYS, 'NUMBERD_GRACE_DAYS', 7, 0, 365),
      agingDays: integer(env.NUMBERD_AGING_DAYS, 'NUMBERD_AGING_DAYS', 30, 0, 365),
    },
    admin: { token: env.NUMBERD_ADMIN_TOKEN ?? null },
    testClock: env.NUMBERD_TEST_CLOCK === '1' || env.NUMBERD_TEST_CLOCK === 'true',
    fault: {
      crashAfterStep: env.NUMBERD_FAULT_CRASH_AFTER_STEP === undefined ? null
        : integer(env.NUMBERD_FAULT_CRASH_AFTER_STEP, 'NUMBERD_FAULT_CRASH_AFTER_STEP', 0, 1, ORDER_JOB_STEPS.length),
    },
  };
  return deepFreeze(merge(config, overrides));
}

export type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? DeepPartial<T[K]> : T[K] };

function integer(text: string | undefined, name: string, fallback: number, min: number, max: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be an integer from ${min} to ${max}, got "${text}"`);
  }
  return value;
}

function price(text: string | undefined, name: string, fallback: Cents): Cents {
  if (text === undefined) return fallback;
  const cents = parseAmount(text);
  if (cents === undefined) throw new ConfigError(`${name} must be an amount like 1.50, got "${text}"`);
  return cents;
}

function merge<T>(base: T, patch: DeepPartial<T>): T {
  const result: any = { ...base };
  for (const [key, value] of Object.entries(patch as object)) {
    if (value === undefined) continue;
    const current = result[key];
    result[key] = value !== null && typeof value === 'object' && !Array.isArray(value) && current && typeof current === 'object'
      ? merge(current, value)
      : value;
  }
  return result;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}
