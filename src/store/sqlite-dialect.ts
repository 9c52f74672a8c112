import { CompiledQuery, type DatabaseConnection, type Driver, SqliteDialect, type SqliteDialectConfig, SqliteDriver } from 'kysely';
import type { SqliteWriteLock } from './sqlite-write-lock.ts';

export interface ImmediateSqliteDialectConfig extends SqliteDialectConfig {
  /** Held from BEGIN to COMMIT or ROLLBACK, for other threads of this process that write the file. */
  writeLock?: SqliteWriteLock;
}

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
  #holding = false;

  constructor(config: ImmediateSqliteDialectConfig) {
    super(config);
    this.#writeLock = config.writeLock;
  }

  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    if (this.#writeLock) {
      await this.#writeLock.acquire();
      this.#holding = true;
    }
    try {
      await connection.executeQuery(CompiledQuery.raw('begin immediate'));
    } catch (error) {
      // Kysely rolls back only a transaction that began.
      this.#release();
      throw error;
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
