import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { sql } from 'kysely';
import { envToConfig } from '../../src/config/config.ts';
import { createContext, type Context } from '../../src/context.ts';
import { isTerminal } from '../../src/domain/order.ts';
import { eventually } from '../support/eventually.ts';
import { TEST_INVENTORY } from '../support/harness.ts';
import { seedDatabase } from '../support/seed.ts';
import { createTestDatabase, isPostgresPass } from '../support/test-database.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'numberd-wakeups-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** Two contexts on one database stand for two processes: an API that takes orders and a worker. */
async function apiAndWorker(name: string, workerPollMs: number, apiEnv: Record<string, string> = {}) {
  const database = await createTestDatabase(`sqlite:${path.join(dir, `${name}.db`)}`);
  const { numbers } = await seedDatabase(database.url, { accounts: ['wake'], inventory: TEST_INVENTORY });
  const api = await createContext(envToConfig({ DATABASE_URL: database.url, NUMBERD_DEMO: '0', ...apiEnv }));
  const worker = await createContext(envToConfig({ DATABASE_URL: database.url, NUMBERD_DEMO: '0', NUMBERD_JOB_POLL_INTERVAL_MS: String(workerPollMs) }));
  const account = (await api.store.accounts.findByLogin('wake'))!;
  let next = 0;
  return {
    api, worker,
    order: () => api.services.orders.createOrder(account.id, { numbers: [numbers[next++]!] }),
    /** GetNumberOrder with a wait, in the API process. */
    waitFor: (orderId: number, ms: number) => api.services.orders.getOrder(account.id, orderId, ms),
    async close() {
      await api.close();
      await worker.close();
      await database.drop();
    },
  };
}

async function waitForTerminal(context: Context, orderId: number): Promise<string> {
  const order = await eventually(() => context.store.orders.get(orderId), (read) => !!read && isTerminal(read.status), 30_000);
  if (!order || !isTerminal(order.status)) assert.fail(`order ${orderId} never ended`);
  return order.status;
}

/** LISTEN connections open on the database. */
async function listeners(context: Context): Promise<number> {
  const { rows } = await sql<{ n: number }>`select count(*) as n from pg_stat_activity
    where datname = current_database() and query ilike 'LISTEN%' and state = 'idle'`.execute(context.database.db);
  return Number(rows[0]!.n);
}

/** A wait of 20 s that ends with the order FINISHED well before then: the order's end woke it, not its timer. */
async function answeredEarly(waiting: Promise<{ status: string }>): Promise<void> {
  const started = performance.now();
  const { status } = await waiting;
  const ms = performance.now() - started;
  assert.equal(status, 'FINISHED');
  assert.ok(ms < 15_000, `woken when the order ended, not when the wait ran out (${ms} ms)`);
}

