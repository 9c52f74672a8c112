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
 * never an `in (...)` list, whose length changes the SQL: see preparedPerShape for those.
 */
export function prepared<Args extends unknown[], Row>(build: (db: Kysely<Database>, ...slots: Args) => Compilable<Row>, options: TemplateOptions = {}) {
  // Keyed by the dialect adapter, which a database and its transactions share.
  const templates = new WeakMap<object, Template>();
  return (db: Kysely<Database>, ...args: Args): Promise<QueryResult<Row>> => {
    const adapter = db.getExecutor().adapter;
    let template = templates.get(adapter);
    if (!template) templates.set(adapter, template = compileTemplate(args, (slots) => build(db, ...slots), options));
    return run(db, template, args);
  };
}

/**
 * A prepared query whose SQL also depends on a shape: a list's length, the fields a filter sets.
 * One template per database and shape key, the `keep` most recently used kept. The shape's own
 * values may be written into the template as constants, as long as the key covers them.
 */
export function preparedPerShape<Shape, Args extends unknown[], Row>(
  keyOf: (shape: Shape) => string,
  build: (db: Kysely<Database>, shape: Shape, ...slots: Args) => Compilable<Row>,
  { keep = 64, ...options }: TemplateOptions & { keep?: number } = {},
) {
  const templates = new WeakMap<object, Map<string, Template>>();
  return (db: Kysely<Database>, shape: Shape, ...args: Args): Promise<QueryResult<Row>> => {
    const adapter = db.getExecutor().adapter;
    let byKey = templates.get(adapter);
    if (!byKey) templates.set(adapter, byKey = new Map());
    const key = keyOf(shape);
    let template = byKey.get(key);
    if (template) {
      // Most recently used last, so the first entry is the one to drop.
      byKey.delete(key);
    } else {
      template = compileTemplate(args, (slots) => build(db, shape, ...slots), options);
      if (byKey.size >= keep) byKey.delete(byKey.keys().next().value!);
    }
    byKey.set(key, template);
    return run(db, template, args);
  };
}

/**
 * The slots of a multi-row statement, `width` values per row laid one row after another, as
 * `count` rows: the shape of an `insert ... values` or of a CASE per row.
 */
export function slotRows(slots: readonly unknown[], count: number, width: number): unknown[][] {
  return Array.from({ length: count }, (_, row) => slots.slice(row * width, row * width + width));
}

export interface TemplateOptions {
  /**
   * Whether Postgres may run the query as a named statement, whose plan, once made without the
   * values, is kept until the tables' statistics change (default yes). No for a query whose best
   * plan turns on how large a growing table is.
   */
  named?: boolean;
}

/**
 * Texts past this many are still run, just not named: a bound on the statements a Postgres
 * connection keeps. A load of bulk orders named 221 (every batch size of each step).
 */
const MAX_TEMPLATE_TEXTS = 500;
const templateTexts = new Set<string>();

/** Whether a template that may be named compiled this SQL: a statement the order path runs over and over. */
export function isNamedTemplateSql(sql: string): boolean {
  return templateTexts.has(sql);
}

function compileTemplate<Args extends unknown[], Row>(args: Args, build: (slots: Args) => Compilable<Row>, { named = true }: TemplateOptions): Template {
  const slots = args.map((_, i): SlotMarker => ({ [SLOT]: i }));
  const compiled = build(slots as Args).compile();
  if (named && templateTexts.size < MAX_TEMPLATE_TEXTS) templateTexts.add(compiled.sql);
  const sources = compiled.parameters.map((p) => (typeof p === 'object' && p !== null && SLOT in p ? (p as SlotMarker)[SLOT] : -1));
  return { compiled, sources };
}

function run<Row>(db: Kysely<Database>, { compiled, sources }: Template, args: readonly unknown[]): Promise<QueryResult<Row>> {
  const parameters = sources.map((source, i) => (source < 0 ? compiled.parameters[i] : args[source]));
  return db.executeQuery<Row>({ ...compiled, parameters } as CompiledQuery<Row>);
}
