import { CompiledQuery, type Kysely, sql } from 'kysely';
import type { NewInventoryNumber } from '../../app/ports.ts';
import type { Database } from '../schema.ts';

/**
 * Inserts new available numbers, keeping the ones already present; returns how many were new.
 * The multi-row statement is built once per size and run with each chunk's values: building
 * it through the query builder for every row cost more than storing the row (a third of an
 * import's time), and the unchanged SQL text stays prepared in SQLite's statement cache.
 */
export async function insertNumbers(db: Kysely<Database>, numbers: readonly NewInventoryNumber[], rowsPerStatement: number): Promise<number> {
  const statements = new Map<number, string>();
  let added = 0;
  for (let i = 0; i < numbers.length; i += rowsPerStatement) {
    const chunk = numbers.slice(i, i + rowsPerStatement);
    let text = statements.get(chunk.length);
    if (text === undefined) {
      text = insertStatement(db, chunk.length);
      statements.set(chunk.length, text);
    }
    // Parameters in the statement's order: number, toll_free, prefix, row after row.
    const parameters: unknown[] = [];
    for (const n of chunk) parameters.push(n.number, n.tollFree ? 1 : 0, n.prefix);
    const result = await db.executeQuery(CompiledQuery.raw(text, parameters));
    added += Number(result.numAffectedRows ?? 0);
  }
  return added;
}

/** The SQL of an insert of `rows` numbers with three parameters each. */
function insertStatement(db: Kysely<Database>, rows: number): string {
  const placeholder = { number: '', toll_free: 0, prefix: null as string | null, state: sql.lit('AVAILABLE' as const) };
  const compiled = db.insertInto('numbers')
    .values(Array.from({ length: rows }, () => placeholder))
    .onConflict((oc) => oc.column('number').doNothing())
    .compile();
  if (compiled.parameters.length !== rows * 3) throw new Error(`insert of ${rows} numbers has ${compiled.parameters.length} parameters`);
  return compiled.sql;
}
