import { type CompiledQuery, Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Store } from '../../src/app/ports.ts';
import { migrateToLatest, type DatabaseHandle } from '../../src/store/database.ts';
import { createKyselyStore } from '../../src/store/kysely-store.ts';
import type { Database } from '../../src/store/schema.ts';
import { createTestDatabase } from './test-database.ts';

export interface PlannedDatabase {
  /** A database handle for the store and migrations; its db records every query it runs. */
  handle: DatabaseHandle;
  /** The queries run so far, oldest first; empty it before the step under test. */
  executed: CompiledQuery[];
  /** Postgres's plan for a query, as EXPLAIN prints it. */
  planOf(query: CompiledQuery): Promise<string>;
}

/**
 * Runs `body` on a store over a fresh, migrated Postgres database whose handle keeps the queries it
 * runs, so the test can ask how they were planned; the database is dropped afterwards.
 */
export async function withPlannedStore(body: (planned: PlannedDatabase & { db: Kysely<Database>; store: Store }) => Promise<void>): Promise<void> {
  const database = await createTestDatabase();
  const planned = openPlannedDatabase(database.url);
  try {
    await migrateToLatest(planned.handle);
    await body({ ...planned, db: planned.handle.db, store: createKyselyStore(planned.handle) });
  } finally {
    await planned.handle.close();
    await database.drop();
  }
}

/** A Postgres database handle that keeps the queries it runs. */
function openPlannedDatabase(url: string): PlannedDatabase {
  const executed: CompiledQuery[] = [];
  const db = new Kysely<Database>({
    dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: url, max: 2 }) }),
    log: (event) => { if (event.level === 'query') executed.push(event.query); },
  });
  return {
    handle: { db, dialect: 'postgres', close: () => db.destroy() },
    executed,
    async planOf(query) {
      const { rows } = await db.executeQuery<{ 'QUERY PLAN': string }>({ ...query, sql: `explain ${query.sql}` });
      return rows.map((row) => row['QUERY PLAN']).join('\n');
    },
  };
}
