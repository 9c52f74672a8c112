import assert from 'node:assert/strict';
import { cpus } from 'node:os';
import { describe, test } from 'node:test';
import { XMLValidator } from 'fast-xml-parser';
import { cpuUsedBetween, mainThreadCpuMs, readCpu, type CpuReading } from '../../bench/lib/cpu-usage.ts';
import { latencyChartSvg } from '../../bench/lib/latency-chart.ts';
import { meetsTarget, metric, type Metric } from '../../bench/lib/metrics.ts';
import { median, percentile, round } from '../../bench/lib/percentiles.ts';
import { markdownTable, summarise, type Machine } from '../../bench/lib/results.ts';

// The figures the README quotes come out of these functions; a wrong rank or median would misstate them.

describe('percentile', () => {
  const samples = [50, 10, 40, 20, 30, 100, 90, 80, 70, 60];

  test('is the nearest rank: the smallest sample with at least p% of the samples at or below it', () => {
    assert.equal(percentile(samples, 50), 50);
    assert.equal(percentile(samples, 51), 60);
    assert.equal(percentile(samples, 90), 90);
    assert.equal(percentile(samples, 99), 100);
    assert.equal(percentile(samples, 100), 100);
    assert.equal(percentile(samples, 0), 10);
  });

  test('leaves its input in the order it came', () => {
    const copy = [...samples];
    percentile(samples, 50);
    assert.deepEqual(samples, copy);
  });

  test('of no samples is NaN, not a number that could pass for a latency', () => {
    assert.ok(Number.isNaN(percentile([], 99)));
  });

  test('median of three runs is the middle one, whatever their order', () => {
    assert.equal(median([2_130, 1_900, 2_400]), 2_130);
    assert.equal(median([0.36, 0.45, 0.34]), 0.36);
  });
});

describe('round', () => {
  test('keeps three significant digits', () => {
    assert.equal(round(110_123), 110_000);
    assert.equal(round(4.5549), 4.55);
    assert.equal(round(0.012345), 0.0123);
  });

  test('passes NaN and infinities through', () => {
    assert.ok(Number.isNaN(round(Number.NaN)));
    assert.equal(round(Number.POSITIVE_INFINITY), Number.POSITIVE_INFINITY);
  });
});

describe('meetsTarget', () => {
  test('compares the value or the ratio, as the target says', () => {
    assert.equal(meetsTarget({ value: 3_000, target: { op: '>=', value: 3_000, on: 'value' } }), true);
    assert.equal(meetsTarget({ value: 2_999, target: { op: '>=', value: 3_000, on: 'value' } }), false);
    assert.equal(meetsTarget({ value: 4.9, target: { op: '<=', value: 5, on: 'value' } }), true);
    assert.equal(meetsTarget({ value: 9_990, ratio: 0.36, target: { op: '>=', value: 0.5, on: 'ratio' } }), false);
    assert.equal(meetsTarget({ value: 9_990, ratio: 0.5, target: { op: '>=', value: 0.5, on: 'ratio' } }), true);
  });

  test('is null without a target or without a figure to compare', () => {
    assert.equal(meetsTarget({ value: 1 }), null);
    assert.equal(meetsTarget({ value: null, target: { op: '>=', value: 1, on: 'value' } }), null);
    assert.equal(meetsTarget({ value: Number.NaN, target: { op: '>=', value: 1, on: 'value' } }), null);
    assert.equal(meetsTarget({ value: 1, target: { op: '>=', value: 0.5, on: 'ratio' } }), null);
  });
});

