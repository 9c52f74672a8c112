import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { envToConfig, type Config, type DeepPartial } from '../../src/config/config.ts';
import { createContext, type Context } from '../../src/context.ts';
import { isTerminal, type OrderStatus } from '../../src/domain/order.ts';
import { createHttpApp } from '../../src/server.ts';
import { generateDemoInventory, type DemoInventoryOptions } from '../../src/store/demo/demo-inventory.ts';
import { assertJsonShape } from './json-shape.ts';
import { createTestDatabase } from './test-database.ts';
import { assertValidRestXml } from './xml-schema.ts';

/** A small inventory: one block per rate center, a handful of numbers each, some toll-free. */
export const TEST_INVENTORY: DemoInventoryOptions = { seed: 7, prefixesPerRateCenter: 1, numbersPerPrefix: 6, tollFreePerNpa: 12 };

export const passwordOf = (login: string) => `${login}-password`;
export const ADMIN_TOKEN = 'test-admin-token';

export interface CallOptions {
  /** Login to authenticate as (password from passwordOf); null sends no credentials. Default: the first account. */
  as?: string | null;
  /** Form parameters: sent as the body for POST/PUT/DELETE, in the query for GET. Arrays repeat the key. */
  form?: Record<string, string | number | readonly string[]> | [string, string][];
  /** Raw body, sent as is. */
  body?: string | Buffer;
  /** Content-Type to send; null sends none. Default: form-urlencoded when there is a body. */
  contentType?: string | null;
  headers?: Record<string, string>;
  /** Send the body with chunked transfer encoding and no Content-Length, as the Node SDK does. */
  chunked?: boolean;
  /** Skip the automatic schema and shape checks (used only for deliberately odd envelopes). */
  skipChecks?: boolean;
}

export interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  json: any;
}

export interface Harness {
  baseUrl: string;
  context: Context;
  app: FastifyInstance;
  call(method: string, path: string, options?: CallOptions): Promise<Reply>;
  waitForOrder(id: number, as?: string): Promise<{ order: any; polls: number; elapsedMs: number }>;
  /** A call to the admin API with the harness's bearer token; `token: null` sends none. */
  admin(method: string, path: string, body?: unknown, token?: string | null): Promise<{ status: number; json: any }>;
  /** Moves the test clock forward and runs what became due. */
  advance(seconds: number): Promise<void>;
  /** Row counts per table and number state: equal before and after a request that must write nothing. */
  snapshot(): Promise<string>;
  /** The errors of job runs that failed so far, taken out: `close()` fails if any are left untaken. */
  takeJobErrors(): unknown[];
  close(): Promise<void>;
}

export interface HarnessOptions {
  accounts?: string[];
  inventory?: DemoInventoryOptions;
  config?: DeepPartial<Config>;
  startWorker?: boolean;
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const database = await createTestDatabase();
  const config = envToConfig({ DATABASE_URL: database.url }, {
    // Far away on purpose: orders must complete because the commit wakes the worker, not because it polls.
    admin: { token: ADMIN_TOKEN },
    testClock: true,
    ...options.config,
    worker: { pollIntervalMs: 600_000, ...options.config?.worker },
  });
  const jobErrors: unknown[] = [];
  const context = await createContext(config, { onJobError: (error) => jobErrors.push(error) });
  const inventory = generateDemoInventory(options.inventory ?? TEST_INVENTORY);
  await context.store.transaction((tx) => tx.inventory.add(inventory.regions, inventory.numbers));
  const accounts = options.accounts ?? ['alice', 'bob'];
  for (const login of accounts) await context.services.accounts.createAccount(login, passwordOf(login));
  if (options.startWorker !== false) await context.startWorker();
  const app = await createHttpApp(context);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as AddressInfo;
  const baseUrl = `http://127.0.0.1:${port}`;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

