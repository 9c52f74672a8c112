import type { BenchInventory } from '../lib/inventory-csv.ts';
import { load, sequentialLatency, warmUp } from '../lib/load.ts';
import { metric, type BenchSetup, type Metric } from '../lib/metrics.ts';
import { startNumberd } from '../lib/processes.ts';

/** The four filters of the issue; Count=10, a page a client shows. */
export function searchQueries(probe: BenchInventory['probe']): Record<string, string> {
  return {
    prefix: `Prefix=${probe.prefix}&Count=10`,
    cityState: `City=${encodeURIComponent(probe.city)}&State=${probe.state}&Count=10`,
    zip: `Zipcode=${probe.zipcode}&Count=10`,
    tollFree: 'TollFree=true&Count=10',
  };
}

/**
 * Scenario 2: SearchAvailableNumbers on the full inventory. Latency is one request at a time
 * (what a client waits; under saturation latency only measures the queue), throughput is 10
 * connections.
 */
export async function searchScenario(setup: BenchSetup, probe: BenchInventory['probe'], samplesOut: Record<string, number[]>): Promise<Metric[]> {
  const server = await startNumberd(setup.sqliteUrl);
  const metrics: Metric[] = [];
  try {
    const headers = { authorization: setup.authorization };
    const queries = Object.entries(searchQueries(probe));
    // A new server answers its first few thousand requests while V8 optimises its hot functions on
    // the second core, which the client needs too. In the first 2,000 searches it optimised 56 to
    // 76 functions per 500 requests, and the answers over 3 ms came with them: p99 4.0 to 5.6 ms
    // per 500 requests, then 1.1 to 2.4 ms after 3,000, once it optimised 12 to 14 per 500. Every
    // filter is warmed first, so the one measured first does not carry the whole server's warm-up.
    for (const [, query] of queries) {
      await warmUp(`${server.url}/api/1.1/rest/number/search?${query}`, headers, { requests: setup.quick ? 200 : 1000, maxMs: setup.quick ? 500 : 3000 });
    }
    for (const [name, query] of queries) {
      const url = `${server.url}/api/1.1/rest/number/search?${query}`;
      const latency = await sequentialLatency(url, headers, { samples: setup.quick ? 300 : 2000, maxMs: setup.quick ? 1500 : 6000 });
      const throughput = await load({ url, headers, connections: 10, duration: setup.quick ? 1 : 5, amount: 500_000 });
      if (throughput.errors > 0) throw new Error(`search ${name}: ${throughput.errors} errors`);
      samplesOut[`search ${name}`] = latency.samples;
      metrics.push(
        metric('search', `search.${name}.p50`, `SearchAvailableNumbers ${name} p50`, 'ms', latency.p50Ms),
        metric('search', `search.${name}.p99`, `SearchAvailableNumbers ${name} p99`, 'ms', latency.p99Ms, { target: { op: '<=', value: 5, on: 'value' } }),
        metric('search', `search.${name}.rps`, `SearchAvailableNumbers ${name} throughput (10 conn.)`, 'req/s', throughput.rps),
      );
    }
  } finally {
    metrics.push(metric('search', 'search.peakRss', 'server peak RSS, search on the full inventory', 'MB', server.peakRssMb(),
      { target: { op: '<=', value: 250, on: 'value' } }));
    await server.stop();
  }
  return metrics;
}
