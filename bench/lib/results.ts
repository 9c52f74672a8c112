import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { meetsTarget, type Metric } from './metrics.ts';
import { median, round } from './percentiles.ts';

export interface Machine {
  cpu: string;
  cores: number;
  memoryGb: number;
  node: string;
  date: string;
}

export function thisMachine(): Machine {
  return {
    cpu: cpus()[0]?.model.trim() ?? 'unknown',
    cores: cpus().length,
    memoryGb: Math.round(totalmem() / 1024 ** 3),
    node: process.version,
    date: new Date().toISOString().slice(0, 10),
  };
}

/** A metric over every run: the median value and ratio, and each run's value. */
export interface Summary extends Metric {
  runs: (number | null)[];
  met: boolean | null;
}

export function summarise(runs: Metric[][]): Summary[] {
  const order: string[] = [];
  const byId = new Map<string, Metric[]>();
  for (const run of runs) {
    for (const m of run) {
      if (!byId.has(m.id)) { byId.set(m.id, []); order.push(m.id); }
      byId.get(m.id)!.push(m);
    }
  }
  return order.map((id) => {
    const all = byId.get(id)!;
    const values = all.map((m) => m.value).filter((v): v is number => v !== null && !Number.isNaN(v));
    const ratios = all.map((m) => m.ratio).filter((v): v is number => v !== undefined && !Number.isNaN(v));
    const first = all[0]!;
    const summary: Summary = {
      ...first,
      value: values.length > 0 ? median(values) : null,
      ratio: ratios.length > 0 ? median(ratios) : undefined,
      note: all.find((m) => m.note)?.note,
      runs: all.map((m) => m.value),
      met: null,
    };
    summary.met = meetsTarget(summary);
    return summary;
  });
}

export function markdownTable(summaries: Summary[], machine: Machine, runCount: number, quick: boolean): string {
  const lines = [
    `Measured ${machine.date} on ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGb} GB, Node ${machine.node}; ` +
      `median of ${runCount} run${runCount === 1 ? '' : 's'}${quick ? ' (--quick smoke run: short loads, small inventory)' : ''}. ` +
      'Ratios are to the ceiling measured in the same run (fastify answering a fixed GetNumberOrder-sized XML body, 10 connections unless the row says 100).',
    '',
    '| scenario | median | ratio to ceiling | target | met | runs |',
    '|---|---:|---:|---|---|---|',
  ];
  for (const s of summaries) {
    const value = s.value === null ? (s.note ?? 'n/a') : `${fmt(s.value)} ${s.unit}`;
    const ratio = s.ratio === undefined ? '' : `${(s.ratio * 100).toFixed(0)}%`;
    const target = s.target ? `${s.target.op === '>=' ? '≥' : '≤'} ${s.target.on === 'ratio' ? `${s.target.value * 100}% of ceiling` : `${fmt(s.target.value)} ${s.unit}`}` : '';
    const met = s.met === null ? (s.target ? '–' : '') : s.met ? 'yes' : '**no**';
    const runs = s.runs.map((v) => (v === null || Number.isNaN(v) ? '–' : fmt(v))).join(' / ');
    lines.push(`| ${s.label} | ${value} | ${ratio} | ${target} | ${met} | ${runs} |`);
  }
  return `${lines.join('\n')}\n`;
}

function fmt(value: number): string {
  return round(value).toLocaleString('en-US', { maximumFractionDigits: 2 });
}

/** `latest.*` holds full runs; a --quick smoke run writes `quick.*` so it never replaces them. */
export function writeResults(dir: string, files: { json: unknown; markdown: string; svg: string }, name: 'latest' | 'quick'): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(`${dir}/${name}.json`, `${JSON.stringify(files.json, null, 2)}\n`);
  writeFileSync(`${dir}/${name}.md`, files.markdown);
  writeFileSync(`${dir}/${name === 'latest' ? 'latency' : 'quick-latency'}.svg`, files.svg);
}
