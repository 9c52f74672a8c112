import { numberdEnv, runCli } from '../lib/processes.ts';
import { metric, type BenchSetup, type Metric } from '../lib/metrics.ts';

/** Scenario 5: `numberd inventory import FILE.csv` into an empty SQLite database, wall time of the CLI. */
export async function importScenario(setup: BenchSetup, csv: string, rows: number): Promise<Metric[]> {
  const run = await runCli(['inventory', 'import', csv, '--json'], numberdEnv(setup.sqliteUrl));
  const report = JSON.parse(run.stdout) as { rows: number; added: number; rejected: unknown[] };
  if (report.added !== rows || report.rejected.length > 0) throw new Error(`import added ${report.added} of ${rows} rows`);
  await runCli(['accounts', 'create', '--login', setup.login, '--password', setup.password], numberdEnv(setup.sqliteUrl));
  return [
    metric('import', 'import.rowsPerSecond', `CLI import of ${rows.toLocaleString('en-US')} rows`, 'rows/s', rows / (run.ms / 1000),
      { target: { op: '>=', value: 100_000, on: 'value' } }),
    metric('import', 'import.peakRss', 'CLI peak RSS during import', 'MB', run.peakRssMb),
  ];
}
