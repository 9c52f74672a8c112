import http from 'node:http';
import autocannon, { type Request } from 'autocannon';
import { percentile } from './percentiles.ts';

export interface LoadResult {
  /** Successful (2xx) responses per second over the run. */
  rps: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  errors: number;
}

export interface LoadOptions {
  url: string;
  connections: number;
  /** Seconds; the run also stops after `amount` requests, so every load is bounded twice. */
  duration: number;
  amount?: number;
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  setupRequest?: Request['setupRequest'];
}

/** Closed-loop load with autocannon; non-2xx answers count as errors, never as throughput. */
export async function load(options: LoadOptions): Promise<LoadResult> {
  const result = await autocannon({
    url: options.url,
    connections: options.connections,
    duration: options.duration,
    maxOverallRequests: options.amount,
    method: options.method ?? 'GET',
    headers: options.headers,
    body: options.body,
    timeout: 10,
    requests: options.setupRequest ? [{ setupRequest: options.setupRequest }] : undefined,
  });
  return {
    rps: result['2xx'] / result.duration,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    requests: result['2xx'],
    errors: result.errors + result.timeouts + result.non2xx,
  };
}

export function basicAuth(login: string, password: string): string {
  return `Basic ${Buffer.from(`${login}:${password}`).toString('base64')}`;
}

export interface HttpAnswer {
  status: number;
  body: string;
}

/** Connections the shared agent of `request` keeps open at most. */
export const CLIENT_SOCKETS = 256;
const agent = new http.Agent({ keepAlive: true, maxSockets: CLIENT_SOCKETS });

/** One request over a shared keep-alive agent. */
export function request(url: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const headers = { ...options.headers };
    if (options.body !== undefined) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      headers['content-length'] = String(Buffer.byteLength(options.body));
    }
    const req = http.request(url, { method: options.method ?? 'GET', headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode!, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.setTimeout(10_000, () => req.destroy(new Error(`timeout: ${url}`)));
    if (options.body !== undefined) req.write(options.body);
    req.end();
  });
}

/**
 * Latency of one request at a time (no queueing): what a single client waits, measured with
 * performance.now() because autocannon's histogram has whole-millisecond buckets.
 */
export async function sequentialLatency(url: string, headers: Record<string, string>, options: { samples: number; maxMs: number }): Promise<{ p50Ms: number; p99Ms: number; samples: number[] }> {
  const samples: number[] = [];
  // Half a second of this query before its samples: its first requests read cold pages.
  await warmUp(url, headers, { requests: Number.POSITIVE_INFINITY, maxMs: 500 });
  const deadline = performance.now() + options.maxMs;
  while (samples.length < options.samples && performance.now() < deadline) {
    const started = performance.now();
    await expectOk(request(url, { headers }));
    samples.push(performance.now() - started);
  }
  return { p50Ms: percentile(samples, 50), p99Ms: percentile(samples, 99), samples };
}

/** Requests one at a time, unmeasured, until `requests` were answered or `maxMs` passed. */
export async function warmUp(url: string, headers: Record<string, string>, options: { requests: number; maxMs: number }): Promise<void> {
  const until = performance.now() + options.maxMs;
  for (let sent = 0; sent < options.requests && performance.now() < until; sent++) await expectOk(request(url, { headers }));
}

async function expectOk(answer: Promise<HttpAnswer>): Promise<HttpAnswer> {
  const result = await answer;
  if (result.status >= 300) throw new Error(`unexpected ${result.status}: ${result.body.slice(0, 300)}`);
  return result;
}

export function closeAgent(): void {
  agent.destroy();
}
