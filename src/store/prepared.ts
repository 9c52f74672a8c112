import type { CompiledQuery, Compilable, Kysely, QueryResult } from 'kysely';
import type { Database } from './schema.ts';

const SLOT = Symbol('prepared query slot');
type SlotMarker = { [SLOT]: number };

interface Template {
  compiled: CompiledQuery;
  /** For each compiled parameter, the argument that fills it, or -1 for a constant of the query. */
  sources: number[];
}

/**
 * A query Kysely builds and compiles once per database, then runs with new values in its
 * slots. Building and compiling a small query costs more than SQLite takes to run it, and the
 * order path runs the same few shapes thousands of times a second. A slot holds one value,
 * never an `in (...)` list, whose length changes the SQL.
 */
export function prepared<Args extends unknown[], Row>(build: (db: Kysely<Database>, ...slots: Args) => Compilable<Row>) {
  // Keyed by the dialect adapter, which a database and its transactions share.
  const templates = new WeakMap<object, Template>();
  return (db: Kysely<Database>, ...args: Args): Promise<QueryResult<Row>> => {
    const adapter = db.getExecutor().adapter;
    let template = templates.get(adapter);
    if (!template) {
      const slots = args.map((_, i): SlotMarker => ({ [SLOT]: i }));
      const compiled = build(db, ...(slots as Args)).compile();
      const sources = compiled.parameters.map((p) => (typeof p === 'object' && p !== null && SLOT in p ? (p as SlotMarker)[SLOT] : -1));
      template = { compiled, sources };
      templates.set(adapter, template);
    }
    const { compiled, sources } = template;
    const parameters = sources.map((source, i) => (source < 0 ? compiled.parameters[i] : args[source]));
    return db.executeQuery<Row>({ ...compiled, parameters } as CompiledQuery<Row>);
  };
}
