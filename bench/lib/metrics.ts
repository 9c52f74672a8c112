/** One figure of one run. `ratio` is value / ceiling where a ceiling was measured in the same run. */
export interface Metric {
  id: string;
  scenario: string;
  label: string;
  unit: string;
  value: number | null;
  ratio?: number;
  target?: { op: '>=' | '<='; value: number; on: 'value' | 'ratio' };
  /** Why there is no value (e.g. no PostgreSQL). */
  note?: string;
}

/** What every scenario gets: where the work lives and how long it may take. */
export interface BenchSetup {
  quick: boolean;
  dir: string;
  sqliteUrl: string;
  login: string;
  password: string;
  authorization: string;
}

export function metric(scenario: string, id: string, label: string, unit: string, value: number | null, extra: Partial<Metric> = {}): Metric {
  return { id, scenario, label, unit, value, ...extra };
}

export function meetsTarget(m: Pick<Metric, 'value' | 'ratio' | 'target'>): boolean | null {
  if (!m.target) return null;
  const actual = m.target.on === 'ratio' ? m.ratio : m.value;
  if (actual === undefined || actual === null || Number.isNaN(actual)) return null;
  return m.target.op === '>=' ? actual >= m.target.value : actual <= m.target.value;
}