describe('waking workers in other processes', () => {
  test('an order taken by one process wakes the worker of another through LISTEN/NOTIFY, and again after its connection dies', { skip: !isPostgresPass && 'LISTEN/NOTIFY is Postgres only; SQLite is tested below' }, async () => {
    // The worker polls every ten minutes: only a notification can make these orders finish.
    const setup = await apiAndWorker('notify', 600_000);
    try {
      await setup.worker.startWorker();
      assert.equal(await waitForTerminal(setup.api, await setup.order()), 'FINISHED');

      // Kill the LISTEN connection from the server side, as a failover or an idle timeout would.
      const killed = await sql<{ n: number }>`select count(pg_terminate_backend(pid)) as n from pg_stat_activity
        where datname = current_database() and query ilike 'LISTEN%'`.execute(setup.api.database.db);
      assert.equal(Number(killed.rows[0]!.n), 1);
      assert.equal(await waitForTerminal(setup.api, await setup.order()), 'FINISHED');
    } finally {
      await setup.close();
    }
  });

  test('an order taken by one process wakes the worker of another on the same SQLite file', { skip: isPostgresPass && 'the Postgres pass wakes workers through LISTEN/NOTIFY, tested above' }, async () => {
    // The worker polls every ten minutes: only the commits it sees on the file can make these orders finish.
    const setup = await apiAndWorker('data-version', 600_000);
    try {
      await setup.worker.startWorker({ otherProcesses: true });
      assert.equal(await waitForTerminal(setup.api, await setup.order()), 'FINISHED');
      assert.equal(await waitForTerminal(setup.api, await setup.order()), 'FINISHED');
    } finally {
      await setup.close();
    }
  });

  test('a GetNumberOrder waiting in an API process answers when a worker process ends the order, also after the LISTEN connections died', { skip: !isPostgresPass && 'LISTEN/NOTIFY is Postgres only; SQLite is tested below' }, async () => {
    // The waiting request rereads its order only every ten minutes: only a notification can end its wait early.
    const setup = await apiAndWorker('order-ends', 600_000, { NUMBERD_WAIT_RECHECK_MS: '600000' });
    try {
      const first = await setup.order();
      const waiting = setup.waitFor(first, 20_000);
      // The worker starts only once the request waits: the order cannot have ended before.
      await new Promise((resolve) => setTimeout(resolve, 200));
      await setup.worker.startWorker();
      await answeredEarly(waiting);

      assert.equal(await listeners(setup.api), 2, 'the API process listens too, since a request waited');
      // Waits until they are gone, so the count below sees only their replacements.
      const killed = await sql<{ n: number }>`select count(pg_terminate_backend(pid, 5000)) as n from pg_stat_activity
        where datname = current_database() and query ilike 'LISTEN%'`.execute(setup.api.database.db);
      assert.equal(Number(killed.rows[0]!.n), 2);
      await setup.worker.runner.stop();
      const second = await setup.order();
      const waitingAgain = setup.waitFor(second, 20_000);
      // Both processes listen again (after their backoff) before the worker may end the order.
      assert.ok(await eventually(() => listeners(setup.api), (n) => n >= 2, 10_000) >= 2, 'the LISTEN connections came back');
      setup.worker.runner.start();
      setup.worker.runner.wake();
      await answeredEarly(waitingAgain);
    } finally {
      await setup.close();
    }
  });

  test('a GetNumberOrder waiting in an API process answers when a worker process ends the order on the same SQLite file', { skip: isPostgresPass && 'the Postgres pass hears ended orders through LISTEN/NOTIFY, tested above' }, async () => {
    // The waiting request rereads its order only every ten minutes: only the worker's commit seen on the file can end its wait early.
    const setup = await apiAndWorker('order-ends-file', 600_000, { NUMBERD_WAIT_RECHECK_MS: '600000' });
    try {
      const first = await setup.order();
      const waiting = setup.waitFor(first, 20_000);
      // The worker starts only once the request waits: the order cannot have ended before.
      await new Promise((resolve) => setTimeout(resolve, 200));
      await setup.worker.startWorker({ otherProcesses: true });
      await answeredEarly(waiting);
    } finally {
      await setup.close();
    }
  });

  test('a lost notification only delays work: the worker poll finds the job', async () => {
    // One context (two SQLite connections in one thread would wait on each other synchronously).
    const database = await createTestDatabase(`sqlite:${path.join(dir, 'lost.db')}`);
    const { numbers } = await seedDatabase(database.url, { accounts: ['wake'], inventory: TEST_INVENTORY });
    const context = await createContext(envToConfig({ DATABASE_URL: database.url, NUMBERD_DEMO: '0', NUMBERD_JOB_POLL_INTERVAL_MS: '100' }));
    try {
      await context.startWorker();
      // Stop listening: every wake-up from now on, local or NOTIFY, is lost to this worker.
      await context.notifier.close();
      const account = (await context.store.accounts.findByLogin('wake'))!;
      const orderId = await context.services.orders.createOrder(account.id, { numbers: [numbers[0]!] });
      assert.equal(await waitForTerminal(context, orderId), 'FINISHED');
    } finally {
      await context.close();
      await database.drop();
    }
  });
});
