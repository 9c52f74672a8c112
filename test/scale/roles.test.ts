import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { eventually } from '../support/eventually.ts';
import { TEST_INVENTORY } from '../support/harness.ts';
import { startNumberd, type NumberdProcess } from '../support/numberd-process.ts';
import { basicAuth, seedDatabase } from '../support/seed.ts';
import { createTestDatabase } from '../support/test-database.ts';
import { openDatabase, type DatabaseHandle } from '../../src/store/database.ts';
import { createKyselyStore } from '../../src/store/kysely-store.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'numberd-roles-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/**
 * A worker process polling every 50 ms, with one job of a kind no process knows (so every run of
 * it fails) and `maxAttempts` attempts; `check` gets the job's id and a handle on its database,
 * then `logged(text)` has waited up to 10 s for `text` in the worker's output.
 */
async function withFailingJob(file: string, maxAttempts: number, check: (job: { id: number; handle: DatabaseHandle; process: NumberdProcess; logged: (text: string) => Promise<void> }) => Promise<void>) {
  const database = await createTestDatabase(`sqlite:${path.join(dir, file)}`);
  const process = await startNumberd('worker', { DATABASE_URL: database.url, NUMBERD_JOB_POLL_INTERVAL_MS: '50' });
  const handle = openDatabase({ url: database.url });
  try {
    await createKyselyStore(handle).jobs.enqueue('no.such.kind', [{}], new Date(), maxAttempts);
    const { id } = await handle.db.selectFrom('jobs').select('id').where('kind', '=', 'no.such.kind').executeTakeFirstOrThrow();
    const logged = async (text: string) => { await eventually(() => process.output(), (output) => output.includes(text)); };
    await check({ id, handle, process, logged });
  } finally {
    await handle.close();
    await process.kill('SIGKILL');
    await database.drop();
  }
}

function sample(text: string, series: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? 0 : Number(line.slice(series.length + 1));
}

describe('serve --role', () => {
  test('an api process only answers requests and a worker only runs jobs; both stop cleanly on SIGTERM', async () => {
    const database = await createTestDatabase(`sqlite:${path.join(dir, 'roles.db')}`);
    await seedDatabase(database.url, { accounts: ['roles'], inventory: TEST_INVENTORY });
    // The worker polls every ten minutes: an order taken after it started finishes only if the api process's enqueue wakes it.
    const env = { DATABASE_URL: database.url, NUMBERD_JOB_POLL_INTERVAL_MS: '600000' };
    const running: NumberdProcess[] = [];
    try {
      const api = await startNumberd('api', env);
      running.push(api);
      const order = async () => {
        const created = await fetch(`${api.url}/api/1.1/rest/number/order.json`, {
          method: 'POST', body: new URLSearchParams({ TollFreeCount: '1' }), headers: { authorization: basicAuth('roles') },
        });
        assert.equal(created.status, 201);
        return (await created.json()).ResourceReference.Id as number;
      };
      const statusOf = async (orderId: number): Promise<string> => {
        const reply = await fetch(`${api.url}/api/1.1/rest/number/order/${orderId}.json`, { headers: { authorization: basicAuth('roles') } });
        return (await reply.json()).Resource.NumberOrder.Status;
      };
      const finished = (orderId: number) => eventually(() => statusOf(orderId), (status) => status === 'FINISHED', 30_000);
      // Taken before the worker runs: its first look for jobs finds it.
      const first = await order();
      const worker = await startNumberd('worker', env);
      running.push(worker);
      assert.equal(await finished(first), 'FINISHED');
      assert.equal(await finished(await order()), 'FINISHED');

      const apiMetrics = await (await fetch(`${api.url}/metrics`)).text();
      const workerMetrics = await (await fetch(`${worker.url}/metrics`)).text();
      assert.equal(sample(apiMetrics, 'numberd_orders_created_total'), 2);
      assert.equal(sample(apiMetrics, 'numberd_job_runs_total{kind="order.process",outcome="completed"}'), 0, 'the api process ran no job');
      assert.equal(sample(workerMetrics, 'numberd_job_runs_total{kind="order.process",outcome="completed"}'), 2, 'the worker ran them');
      assert.equal(sample(workerMetrics, 'numberd_orders_completed_total{status="FINISHED"}'), 2);

      // The worker serves operations endpoints only.
      assert.equal((await fetch(`${worker.url}/healthz`)).status, 200);
      const api404 = await fetch(`${worker.url}/api/1.1/rest/number/regions.json`, { headers: { authorization: basicAuth('roles') } });
      assert.equal(api404.status, 404);

      for (const process of running.splice(0)) {
        assert.deepEqual(await process.kill('SIGTERM'), { code: 0, signal: null }, process.output());
        assert.match(process.output(), /SIGTERM, finishing work in progress[\s\S]*stopped/);
      }
    } finally {
      for (const process of running) await process.kill('SIGKILL');
      await database.drop();
    }
  });

  test('a job that fails is logged with its id, kind and attempt, and is left to its retry', async () => {
    await withFailingJob('failing-job.db', 5, async ({ id: jobId, handle, process, logged }) => {
      await logged('job failed');
      const line = process.output().split('\n').find((l) => l.includes('job failed'));
      assert.ok(line, process.output());
      const entry = JSON.parse(line);
      assert.equal(entry.level, 40);
      assert.deepEqual(entry.job, { id: jobId, kind: 'no.such.kind', attempts: 1 });
      assert.match(entry.err.message, /no handler for job kind no\.such\.kind/);
      const row = await handle.db.selectFrom('jobs').select(['attempts', 'last_error']).where('id', '=', jobId).executeTakeFirstOrThrow();
      assert.equal(row.attempts, 1);
      assert.match(row.last_error ?? '', /no handler/);
    });
  });

  test('a job that fails its last attempt is given up at once, logged as an error, and removed', async () => {
    await withFailingJob('exhausted-job.db', 1, async ({ id: jobId, handle, process, logged }) => {
      await logged('given up');
      const entries = process.output().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
      assert.deepEqual(entries.map((e) => [e.level, e.msg, e.job]), [
        [40, 'job failed its last attempt', { id: jobId, kind: 'no.such.kind', attempts: 1 }],
        [50, 'job failed its last attempt and was given up', { id: jobId, kind: 'no.such.kind', attempts: 1 }],
      ], process.output());
      assert.equal(await handle.db.selectFrom('jobs').select('id').where('id', '=', jobId).executeTakeFirst(), undefined, 'the job is removed');
    });
  });
});
