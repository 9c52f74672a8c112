import { cpuUsedBetween, readCpu, type CpuReading } from '../lib/cpu-usage.ts';
import { load, request, type LoadResult } from '../lib/load.ts';
import { metric, type BenchSetup, type Metric } from '../lib/metrics.ts';
import { createOrder, waitUntilTerminal } from '../lib/orders.ts';
import { startCeiling, startNumberd } from '../lib/processes.ts';

/**
 * Scenario 1: GetNumberOrder of a finished two-number order, XML and JSON, 10 and 100
 * connections, against the ceiling: fastify answering a fixed body of the XML answer's length.
 * At 100 connections also each server's CPU time per answer, which the machine's noise moves less
 * than throughput.
 */
export async function getOrderScenario(setup: BenchSetup): Promise<Metric[]> {
  const server = await startNumberd(setup.sqliteUrl);
  const metrics: Metric[] = [];
  try {
    const id = await createOrder(server.url, setup.authorization, 'LocalCount=1&TollFreeCount=1');
    await waitUntilTerminal(server.url, setup.authorization, id);
    const path = `/api/1.1/rest/number/order/${id}`;
    const xml = await request(`${server.url}${path}`, { headers: { authorization: setup.authorization } });
    const bytes = Buffer.byteLength(xml.body);
    const duration = setup.quick ? 2 : 8;
    const ceiling = await startCeiling(bytes);
    const formats = ['xml', 'json'] as const;
    const numberdUrl = (format: (typeof formats)[number]) => `${server.url}${path}${format === 'json' ? '.json' : ''}`;
    try {
      // Unmeasured: in its first 4 s under this load a new numberd spent 143-181 µs of CPU per
      // answer, and 93-144 µs from then on, while V8 compiled its request path.
      const warmUp = setup.quick ? 1 : 4;
      await load({ url: `${ceiling.url}${path}`, connections: 100, duration: warmUp, amount: 500_000 });
      for (const format of formats) {
        await load({ url: numberdUrl(format), headers: { authorization: setup.authorization }, connections: 100, duration: warmUp, amount: 500_000 });
      }
      // Each numberd load right after the ceiling load it is a ratio of: the machine's speed drifts
      // over a minute (by a fifth on a shared VM), and a ratio of loads a minute apart carries it.
      for (const connections of [10, 100]) {
        let cpu = readCpu({ server: () => [ceiling.pid] });
        const ceilingResult = await load({ url: `${ceiling.url}${path}`, connections, duration, amount: 2_000_000 });
        metrics.push(...loadMetrics(`ceiling.${connections}`, `ceiling (fixed ${bytes}-byte XML), ${connections} conn.`, ceilingResult));
        if (connections === 100) metrics.push(cpuPerAnswer('ceiling.100.cpu', 'ceiling', cpu, ceiling.pid, ceilingResult));
        for (const format of formats) {
          cpu = readCpu({ server: () => [server.pid] });
          const result = await load({ url: numberdUrl(format), headers: { authorization: setup.authorization }, connections, duration, amount: 2_000_000 });
          if (result.errors > 0) throw new Error(`GetNumberOrder ${format}: ${result.errors} errors`);
          const ratio = result.rps / ceilingResult.rps;
          const target = format === 'xml' && connections === 100 ? { op: '>=' as const, value: 0.5, on: 'ratio' as const } : undefined;
          metrics.push(...loadMetrics(`getOrder.${format}.${connections}`, `GetNumberOrder ${format.toUpperCase()}, ${connections} conn.`, result, ratio, target));
          if (connections === 100) metrics.push(cpuPerAnswer(`getOrder.${format}.100.cpu`, `GetNumberOrder ${format.toUpperCase()}`, cpu, server.pid, result));
        }
      }
    } finally {
      await ceiling.stop();
    }
  } finally {
    metrics.push(metric('getOrder', 'getOrder.peakRss', 'server peak RSS, GetNumberOrder', 'MB', server.peakRssMb()));
    await server.stop();
  }
  return metrics;
}

function cpuPerAnswer(id: string, what: string, before: CpuReading, pid: number, result: LoadResult): Metric {
  const used = cpuUsedBetween(before, readCpu({ server: () => [pid] }));
  return metric('getOrder', id, `server CPU per answer, ${what}, 100 conn.`, 'µs', (used.processes.server! * 1000) / result.requests);
}

function loadMetrics(id: string, label: string, result: LoadResult, ratio?: number, target?: Metric['target']): Metric[] {
  return [
    metric('getOrder', `${id}.rps`, `${label} throughput`, 'req/s', result.rps, { ratio, target }),
    metric('getOrder', `${id}.p50`, `${label} p50`, 'ms', result.p50Ms),
    metric('getOrder', `${id}.p99`, `${label} p99`, 'ms', result.p99Ms),
  ];
}
