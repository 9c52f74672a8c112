import type { DialectName } from './database.ts';

/** Every difference between the stores that repository code may look at; nothing else tests the dialect. */
export interface StoreCapabilities {
  /** `SELECT ... FOR UPDATE` row locks exist; SQLite has one writer at a time instead. */
  supportsRowLocks: boolean;
  /** `FOR UPDATE SKIP LOCKED` exists; SQLite serialises writers instead. */
  supportsSkipLocked: boolean;
  /** `pg_notify`/LISTEN exist, so a commit can wake workers in other processes. */
  supportsListenNotify: boolean;
  /** `unnest` of array parameters exists, so many rows can be inserted with three parameters. */
  supportsUnnest: boolean;
}

export function capabilitiesOf(dialect: DialectName): StoreCapabilities {
  const postgres = dialect === 'postgres';
  return { supportsRowLocks: postgres, supportsSkipLocked: postgres, supportsListenNotify: postgres, supportsUnnest: postgres };
}

/** The LISTEN/NOTIFY channel a job enqueue announces itself on. */
export const JOBS_CHANNEL = 'numberd_jobs';
/** The LISTEN/NOTIFY channel where the ids of orders that ended are announced, for waiting GetNumberOrder requests. */
export const ORDERS_ENDED_CHANNEL = 'numberd_orders_ended';
/** The LISTEN/NOTIFY channel where a revoked credential's login is announced, so every process forgets it at once. */
export const CREDENTIALS_REVOKED_CHANNEL = 'numberd_credentials_revoked';
