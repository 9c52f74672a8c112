/** The only reader of process.env. Every field is optional text; config.ts gives it meaning. */
export interface ServerEnv {
  DATABASE_URL?: string;
  HOST?: string;
  PORT?: string;
  NUMBERD_PUBLIC_URL?: string;
  NUMBERD_DEMO_PASSWORD?: string;
  NUMBERD_DEMO?: string;
  NUMBERD_PRICE_LOCAL?: string;
  NUMBERD_PRICE_TOLL_FREE?: string;
  NUMBERD_PRICE_KEYWORD?: string;
  NUMBERD_SHORT_CODE?: string;
  NUMBERD_WORKER_CONCURRENCY?: string;
  NUMBERD_DB_POOL_SIZE?: string;
  NUMBERD_DB_PREPARED_STATEMENTS?: string;
  NUMBERD_LOG_LEVEL?: string;
  NUMBERD_ADMIN_TOKEN?: string;
  NUMBERD_TEST_CLOCK?: string;
  NUMBERD_PAYMENT_WINDOW_HOURS?: string;
  NUMBERD_GRACE_DAYS?: string;
  NUMBERD_AGING_DAYS?: string;
  NUMBERD_URL?: string;
  NUMBERD_JOB_POLL_INTERVAL_MS?: string;
  NUMBERD_JOB_LOCK_TIMEOUT_MS?: string;
  NUMBERD_JOB_BATCH_SIZE?: string;
  NUMBERD_JOB_BATCH_WINDOW_MS?: string;
  NUMBERD_WAIT_RECHECK_MS?: string;
  /** Tests only: the worker kills itself (SIGKILL) right after order job step N (1 claimed, 2 completed). */
  NUMBERD_FAULT_CRASH_AFTER_STEP?: string;
}

export function readEnv(env: NodeJS.ProcessEnv = process.env): ServerEnv {
  const keys: (keyof ServerEnv)[] = [
    'DATABASE_URL', 'HOST', 'PORT', 'NUMBERD_PUBLIC_URL', 'NUMBERD_DEMO_PASSWORD', 'NUMBERD_DEMO',
    'NUMBERD_PRICE_LOCAL', 'NUMBERD_PRICE_TOLL_FREE', 'NUMBERD_PRICE_KEYWORD', 'NUMBERD_SHORT_CODE',
    'NUMBERD_WORKER_CONCURRENCY', 'NUMBERD_DB_POOL_SIZE', 'NUMBERD_LOG_LEVEL', 'NUMBERD_ADMIN_TOKEN', 'NUMBERD_TEST_CLOCK',
    'NUMBERD_PAYMENT_WINDOW_HOURS', 'NUMBERD_GRACE_DAYS', 'NUMBERD_AGING_DAYS', 'NUMBERD_URL', 'NUMBERD_DB_PREPARED_STATEMENTS',
    'NUMBERD_JOB_POLL_INTERVAL_MS', 'NUMBERD_JOB_BATCH_SIZE', 'NUMBERD_JOB_BATCH_WINDOW_MS', 'NUMBERD_JOB_LOCK_TIMEOUT_MS', 'NUMBERD_FAULT_CRASH_AFTER_STEP',
    'NUMBERD_WAIT_RECHECK_MS',
  ];
  const result: ServerEnv = {};
  for (const key of keys) {
    const value = env[key];
    if (value !== undefined && value !== '') result[key] = value;
  }
  return result;
}
