import { CompiledQuery, type DatabaseConnection, type Driver, SqliteDialect, type SqliteDialectConfig, SqliteDriver } from 'kysely';
import type { SqliteWriteLock } from './sqlite-write-lock.ts';

export interface ImmediateSqliteDialectConfig extends SqliteDialectConfig {
  /** Held from BEGIN to COMMIT or ROLLBACK, for other threads of this process that write the file. */
  writeLock?: SqliteWriteLock;
  /** How long a BEGIN waits for another process's write lock: the connection's busy_timeout. Default 0. */
  busyTimeoutMs?: number;
}

/** A BEGIN that found the file locked tries again after 1 ms, then 2, 4, 8, then every 16 ms. */
const MAX_RETRY_DELAY_MS = 16;

/**
 * SQLite whose transactions take the write lock at BEGIN. Kysely's BEGIN is deferred: the lock is
 * taken at the first write, and when another connection (the CLI beside a running server) has
 * committed since the transaction's first read, SQLite answers "database is locked" at once instead
 * of waiting out busy_timeout. Taken at BEGIN, the wait works. Every numberd transaction writes (reads
 * run outside transactions), and the server has one connection, so nothing waits that did not before.
 */
export class ImmediateSqliteDialect extends SqliteDialect {
  readonly #config: ImmediateSqliteDialectConfig;

  constructor(config: ImmediateSqliteDialectConfig) {
    super(config);
    this.#config = config;
  }

  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.#config);
  }
}

class ImmediateSqliteDriver extends SqliteDriver {
  readonly #writeLock: SqliteWriteLock | undefined;
  readonly #busyTimeoutMs: number;
  #holding = false;

  constructor(config: ImmediateSqliteDialectConfig) {
    super(config);
    this.#writeLock = config.writeLock;
    this.#busyTimeoutMs = config.busyTimeoutMs ?? 0;
  }

  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    if (this.#writeLock) {
      await this.#writeLock.acquire();
      this.#holding = true;
    }
    try {
      await this.#begin(connection);
    } catch (error) {
      // Kysely rolls back only a transaction that began.
      this.#release();
      throw error;
    }
  }

  /**
   * BEGIN IMMEDIATE with the busy handler off, tried again after a timer while another process
   * (the CLI importing beside the server) holds the write lock. SQLite's busy handler would sleep
   * the whole thread; on timers the event loop keeps running, though statements still queue for
   * the one connection, as they do behind any transaction.
   */
  async #begin(connection: DatabaseConnection): Promise<void> {
    const deadline = performance.now() + this.#busyTimeoutMs;
    await connection.executeQuery(CompiledQuery.raw('pragma busy_timeout = 0'));
    try {
      for (let attempt = 0; ; attempt++) {
        try {
          await connection.executeQuery(CompiledQuery.raw('begin immediate'));
          return;
        } catch (error) {
          const delay = Math.min(2 ** attempt, MAX_RETRY_DELAY_MS);
          if ((error as { code?: string }).code !== 'SQLITE_BUSY' || performance.now() + delay > deadline) throw error;
          await new Promise((resolve) => setTimeout(resolve, delay));
        }
      }
    } finally {
      await connection.executeQuery(CompiledQuery.raw(`pragma busy_timeout = ${this.#busyTimeoutMs}`));
    }
  }

  override async commitTransaction(connection: DatabaseConnection): Promise<void> {
    // A failed commit is rolled back next, and releases the lock there.
    await super.commitTransaction(connection);
    this.#release();
  }

  override async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    try {
      await super.rollbackTransaction(connection);
    } finally {
      this.#release();
    }
  }

  #release(): void {
    if (!this.#holding) return;
    this.#holding = false;
    this.#writeLock!.release();
  }
}
