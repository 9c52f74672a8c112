import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { LostRace, OrderProcessor } from '../../src/app/order-processor.ts';
import { envToConfig } from '../../src/config/config.ts';
import { createContext } from '../../src/context.ts';
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
      const workers = [1, 2].map(() => new OrderProcessor(context.clock, context.config.billing, { completed: (status) => ended.push(status) }));
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
});
