import { CompiledQuery, type DatabaseConnection, type Driver, SqliteDialect, type SqliteDialectConfig, SqliteDriver } from 'kysely';

/**
 * SQLite whose transactions take the write lock at BEGIN. Kysely's BEGIN is deferred: the lock is
 * taken at the first write, and when another connection (the CLI beside a running server) has
 * committed since the transaction's first read, SQLite answers "database is locked" at once instead
 * of waiting out busy_timeout. Taken at BEGIN, the wait works. Every numberd transaction writes (reads
 * run outside transactions), and the server has one connection, so nothing waits that did not before.
 */
export class ImmediateSqliteDialect extends SqliteDialect {
  readonly #config: SqliteDialectConfig;

  constructor(config: SqliteDialectConfig) {
    super(config);
    this.#config = config;
  }

  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.#config);
  }
}

class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}
