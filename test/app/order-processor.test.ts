import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { LostRace, OrderProcessor } from '../../src/app/order-processor.ts';
import { envToConfig } from '../../src/config/config.ts';
import { createContext } from '../../src/context.ts';
import type { OrderRequest } from '../../src/app/order-service.ts';
import type { OrderStatus } from '../../src/domain/order.ts';
import { TEST_INVENTORY } from '../support/harness.ts';
import { seedDatabase } from '../support/seed.ts';
import { createTestDatabase } from '../support/test-database.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'numberd-processor-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('OrderProcessor', () => {
  test('two workers processing the same orders at once (a lock taken over too early) end each order once', async () => {
    const database = await createTestDatabase(`sqlite:${path.join(dir, 'race.db')}`);
    const { numbers } = await seedDatabase(database.url, { accounts: ['race'], inventory: TEST_INVENTORY });
    const context = await createContext(envToConfig({ DATABASE_URL: database.url, NUMBERD_DEMO: '0' }));
    try {
      const account = (await context.store.accounts.findByLogin('race'))!;
      const ended: OrderStatus[] = [];
      const workers = [1, 2].map(() => new OrderProcessor(context.clock, context.config.billing, { completed: ({ status }) => ended.push(status) }));
      const orders = await Promise.all(Array.from({ length: 20 }, (_, i) =>
        context.services.orders.createOrder(account.id, { numbers: [numbers[i]!], keywords: [`RACE${i}`] })));
      let lostRaces = 0;
      // As the job runner does: each worker in its own transaction; a lost race rolls its work back.
      const run = (worker: OrderProcessor, id: number) => context.store.transaction((tx, afterCommit) => worker.advanceWithin(tx, id, afterCommit))
        .catch((error: unknown) => { if (error instanceof LostRace) lostRaces++; else throw error; });
      await Promise.all(orders.flatMap((id) => workers.map((worker) => run(worker, id))));
      assert.equal(ended.length, orders.length, `each order ended by exactly one of the two workers (${lostRaces} lost races rolled back)`);
      for (const id of orders) {
        const order = await context.store.orders.get(id);
        assert.equal(order?.status, 'FINISHED');
        assert.equal(order?.totalCost, order!.lines.LOCAL!.unitCost + order!.lines.KEYWORD!.unitCost);
      }
    } finally {
      await context.close();
      await database.drop();
    }
  });

  test('a batch of orders of several accounts ends each order as processing them one by one, in id order, does', async () => {
    // The same accounts, rules and orders in two databases: one processed job by job, one in a single batch.
    const outcomes = await Promise.all(['one by one', 'batch'].map(async (mode) => {
      const database = await createTestDatabase(`sqlite:${path.join(dir, `${mode}.db`)}`);
      const { numbers } = await seedDatabase(database.url, { accounts: ['open', 'prepaid', 'gated'], inventory: TEST_INVENTORY });
      const context = await createContext(envToConfig({ DATABASE_URL: database.url, NUMBERD_DEMO: '0' }));
      try {
        // Prepaid: 4.50 pays three local numbers at 1.50. Gated: orders of 3.00 or more need an approver.
        await context.operator.setPolicy('prepaid', { creditLimit: '0.00' });
        await context.operator.addFunds('prepaid', '4.50');
        await context.operator.setPolicy('gated', { tierOne: '3.00' });
        const id = async (login: string) => (await context.store.accounts.findByLogin(login))!.id;
        const requests: [string, OrderRequest][] = [
          ['open', { numbers: [numbers[0]!], keywords: ['BATCHA'] }],
          ['prepaid', { numbers: [numbers[1]!] }],
          ['gated', { numbers: [numbers[2]!] }],
          ['open', { numbers: [numbers[0]!, numbers[3]!] }],
          ['prepaid', { numbers: [numbers[4]!, numbers[5]!, numbers[6]!] }],
          ['gated', { numbers: [numbers[7]!, numbers[8]!] }],
          ['prepaid', { numbers: [numbers[9]!] }],
          ['open', { numbers: [numbers[0]!] }],
          ['open', { bulkLocal: { count: 2, region: {} }, keywords: ['BATCHB'] }],
          ['prepaid', { bulkTollFree: { count: 1 } }],
        ];
        const ids: number[] = [];
        for (const [login, request] of requests) ids.push(await context.services.orders.createOrder(await id(login), request));
        const ended: OrderStatus[] = [];
        const processor = new OrderProcessor(context.clock, context.config.billing, { completed: ({ status }) => ended.push(status) });
        if (mode === 'batch') {
          await context.store.transaction((tx, afterCommit) => processor.advanceAllWithin(tx, ids, afterCommit));
        } else {
          for (const orderId of ids) await context.store.transaction((tx, afterCommit) => processor.advanceWithin(tx, orderId, afterCommit));
        }
        const orders = await context.store.orders.getMany(ids);
        return {
          orders: await Promise.all(orders.map(async (order) => ({
            status: order.status, totalCost: order.totalCost, held: order.held, waitsForPayment: order.paymentDueAt !== null,
            fulfilled: Object.values(order.lines).reduce((sum, line) => sum + line.fulfilled.length, 0),
            ledger: (await context.store.billing.entries({ orderId: order.id })).map(({ kind, amount, holdDelta }) => ({ kind, amount, holdDelta })),
          }))),
          accounts: await Promise.all(['open', 'prepaid', 'gated'].map(async (login) => context.store.billing.readBilling(await id(login)))),
          ended: ended.sort(),
          mismatches: await context.store.billing.mismatches(),
        };
      } finally {
        await context.close();
        await database.drop();
      }
    }));
    const [oneByOne, batch] = outcomes as [typeof outcomes[0], typeof outcomes[0]];
    assert.deepEqual(batch, oneByOne);
    assert.deepEqual(oneByOne.orders.map((order) => order.status), [
      'FINISHED', 'FINISHED', 'FINISHED', 'ADJUSTED', 'WAIT_FOR_PAYMENT', 'APPROVE_TIER_ONE', 'FINISHED', 'ERRORED', 'FINISHED', 'WAIT_FOR_PAYMENT',
    ], 'the orders cover paying at once, waiting for funds, approval, part and nothing obtained');
    assert.deepEqual(batch.mismatches, []);
  });

  test('workers processing overlapping batches at once end each order once; a batch that lost a race changes nothing', async () => {
    const database = await createTestDatabase(`sqlite:${path.join(dir, 'batch-race.db')}`);
    const { numbers } = await seedDatabase(database.url, { accounts: ['race', 'rival'], inventory: TEST_INVENTORY });
    const context = await createContext(envToConfig({ DATABASE_URL: database.url, NUMBERD_DEMO: '0' }));
    try {
      const accounts = await Promise.all(['race', 'rival'].map(async (login) => (await context.store.accounts.findByLogin(login))!.id));
      const ended: OrderStatus[] = [];
      const workers = [1, 2, 3].map(() => new OrderProcessor(context.clock, context.config.billing, { completed: ({ status }) => ended.push(status) }));
      const orders = await Promise.all(Array.from({ length: 30 }, (_, i) =>
        context.services.orders.createOrder(accounts[i % 2]!, { numbers: [numbers[i]!], keywords: [`BRACE${i}`] })));
      let lostRaces = 0;
      // As the job runner does: a batch that lost a race rolls back, and its orders are then taken one by one.
      const run = async (worker: OrderProcessor, ids: number[]) => {
        try {
          await context.store.transaction((tx, afterCommit) => worker.advanceAllWithin(tx, ids, afterCommit));
        } catch (error) {
          if (!(error instanceof LostRace)) throw error;
          lostRaces++;
          for (const id of ids) {
            await context.store.transaction((tx, afterCommit) => worker.advanceWithin(tx, id, afterCommit))
              .catch((alone: unknown) => { if (!(alone instanceof LostRace)) throw alone; });
          }
        }
      };
      await Promise.all([run(workers[0]!, orders.slice(0, 20)), run(workers[1]!, orders.slice(10, 30)), run(workers[2]!, orders.slice(5, 25).reverse())]);
      assert.equal(ended.length, orders.length, `each order ended by exactly one worker (${lostRaces} batches lost a race and rolled back)`);
      for (const order of await context.store.orders.getMany(orders)) {
        assert.equal(order.status, 'FINISHED');
        assert.equal(order.totalCost, order.lines.LOCAL!.unitCost + order.lines.KEYWORD!.unitCost);
        assert.deepEqual((await context.store.billing.entries({ orderId: order.id })).map((entry) => entry.kind), ['HOLD', 'CHARGE']);
      }
      assert.deepEqual(await context.store.billing.mismatches(), []);
    } finally {
      await context.close();
      await database.drop();
    }
  });
});