  async function call(method: string, path: string, callOptions: CallOptions = {}): Promise<Reply> {
    const login = callOptions.as === undefined ? accounts[0]! : callOptions.as;
    let url = path.startsWith('/') ? path : `/api/1.1/rest/${path}`;
    let body: string | Buffer | undefined = callOptions.body;
    if (callOptions.form) {
      const encoded = new URLSearchParams();
      const entries = Array.isArray(callOptions.form) ? callOptions.form : Object.entries(callOptions.form);
      for (const [key, value] of entries) {
        for (const item of Array.isArray(value) ? value : [value]) encoded.append(key, String(item));
      }
      if (method === 'GET') url += (url.includes('?') ? '&' : '?') + encoded.toString();
      else body = encoded.toString();
    }
    const headers: Record<string, string> = { ...callOptions.headers };
    if (login !== null) headers.authorization = `Basic ${Buffer.from(`${login}:${passwordOf(login)}`).toString('base64')}`;
    if (body !== undefined) {
      const contentType = callOptions.contentType === undefined ? 'application/x-www-form-urlencoded' : callOptions.contentType;
      if (contentType !== null) headers['content-type'] = contentType;
      if (callOptions.chunked) headers['transfer-encoding'] = 'chunked';
      else headers['content-length'] = String(Buffer.byteLength(body));
    }
    const reply = await new Promise<Reply>((resolve, reject) => {
      const request = http.request(`${baseUrl}${url}`, { method, headers, agent }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const isJson = String(response.headers['content-type'] ?? '').startsWith('application/json');
          resolve({ status: response.statusCode!, headers: response.headers, text, json: isJson && text ? JSON.parse(text) : undefined });
        });
        response.on('error', reject);
      });
      request.on('error', reject);
      if (body !== undefined) {
        if (callOptions.chunked) {
          // Two writes force two chunks.
          const buffer = Buffer.from(body);
          request.write(buffer.subarray(0, Math.ceil(buffer.length / 2)));
          request.write(buffer.subarray(Math.ceil(buffer.length / 2)));
        } else {
          request.write(body);
        }
      }
      request.end();
    });
    if (!callOptions.skipChecks) await checkEnvelope(reply);
    return reply;
  }

  async function waitForOrder(id: number, as?: string) {
    const started = performance.now();
    for (let polls = 1; ; polls++) {
      const reply = await call('GET', `number/order/${id}.json`, { as });
      assert.equal(reply.status, 200, reply.text);
      const order = reply.json.Resource.NumberOrder;
      if (isTerminal(order.Status as OrderStatus)) return { order, polls, elapsedMs: performance.now() - started };
      if (performance.now() - started > 30_000) assert.fail(`order ${id} still ${order.Status} after 30 s`);
      // Back off: hundreds of pollers at a fixed 5 ms would starve the worker of pool connections on Postgres.
      await new Promise((resolve) => setTimeout(resolve, Math.min(5 * polls, 200)));
    }
  }

  async function admin(method: string, path: string, body?: unknown, token: string | null = ADMIN_TOKEN) {
    const headers: Record<string, string> = {};
    if (token !== null) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${baseUrl}/admin/v1${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await response.text();
    assert.match(response.headers.get('content-type') ?? '', /^application\/json/, text);
    return { status: response.status, json: text ? JSON.parse(text) : undefined };
  }

  async function advance(seconds: number) {
    const reply = await admin('POST', '/clock/advance', { seconds });
    assert.equal(reply.status, 200, JSON.stringify(reply.json));
  }

  async function snapshot(): Promise<string> {
    const db = context.database.db;
    const counts: Record<string, unknown> = {};
    for (const table of ['accounts', 'credentials', 'ledger_entries', 'orders', 'order_items', 'keywords', 'labels', 'number_labels', 'inbound_configs', 'jobs']) {
      const row = await sql<{ n: number }>`select count(*) as n from ${sql.table(table)}`.execute(db);
      counts[table] = Number(row.rows[0]!.n);
    }
    const states = await sql<{ state: string; auto_renew: number | null; n: number }>`
      select state, auto_renew, count(*) as n from numbers group by state, auto_renew order by state, auto_renew`.execute(db);
    counts.numbers = states.rows.map((r) => `${r.state}/${r.auto_renew}:${Number(r.n)}`);
    const configs = await sql<{ c: string }>`select coalesce(call_feature, '') || coalesce(text_feature, '') || coalesce(inbound_type, '') as c from numbers where account_id is not null order by number`.execute(db);
    counts.configuration = configs.rows.map((r) => r.c);
    return JSON.stringify(counts);
  }

  return {
    baseUrl, context, app, call, waitForOrder, admin, advance, snapshot,
    takeJobErrors: () => jobErrors.splice(0),
    async close() {
      agent.destroy();
      await app.close();
      await context.close();
      await database.drop();
      assert.deepEqual(jobErrors, [], 'no job may fail');
    },
  };
}

/** Every XML body against the published schemas; every JSON body against the shapes of the real API's answers. */
async function checkEnvelope(reply: Reply): Promise<void> {
  const type = String(reply.headers['content-type'] ?? '');
  if (reply.status === 204) {
    assert.equal(reply.text, '', '204 must have no body');
    return;
  }
  if (type.startsWith('application/xml')) {
    await assertValidRestXml(reply.text);
  } else if (type.startsWith('application/json')) {
    const [root] = Object.keys(reply.json);
    const body = reply.json[root!];
    const entity = root === 'Resource' ? Object.keys(body)[0] : root === 'ResourceList' ? Object.keys(body).find((k) => k !== '@totalResults') : undefined;
    const example = exampleFor(root!, entity);
    if (example) assertJsonShape(reply.json, example, SHAPE_ALLOWANCES);
    else assert.deepEqual(Object.keys(body), ['@totalResults'], 'an empty list carries only @totalResults');
  } else {
    assert.fail(`unexpected content type "${type}" with status ${reply.status}: ${reply.text}`);
  }
}

const SHAPE_ALLOWANCES = {
  allowExtraKeys: [
    'NumberConfiguration.InboundCallConfigurationType',
    'NumberConfiguration.InboundCallConfiguration',
    'NumberConfiguration.InboundCallConfiguration.CallTrackingConfig',
    'NumberConfiguration.InboundCallConfiguration.IvrInboundConfig',
  ],
  sameShapeAs: { TollFreeNumbers: 'LocalNumbers' },
};

function exampleFor(root: string, entity: string | undefined): string | undefined {
  switch (root) {
    case 'ResourceReference': return 'number-order.json';
    case 'ResourceException': return 'error.json';
    case 'Resource': return entity === 'NumberOrder' ? 'number-getOrder.json' : 'number-get.json';
  }
  switch (entity) {
    case 'Number': return 'number-query.json';
    case 'Region': return 'number-queryRegions.json';
    case 'Keyword': return 'number-queryKeywords.json';
    case 'Label': return 'label-query.json';
    default: return undefined;
  }
}
