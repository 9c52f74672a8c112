// `npm run bench [-- --quick] [-- --runs N]`: every scenario, N times (3 by default,
// 1 with --quick), then the medians to bench/results/. Loopback only; every load is bounded
// in time and in request count.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createOrderScenario, skippedCreateMetrics } from './scenarios/create-order.ts';
import { completionScenario } from './scenarios/completion.ts';
import { getOrderScenario } from './scenarios/get-order.ts';
import { importScenario } from './scenarios/import.ts';
import { searchScenario } from './scenarios/search.ts';
import { writeInventoryCsv, type BenchInventory } from './lib/inventory-csv.ts';
import { latencyChartSvg } from './lib/latency-chart.ts';
import { basicAuth, closeAgent } from './lib/load.ts';
import { metric, type BenchSetup, type Metric } from './lib/metrics.ts';
import { findPostgres, roundTripCeiling, type BenchPostgres } from './lib/postgres.ts';
import { numberdEnv, ROOT, runCli } from './lib/processes.ts';
import { markdownTable, summarise, thisMachine, writeResults } from './lib/results.ts';

const { values: args } = parseArgs({ options: { quick: { type: 'boolean', default: false }, runs: { type: 'string' } } });
const quick = args.quick!;
const runCount = Number(args.runs ?? (quick ? 1 : 3));
const inventorySize = quick ? 100_000 : 1_000_000;
const LOGIN = 'bench';
const PASSWORD = 'bench-password';

const work = mkdtempSync(join(tmpdir(), 'numberd-bench-'));
const log = (text: string) => process.stderr.write(`[bench] ${text}\n`);

try {
  const csv = join(work, 'inventory.csv');
  log(`writing an inventory of ${inventorySize} numbers`);
  const inventory = await writeInventoryCsv(csv, inventorySize);
  const postgres = quick ? { skipped: 'skipped: --quick' } : await findPostgres();
  const runs: Metric[][] = [];
  let samples: Record<string, number[]> = {};
  try {
    for (let run = 1; run <= runCount; run++) {
      log(`run ${run} of ${runCount}`);
      samples = {};
      runs.push(await oneRun(join(work, `run-${run}`), csv, inventory, postgres, samples));
      // After every run, so a long suite stopped half-way still leaves its figures.
      const markdown = save(runs, samples, inventory.rows);
      if (run === runCount) process.stdout.write(markdown);
    }
  } finally {
    if ('stop' in postgres) await postgres.stop();
  }
} finally {
  closeAgent();
  rmSync(work, { recursive: true, force: true });
}

function save(runs: Metric[][], samples: Record<string, number[]>, rows: number): string {
  const machine = thisMachine();
  const summaries = summarise(runs);
  const markdown = markdownTable(summaries, machine, runs.length, quick);
  const svg = latencyChartSvg(`numberd latency distributions (${machine.date}, last run${quick ? ', --quick' : ''})`, samples);
  writeResults(join(ROOT, 'bench/results'), { json: { machine, quick, runs: runs.length, inventory: rows, summaries }, markdown, svg }, quick ? 'quick' : 'latest');
  return markdown;
}

async function oneRun(dir: string, csv: string, inventory: BenchInventory, postgres: BenchPostgres | { skipped: string }, samples: Record<string, number[]>): Promise<Metric[]> {
  const setup: BenchSetup = {
    quick, dir, sqliteUrl: `sqlite:${join(dir, 'bench.db')}`, login: LOGIN, password: PASSWORD, authorization: basicAuth(LOGIN, PASSWORD),
  };
  const metrics: Metric[] = [];
  const step = async (name: string, fn: () => Promise<Metric[]>) => {
    log(name);
    metrics.push(...(await fn()));
  };
  await step('import', () => importScenario(setup, csv, inventory.rows));
  await step('search', () => searchScenario(setup, inventory.probe, samples));
  await step('GetNumberOrder', () => getOrderScenario(setup));
  await step('CreateNumberOrder on SQLite', () => createOrderScenario(setup, 'SQLite', setup.sqliteUrl, 'one process', inventory.specificNumbers));
  await step('completion latency', () => completionScenario(setup, samples));
  for (const topology of ['one process', '2 API + 2 workers'] as const) {
    if ('skipped' in postgres) {
      metrics.push(...skippedCreateMetrics('PostgreSQL', topology, postgres.skipped));
      continue;
    }
    await step(`CreateNumberOrder on PostgreSQL, ${topology}`, async () => {
      const url = await postgres.createDatabase(`numberd_bench_${process.pid}`);
      // The same inventory and account as on SQLite, through the same CLI.
      await runCli(['inventory', 'import', csv, '--json'], numberdEnv(url));
      await runCli(['accounts', 'create', '--login', LOGIN, '--password', PASSWORD], numberdEnv(url));
      const ceiling = topology === 'one process'
        ? [metric('create', 'ceiling.postgres.tx8', 'ceiling: node-postgres alone, transactions of 8 round trips, 10 conn.', 'tx/s', await roundTripCeiling(url, 8, 4))]
        : [];
      return [...ceiling, ...(await createOrderScenario(setup, 'PostgreSQL', url, topology, inventory.specificNumbers))];
    });
  }
  // Every measured throughput is also a ratio of the ceiling at 10 connections measured in this
  // run (a bound worked out from CPU time is not one).
  const ceiling = metrics.find((m) => m.id === 'ceiling.10.rps')?.value;
  for (const m of metrics) {
    const measured = !m.id.startsWith('ceiling.') && !m.id.endsWith('.bound');
    if (m.ratio === undefined && ceiling && m.value !== null && (m.unit === 'req/s' || m.unit === 'orders/s') && measured) {
      m.ratio = m.value / ceiling;
    }
  }
  rmSync(dir, { recursive: true, force: true });
  return metrics;
}
