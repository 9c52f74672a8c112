import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { sql } from 'kysely';
import { ORDER_JOB_STEPS } from '../../src/app/fault-injection.ts';
import { openDatabase } from '../../src/store/database.ts';
import { TEST_INVENTORY } from '../support/harness.ts';
import { startNumberd, type NumberdProcess } from '../support/numberd-process.ts';
import { basicAuth, seedDatabase } from '../support/seed.ts';
import { createTestDatabase, isPostgresPass } from '../support/test-database.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'numberd-crash-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** Short, so a dead worker's job is taken over within seconds; polling finds it (nobody sends a wake-up). */
const RECOVERY_ENV = { NUMBERD_JOB_LOCK_TIMEOUT_MS: '1500', NUMBERD_JOB_POLL_INTERVAL_MS: '200' };

/**
 * SQLite: one `--role all` process on a file database dies at the step and is started again.
 * Postgres: an API process stays up; the worker dies at the step and a fresh worker takes over.
 */
describe(`a worker SIGKILLed mid-order leaves it to another, which completes it exactly once (${isPostgresPass ? 'postgres' : 'sqlite'})`, { concurrency: true }, () => {
  ORDER_JOB_STEPS.forEach((stepName, index) => {
    const step = index + 1;
    test(`crash after step ${step} (${stepName})`, async () => {
      const database = await createTestDatabase(`sqlite:${path.join(dir, `step-${step}.db`)}`);
      const { numbers } = await seedDatabase(database.url, { accounts: ['crash'], inventory: TEST_INVENTORY });
      const env = { DATABASE_URL: database.url, ...RECOVERY_ENV };
      const faulty = { ...env, NUMBERD_FAULT_CRASH_AFTER_STEP: String(step) };
      const running: NumberdProcess[] = [];
      try {
        const api = await startNumberd(isPostgresPass ? 'api' : 'all', isPostgresPass ? env : faulty);
        running.push(api);
        const doomed = isPostgresPass ? await startNumberd('worker', faulty) : api;
        if (doomed !== api) running.push(doomed);

        const wanted = numbers.slice(0, 2);
        const form = new URLSearchParams({ Numbers: wanted.join(' '), Keywords: `CRASH${step}`, TollFreeCount: '1' });
        const created = await fetch(`${api.url}/api/1.1/rest/number/order.json`, {
          method: 'POST', body: form, headers: { authorization: basicAuth('crash') },
        });
        assert.equal(created.status, 201, await created.clone().text());
        const orderId = (await created.json()).ResourceReference.Id as number;

        const death = await doomed.exited;
        assert.equal(death.signal, 'SIGKILL', `the worker died by the fault switch:\n${doomed.output()}`);
        assert.match(doomed.output(), new RegExp(`crashing after step ${step} \\(${stepName}\\)`));

        const survivorApi = isPostgresPass ? api : await startNumberd('all', env);
        if (survivorApi !== api) running.push(survivorApi);
        if (isPostgresPass) running.push(await startNumberd('worker', env));
        const order = await waitForTerminal(survivorApi.url, orderId);

        assert.equal(order.Status, 'FINISHED');
        assert.deepEqual(order.LocalNumbers.Fulfilled.split(' ').sort(), [...wanted].sort());
        assert.equal(order.Keywords.Fulfilled, `CRASH${step}`);
        assert.equal(order.TollFreeNumbers.Fulfilled.split(' ').length, 1);
        const expectedCents = 2 * Math.round(order.LocalNumbers.UnitCost * 100)
          + Math.round(order.TollFreeNumbers.UnitCost * 100) + Math.round(order.Keywords.UnitCost * 100);
        assert.equal(Math.round(order.TotalCost * 100), expectedCents, 'charged once for what was fulfilled');
        await assertSettledOnce(database.url, orderId, 4);
      } finally {
        for (const process of running) await process.kill('SIGTERM');
        await database.drop();
      }
    });
  });
});

async function waitForTerminal(baseUrl: string, orderId: number): Promise<any> {
  for (let polls = 1; polls < 600; polls++) {
    const reply = await fetch(`${baseUrl}/api/1.1/rest/number/order/${orderId}.json`, { headers: { authorization: basicAuth('crash') } });
    const order = (await reply.json()).Resource.NumberOrder;
    if (['FINISHED', 'ADJUSTED', 'ERRORED'].includes(order.Status)) return order;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  assert.fail(`order ${orderId} never ended`);
}

/** Straight from the tables: each asset owned once, by the order's account; no reservation or job left. */
async function assertSettledOnce(url: string, orderId: number, assets: number): Promise<void> {
  const handle = openDatabase({ url });
  try {
    const db = handle.db;
    const order = await db.selectFrom('orders').selectAll().where('id', '=', orderId).executeTakeFirstOrThrow();
    const items = await db.selectFrom('order_items').selectAll().where('order_id', '=', orderId).execute();
    assert.equal(items.filter((i) => i.state === 'FULFILLED').length, assets);
    const ownedNumbers = await db.selectFrom('numbers').select(['number', 'account_id']).where('state', '=', 'OWNED').execute();
    const ownedKeywords = await db.selectFrom('keywords').select(['keyword', 'account_id']).where('state', '=', 'OWNED').execute();
    assert.equal(ownedNumbers.length + ownedKeywords.length, assets, 'exactly the ordered assets are owned');
    for (const row of [...ownedNumbers, ...ownedKeywords]) assert.equal(row.account_id, order.account_id);
    const reserved = await sql<{ n: number }>`select (select count(*) from numbers where state = 'RESERVED') + (select count(*) from keywords where state = 'RESERVED') as n`.execute(db);
    assert.equal(Number(reserved.rows[0]!.n), 0, 'no reservation left');
    // After a crash past fulfilment the order is already terminal; the job is cleared once a survivor takes it over.
    let jobs = await db.selectFrom('jobs').selectAll().execute();
    for (let i = 0; i < 300 && jobs.length > 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      jobs = await db.selectFrom('jobs').selectAll().execute();
    }
    assert.deepEqual(jobs, [], 'the job is done and gone');
  } finally {
    await handle.close();
  }
}
