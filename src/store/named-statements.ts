import type { PostgresPool, PostgresPoolClient } from 'kysely';
import type pg from 'pg';

/**
 * Kysely's view of a pg pool, whose clients run the statements `isNamed` picks as named
 * (server-side prepared) statements: each connection has Postgres parse such a statement once
 * and then only binds and runs it, and after five runs Postgres may keep a generic plan instead
 * of planning every call. Unnamed, the order path's statements were parsed and planned on each
 * call: planning alone took about a sixth of Postgres's CPU time per order.
 *
 * Only fixed statements that run constantly should be named: a connection keeps every statement
 * it prepared until it closes, and a generic plan is chosen without the values, so each named
 * statement's generic plan must be as good as its custom ones. A generic plan made while a table
 * was nearly empty lasts until the table's statistics change (autovacuum's analyze), as with any
 * driver that prepares statements.
 */
export function namedStatementPool(pool: pg.Pool, isNamed: (sql: string) => boolean): PostgresPool {
  // One name per text for the whole process, so a name means the same statement on every connection.
  const names = new Map<string, string>();
  const nameOf = (text: string): string => {
    let name = names.get(text);
    if (!name) names.set(text, name = `numberd_${names.size + 1}`);
    return name;
  };
  return {
    async connect() {
      const client = await pool.connect();
      // Kysely passes a cursor only when its dialect has one configured, which numberd's has not.
      const query = (text: string, values: unknown[]) =>
        isNamed(text) ? client.query({ name: nameOf(text), text, values }) : client.query(text, values);
      return { query: query as unknown as PostgresPoolClient['query'], release: (destroy?: boolean) => client.release(destroy) };
    },
    end: () => pool.end(),
  };
}
