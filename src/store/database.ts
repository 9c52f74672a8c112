import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect } from 'kysely';
import pg from 'pg';
import { isPostgresUrl } from '../config/database-url.ts';
import { CtxMigrationProvider } from './migrations/index.ts';
import { namedStatementPool } from './named-statements.ts';
import { isNamedTemplateSql } from './prepared.ts';
import type { Database } from './schema.ts';
import { startCheckpointer } from './sqlite-checkpointer.ts';
import { ImmediateSqliteDialect } from './sqlite-dialect.ts';
import { SqliteWriteLock } from './sqlite-write-lock.ts';
import { withStatementCache } from './statement-cache.ts';

export type DialectName = 'sqlite' | 'postgres';

export interface DatabaseHandle {
  db: Kysely<Database>;
  dialect: DialectName;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  url: string;
  /** Postgres pool size; SQLite always uses one connection. */
  poolSize?: number;
  /**
   * Postgres: run the order path's statements as server-side prepared statements (the default).
   * Off for a pooler that hands each transaction a different server connection and does not
   * carry prepared statements across (PgBouncer's transaction mode before 1.21).
   */
  preparedStatements?: boolean;
  /** SQLite file: checkpoint from a worker thread, so no commit waits for the disk (a server wants this). */
  backgroundCheckpoints?: boolean;
}

/** How long a SQLite statement waits for another process's write lock before it fails. */
const BUSY_TIMEOUT_MS = 5000;

// INT8 columns (ids, cents, epoch ms) stay far below 2^53, so they are parsed to numbers here, once.
pg.types.setTypeParser(20, (value) => Number(value));

export function openDatabase(options: DatabaseOptions): DatabaseHandle {
  const { url } = options;
  if (isPostgresUrl(url)) {
    const pool = new pg.Pool({ connectionString: url, max: options.poolSize ?? 10 });
    // An idle connection the server drops (restart, failover) must not crash the process; the pool replaces it.
    pool.on('error', () => {});
    const db = new Kysely<Database>({
      dialect: new PostgresDialect({ pool: options.preparedStatements === false ? pool : namedStatementPool(pool, isNamedTemplateSql) }),
    });
    return { db, dialect: 'postgres', close: () => db.destroy() };
  }
  if (url.startsWith('sqlite:')) {
    const file = url.slice('sqlite:'.length);
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    const sqlite = new SqliteDatabase(file);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = NORMAL');
    sqlite.pragma('foreign_keys = ON');
    // Another process (the CLI) may write while the server runs; wait for its lock rather than fail.
    sqlite.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    // 32 MB of page cache instead of 2 MB: a 1,000,000-number inventory's indexes stay in
    // memory, so imports and searches stop re-reading pages (per connection, hence not a migration).
    sqlite.pragma('cache_size = -32000');
    // Every transaction the group commit joins is a savepoint, and a savepoint keeps the pages it
    // changes in a journal of its own: in a temporary file by default, about forty writes per order.
    sqlite.pragma('temp_store = MEMORY');
    // Shared with the checkpointer's thread, the one other writer of this process.
    const writeLock = options.backgroundCheckpoints && file !== ':memory:' ? new SqliteWriteLock() : undefined;
    const db = new Kysely<Database>({ dialect: new ImmediateSqliteDialect({ database: withStatementCache(sqlite), writeLock, busyTimeoutMs: BUSY_TIMEOUT_MS }) });
    if (!writeLock) return { db, dialect: 'sqlite', close: () => db.destroy() };
    sqlite.pragma('wal_autocheckpoint = 0');
    // Should the thread die, the connection checkpoints for itself again rather than let the log grow.
    const checkpointer = startCheckpointer(file, () => sqlite.pragma('wal_autocheckpoint = 1000'), { writeLock });
    return {
      db,
      dialect: 'sqlite',
      async close() {
        await checkpointer.stop();
        await db.destroy();
      },
    };
  }
  throw new Error(`DATABASE_URL must start with sqlite: or postgres://, got "${url}"`);
}

export async function migrateToLatest(handle: DatabaseHandle): Promise<void> {
  const migrator = new Migrator({
    db: handle.db,
    provider: new CtxMigrationProvider({ dialect: handle.dialect }),
  });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    throw new Error(`migration ${failed?.migrationName ?? ''} failed`, { cause: error });
  }
}
