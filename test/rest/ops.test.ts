import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { envToConfig } from '../../src/config/config.ts';
import { createContext } from '../../src/context.ts';
import { createHttpApp } from '../../src/server.ts';
import { startHarness, type Harness } from '../support/harness.ts';
import { createTestDatabase } from '../support/test-database.ts';

let h: Harness;
before(async () => { h = await startHarness(); });
after(() => h.close());

/** The value of one sample line, e.g. `numberd_orders_completed_total{status="FINISHED"}`; undefined when absent. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('operations endpoints', () => {
  test('/metrics counts requests by route pattern, orders created and completed by status, and job runs, in Prometheus text', async () => {
    // Sent at once, so they are created together: the counters count orders and jobs, not transactions.
    const created = await Promise.all([1, 2, 3].map(() => h.call('POST', 'number/order.json', { form: { TollFreeCount: '1' } })));
    for (const reply of created) {
      assert.equal(reply.status, 201);
      await h.waitForOrder(reply.json.ResourceReference.Id);
    }
    const reply = await fetch(`${h.baseUrl}/metrics`);
    assert.equal(reply.status, 200);
    assert.match(reply.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
    const text = await reply.text();
    assert.equal(sample(text, 'numberd_orders_created_total'), 3);
    assert.equal(sample(text, 'numberd_orders_completed_total{status="FINISHED"}'), 3);
    assert.equal(sample(text, 'numberd_job_runs_total{kind="order.process",outcome="completed"}'), 3);
    assert.equal(sample(text, 'numberd_job_duration_seconds_count{kind="order.process"}'), 3);
    // The route pattern, never the order id: one series per operation, not per order.
    assert.ok((sample(text, 'numberd_http_requests_total{route="/api/1.1/rest/number/order.json",method="POST",status="201"}') ?? 0) >= 1, text);
    assert.ok((sample(text, 'numberd_http_requests_total{route="/api/1.1/rest/number/order/:Id",method="GET",status="200"}') ?? 0) >= 1, text);
    assert.doesNotMatch(text, /route="[^"]*\/order\/\d+/);
    assert.match(text, /numberd_http_request_duration_seconds_bucket\{le="0\.005",route=/);
  });

  test('/healthz is 200 while the database answers and 503 once it does not', async () => {
    const database = await createTestDatabase();
    const context = await createContext(envToConfig({ DATABASE_URL: database.url, NUMBERD_DEMO: '0' }));
    const app = await createHttpApp(context);
    try {
      const up = await app.inject({ method: 'GET', url: '/healthz' });
      assert.equal(up.statusCode, 200);
      assert.deepEqual(up.json(), { status: 'ok', database: true });
      await context.close();
      const down = await app.inject({ method: 'GET', url: '/healthz' });
      assert.equal(down.statusCode, 503);
      assert.deepEqual(down.json(), { status: 'unavailable', database: false });
    } finally {
      await app.close();
      await database.drop();
    }
  });
});
