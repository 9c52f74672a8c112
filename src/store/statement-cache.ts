import type { Database as SqliteDatabase, Statement } from 'better-sqlite3';

/** Distinct SQL texts kept prepared; `in (?, ?, …)` lists of every length make a long tail. */
const MAX_STATEMENTS = 500;

/**
 * The connection Kysely's SqliteDialect sees, with prepared statements reused by SQL text.
 * Kysely prepares every query afresh, and preparing costs as much as running the small
 * queries a request makes. Reuse is safe: Kysely runs one query at a time on its one
 * SQLite connection, and a statement holds no state between runs.
 */
export function withStatementCache(sqlite: SqliteDatabase): { prepare(sql: string): Statement; close(): void } {
  const statements = new Map<string, Statement>();
  return {
    prepare(sql: string): Statement {
      let statement = statements.get(sql);
      if (statement) {
        // Map order is insertion order: re-inserting marks it recently used.
        statements.delete(sql);
      } else {
        statement = sqlite.prepare(sql);
        if (statements.size >= MAX_STATEMENTS) statements.delete(statements.keys().next().value!);
      }
      statements.set(sql, statement);
      return statement;
    },
    close: () => { sqlite.close(); },
  };
}
