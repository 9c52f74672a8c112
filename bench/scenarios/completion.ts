import { CLIENT_SOCKETS, request } from '../lib/load.ts';
import { metric, type BenchSetup, type Metric } from '../lib/metrics.ts';
import { isTerminalStatus, orderStatus } from '../lib/orders.ts';
import { percentile } from '../lib/percentiles.ts';
import { startNumberd } from '../lib/processes.ts';

const RATE = 500;
/** How often a client polls an open order; the measured latency is exact to this much. */
const POLL_MS = 5;
/** Orders sent before the measured window, at a fifth of the rate, and not counted. */
const WARM_UP_ORDERS = 200;

/**
 * Scenario 4: bulk orders at a fixed 500 per second (open loop: a slow answer does not slow the
 * sender), each polled with GetNumberOrder until terminal; the time from its 201 to the first
 * terminal answer. Before the measured window the client opens its connections, as a pooled
 * client keeps them, and sends a few orders slowly. Under load the server accepts about one new
 * connection per turn of its event loop (strace showed them 25-80 ms apart), so a connection
 * opened in the middle of the burst waited up to seconds: that measured the client's cold
 * pool, not the orders. Then one second at the full rate, not counted either: the first second at
 * full rate after a start stalled the server's event loop several times for 30-80 ms (code run at
 * that rate for the first time), and from a client just started the p99 was 35-283 ms in five tries
 * against 13-18 ms with this second of warm-up. It is the steady rate that is measured here.
 */
export async function completionScenario(setup: BenchSetup, samplesOut: Record<string, number[]>): Promise<Metric[]> {
  const server = await startNumberd(setup.sqliteUrl);
  const seconds = setup.quick ? 5 : 20;
  const total = RATE * seconds;
  const latencies: number[] = [];
  const failures: string[] = [];
  let rss = Number.NaN;
  try {
    const one = async (measured: boolean) => {
      if (performance.now() > deadline) throw new Error('not sent before the deadline');
      const answer = await request(`${server.url}/api/1.1/rest/number/order.json`, {
        method: 'POST', headers: { authorization: setup.authorization }, body: 'LocalCount=1',
      });
      const created = performance.now();
      if (answer.status !== 201) throw new Error(`CreateNumberOrder answered ${answer.status}`);
      const id = (JSON.parse(answer.body) as { ResourceReference: { Id: number } }).ResourceReference.Id;
      while (!isTerminalStatus(await orderStatus(server.url, setup.authorization, id))) {
        if (performance.now() - created > 20_000 || performance.now() > deadline) throw new Error(`order ${id} not terminal after 20 s`);
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      }
      if (measured) latencies.push(performance.now() - created);
    };
    let deadline = performance.now() + 60_000;
    await Promise.all(Array.from({ length: CLIENT_SOCKETS }, () => request(`${server.url}/healthz`)));
    await atRate(RATE / 5, WARM_UP_ORDERS, () => one(false));
    await atRate(RATE, RATE, () => one(false));
    // Bounds the whole scenario even when the server falls behind and answers queue up.
    deadline = performance.now() + seconds * 1000 + 30_000;
    // A failed or timed-out order counts at the 20 s cap, so it weighs on p99 instead of vanishing.
    await atRate(RATE, total, () => one(true).catch((error: unknown) => { failures.push(String(error)); latencies.push(20_000); }));
  } finally {
    samplesOut.completion = latencies;
    rss = server.peakRssMb();
    await server.stop();
  }
  return [
    metric('completion', 'completion.failed', `orders failed or timed out (of ${total})`, 'orders', failures.length,
      { note: failures[0], target: { op: '<=', value: 0, on: 'value' } }),
    metric('completion', 'completion.p50', `order completion at ${RATE}/s for ${seconds} s, p50`, 'ms', percentile(latencies, 50)),
    metric('completion', 'completion.p99', `order completion at ${RATE}/s for ${seconds} s, p99`, 'ms', percentile(latencies, 99),
      { target: { op: '<=', value: 250, on: 'value' } }),
    metric('completion', 'completion.max', `order completion at ${RATE}/s for ${seconds} s, max`, 'ms', Math.max(...latencies)),
    metric('completion', 'completion.peakRss', 'server peak RSS, completion latency', 'MB', rss),
  ];
}

/** Starts `count` calls of `send` at `rate` a second, open loop (a slow call does not slow the next); resolves once all settled. */
async function atRate(rate: number, count: number, send: () => Promise<void>): Promise<void> {
  const started = performance.now();
  const inFlight: Promise<void>[] = [];
  for (let sent = 0; sent < count;) {
    const due = Math.min(count, Math.floor(((performance.now() - started) / 1000) * rate));
    for (; sent < due; sent++) inFlight.push(send());
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  await Promise.all(inFlight);
}
