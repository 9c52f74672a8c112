import { cpuUsedBetween, mainThreadCpuMs, postgresPids, readCpu } from '../lib/cpu-usage.ts';
import { openJobProbe, waitForEmptyQueue } from '../lib/job-probe.ts';
import { load } from '../lib/load.ts';
import { metric, type BenchSetup, type Metric } from '../lib/metrics.ts';
import { startNumberd, type Started } from '../lib/processes.ts';

export type Topology = 'one process' | '2 API + 2 workers';

/**
 * Scenario 3: CreateNumberOrder as fast as 10 connections go, for a bounded time, then until
 * the queue is empty: orders per second from the first request to the last order's terminal
 * status. Bulk orders ask for one local number anywhere; specific orders name one number.
 * Also where the CPU went meanwhile: numberd's and the database server's CPU time per order, and
 * how busy the machine was, so each figure says what limited it.
 */
export async function createOrderScenario(
  setup: BenchSetup, store: 'SQLite' | 'PostgreSQL', databaseUrl: string, topology: Topology, specificNumbers: string[],
): Promise<Metric[]> {
  const processes: Started[] = [];
  const metrics: Metric[] = [];
  const key = `create.${store === 'SQLite' ? 'sqlite' : 'postgres'}.${topology === 'one process' ? 'one' : 'split'}`;
  const probe = await openJobProbe(databaseUrl);
  try {
    if (topology === 'one process') {
      processes.push(await startNumberd(databaseUrl));
    } else {
      for (let i = 0; i < 2; i++) processes.push(await startNumberd(databaseUrl, { role: 'api' }));
      for (let i = 0; i < 2; i++) processes.push(await startNumberd(databaseUrl, { role: 'worker' }));
    }
    const apis = processes.filter((p) => p.url);
    const cpuGroups = {
      numberd: () => processes.map((p) => p.pid),
      ...(store === 'PostgreSQL' ? { postgres: postgresPids } : {}),
    };
    let next = 0;
    const bodies = {
      bulk: () => 'LocalCount=1',
      specific: () => `Numbers=${specificNumbers[next++ % specificNumbers.length]}`,
    };
    const send = (body: () => string, seconds: number) => Promise.all(apis.map((api) => load({
      url: `${api.url}/api/1.1/rest/number/order`,
      method: 'POST',
      headers: { authorization: setup.authorization, 'content-type': 'application/x-www-form-urlencoded' },
      body: body(),
      setupRequest: (request) => ({ ...request, body: body() }),
      connections: Math.ceil(10 / apis.length),
      duration: seconds,
      amount: Math.floor(specificNumbers.length / 2 / apis.length),
    })));
    // A second of each kind first, unmeasured, as the other scenarios warm up: a new server runs
    // its first few thousand orders while V8 optimises the order path. In five runs of bulk orders
    // on SQLite, measured from the server's start: a median 1,560 orders/s at 772 us of CPU each;
    // after two seconds of orders: 1,834 at 631.
    for (const body of Object.values(bodies)) await send(body, setup.quick ? 0.5 : 1);
    if (await waitForEmptyQueue(probe, 120_000) === null) throw new Error(`${key}: the warm-up's orders did not end in 120 s`);
    const cpuBefore = readCpu(cpuGroups);
    const mainThread = topology === 'one process' ? processes[0]!.pid : undefined;
    const mainThreadBefore = { cpuMs: mainThread ? mainThreadCpuMs(mainThread) : 0, at: performance.now() };
    let orders = 0;
    for (const [kind, body] of Object.entries(bodies)) {
      const started = performance.now();
      const results = await send(body, setup.quick ? 2 : 8);
      const finished = await waitForEmptyQueue(probe, 120_000);
      const created = results.reduce((sum, r) => sum + r.requests, 0);
      orders += created;
      const errors = results.reduce((sum, r) => sum + r.errors, 0);
      if (errors > 0) throw new Error(`${key}.${kind}: ${errors} failed requests`);
      const target = topology === 'one process' ? { op: '>=' as const, value: store === 'SQLite' ? 3000 : 1500, on: 'value' as const } : undefined;
      metrics.push(metric('create', `${key}.${kind}`, `CreateNumberOrder ${kind}, ${store}, ${topology}`, 'orders/s',
        finished === null ? null : created / ((finished - started) / 1000),
        { target, note: finished === null ? 'queue not empty after 120 s' : undefined }));
    }
    const cpu = cpuUsedBetween(cpuBefore, readCpu(cpuGroups));
    const where = `CreateNumberOrder ${store} ${topology}, bulk and specific`;
    metrics.push(metric('create', `${key}.cpu.numberd`, `numberd CPU per order, ${where}`, 'µs', (cpu.processes.numberd! * 1000) / orders));
    // Only a server on this machine can be read; one elsewhere (NUMBERD_BENCH_POSTGRES_URL) shows none.
    if (cpu.processes.postgres) {
      metrics.push(metric('create', `${key}.cpu.postgres`, `PostgreSQL CPU per order, ${where}`, 'µs', (cpu.processes.postgres * 1000) / orders));
    }
    if (mainThread) {
      const busy = (mainThreadCpuMs(mainThread) - mainThreadBefore.cpuMs) / (performance.now() - mainThreadBefore.at);
      metrics.push(metric('create', `${key}.cpu.mainThread`, `numberd main thread busy, ${where}`, '%', busy * 100));
    }
    metrics.push(metric('create', `${key}.cpu.busy`, `machine CPU busy, ${where}`, '%', cpu.busy * 100));
    // Every process's CPU per order, the load generator's and the kernel's included, and the rate at
    // which that cost would keep every CPU busy: a target above it is out of reach by spreading the
    // work over the CPUs, only by cutting it.
    const machinePerOrder = (cpu.machineMs * 1000) / orders;
    metrics.push(metric('create', `${key}.cpu.machine`, `machine CPU per order, load generator included, ${where}`, 'µs', machinePerOrder));
    metrics.push(metric('create', `${key}.cpu.bound`, `orders/s with all ${cpu.cpus} CPUs busy at that cost, ${where}`, 'orders/s', (cpu.cpus * 1e6) / machinePerOrder));
    metrics.push(metric('create', `${key}.cpu.steal`, `machine CPU stolen by the hypervisor, ${where}`, '%', cpu.steal * 100));
  } finally {
    metrics.push(metric('create', `${key}.peakRss`, `server peak RSS, CreateNumberOrder ${store} ${topology}`, 'MB',
      Math.max(...processes.map((p) => p.peakRssMb()))));
    await Promise.all(processes.map((p) => p.stop()));
    await probe.close();
  }
  return metrics;
}

export function skippedCreateMetrics(store: 'PostgreSQL', topology: Topology, note: string): Metric[] {
  const key = `create.postgres.${topology === 'one process' ? 'one' : 'split'}`;
  return ['bulk', 'specific'].map((kind) => metric('create', `${key}.${kind}`, `CreateNumberOrder ${kind}, ${store}, ${topology}`, 'orders/s', null, {
    note, target: topology === 'one process' ? { op: '>=', value: 1500, on: 'value' } : undefined,
  }));
}