describe('summarise and markdownTable', () => {
  const create = (value: number | null, note?: string) =>
    metric('create', 'create.sqlite.one.bulk', 'CreateNumberOrder bulk, SQLite', 'orders/s', value, { target: { op: '>=', value: 3_000, on: 'value' }, note });
  const getOrder = (value: number, ratio: number) =>
    metric('getOrder', 'getOrder.xml.100.rps', 'GetNumberOrder XML, 100 conn. throughput', 'req/s', value, { ratio, target: { op: '>=', value: 0.5, on: 'ratio' } });
  const p99 = (value: number) => metric('search', 'search.prefix.p99', 'search prefix p99', 'ms', value, { target: { op: '<=', value: 5, on: 'value' } });
  const runs: Metric[][] = [
    [create(2_130), getOrder(9_990, 0.36), p99(4.2)],
    [create(3_100), getOrder(9_340, 0.61), p99(6.1)],
    [create(1_900), getOrder(10_400, 0.34), p99(Number.NaN)],
  ];

  test('takes the median of each figure and of each ratio separately, over the runs that measured it', () => {
    const [created, got, search] = summarise(runs);
    assert.equal(created!.value, 2_130);
    assert.deepEqual(created!.runs, [2_130, 3_100, 1_900]);
    assert.equal(created!.met, false);
    assert.equal(got!.value, 9_990);
    assert.equal(got!.ratio, 0.36);
    assert.equal(got!.met, false);
    // The run that measured nothing (NaN) does not count: the median of 4.2 and 6.1 by nearest rank.
    assert.equal(search!.value, 4.2);
    assert.equal(search!.met, true);
  });

  test('keeps the metrics in the order the first run reported them', () => {
    assert.deepEqual(summarise(runs).map((s) => s.id), ['create.sqlite.one.bulk', 'getOrder.xml.100.rps', 'search.prefix.p99']);
  });

  test('a figure no run measured has no value, says why, and is neither met nor missed', () => {
    const [skipped] = summarise([[create(null, 'skipped: --quick')], [create(null)]]);
    assert.equal(skipped!.value, null);
    assert.equal(skipped!.note, 'skipped: --quick');
    assert.equal(skipped!.met, null);
  });

  test('the table marks each target met or missed, with the ratio and every run', () => {
    const machine: Machine = { cpu: 'Test CPU', cores: 2, memoryGb: 24, node: 'v20.0.0', date: '2026-11-27' };
    const table = markdownTable(summarise([...runs, [create(null)]]), machine, 4, false);
    assert.match(table, /^Measured 2026-11-27 on Test CPU, 2 cores, 24 GB, Node v20\.0\.0; median of 4 runs\./);
    assert.match(table, /\| CreateNumberOrder bulk, SQLite \| 2,130 orders\/s \|  \| ≥ 3,000 orders\/s \| \*\*no\*\* \| 2,130 \/ 3,100 \/ 1,900 \/ – \|/);
    assert.match(table, /\| GetNumberOrder XML, 100 conn\. throughput \| 9,990 req\/s \| 36% \| ≥ 50% of ceiling \| \*\*no\*\* \|/);
    assert.match(table, /\| search prefix p99 \| 4\.2 ms \|  \| ≤ 5 ms \| yes \| 4\.2 \/ 6\.1 \/ – \|/);
  });
});

describe('cpuUsedBetween', () => {
  const reading = (numberd: number, total: number, idle: number, steal: number): CpuReading =>
    ({ processes: { numberd }, machine: { total, idle, steal, cpus: 2 } });

  test('gives each group its CPU time in between, and the machine busy and stolen shares', () => {
    const use = cpuUsedBetween(reading(1_000, 10_000, 4_000, 100), reading(3_500, 10_400, 4_100, 120));
    assert.equal(use.processes.numberd, 2_500);
    // 400 ticks passed: 100 idle, 20 stolen, the other 280 busy.
    assert.equal(use.busy, 280 / 400);
    assert.equal(use.steal, 20 / 400);
    // Ticks are hundredths of a second: 280 busy ticks are 2.8 s of CPU, spread over the 2 CPUs.
    assert.equal(use.machineMs, 2_800);
    assert.equal(use.cpus, 2);
  });

  test('counts the machine\'s CPUs as Linux lists them', { skip: process.platform !== 'linux' }, () => {
    assert.equal(readCpu({}).machine.cpus, cpus().length);
  });

  test('reads the CPU time of a process\'s main thread', { skip: process.platform !== 'linux' }, () => {
    const before = mainThreadCpuMs(process.pid);
    const cpuUs = () => { const { user, system } = process.cpuUsage(); return user + system; };
    const spinUntil = cpuUs() + 200_000;
    while (cpuUs() < spinUntil);
    // 200 ms of the process's CPU, nearly all of it this spinning thread's; /proc counts in ticks of 10 ms.
    const spent = mainThreadCpuMs(process.pid) - before;
    assert.ok(spent >= 100 && spent <= 1_000, `${spent} ms`);
  });
});

describe('latencyChartSvg', () => {
  const coordinates = (svg: string) => [...svg.matchAll(/points="([^"]*)"/g)].flatMap((m) => m[1]!.split(/[ ,]/).map(Number));

  test('draws one labelled curve per series with samples, as well-formed SVG', () => {
    const samples = Array.from({ length: 1_000 }, (_, i) => 1 + i / 10);
    const svg = latencyChartSvg('latency <last run> & more', { 'search p99': samples, completion: samples.map((v) => v * 3), empty: [] });
    assert.equal(XMLValidator.validate(svg), true);
    assert.equal(svg.match(/<polyline/g)?.length, 2);
    assert.match(svg, />search p99</);
    assert.match(svg, /latency &lt;last run&gt; &amp; more/);
    assert.ok(coordinates(svg).every(Number.isFinite));
  });

  test('still has a scale when every sample is the same power of ten', () => {
    const svg = latencyChartSvg('flat', { flat: [1, 1, 1] });
    assert.equal(XMLValidator.validate(svg), true);
    assert.ok(coordinates(svg).length > 0);
    assert.ok(coordinates(svg).every(Number.isFinite), 'a curve with NaN coordinates draws nothing');
  });
});
