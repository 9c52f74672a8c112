import type { DialectName } from './database.ts';

/** Every difference between the stores that repository code may look at; nothing else tests the dialect. */
export interface StoreCapabilities {
  /** `FOR UPDATE SKIP LOCKED` exists; SQLite serialises writers instead. */
  supportsSkipLocked: boolean;
  /** `SELECT ... FOR UPDATE` row locks; SQLite's single writer makes them unnecessary. */
  supportsRowLocks: boolean;
}

export function capabilitiesOf(dialect: DialectName): StoreCapabilities {
  return { supportsSkipLocked: dialect === 'postgres', supportsRowLocks: dialect === 'postgres' };
}
