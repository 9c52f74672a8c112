import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { envToConfig } from '../../src/config/config.ts';
import { createContext } from '../../src/context.ts';
import type { OrderRequest } from '../../src/app/order-service.ts';
import { TEST_INVENTORY } from '../support/harness.ts';
import { seedDatabase } from '../support/seed.ts';
import { createTestDatabase } from '../support/test-database.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'numberd-order-service-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** The same accounts and inventory in a new database, the requests created one by one or all at once; what each order holds. */
async function createOrders(name: string, together: boolean, requestsFor: (numbers: string[], tollFree: string[]) => [string, OrderRequest][]) {
  const database = await createTestDatabase(`sqlite:${path.join(dir, `${name}.db`)}`);
  const { numbers, tollFree } = await seedDatabase(database.url, { accounts: ['open', 'other'], inventory: TEST_INVENTORY });
  // No worker: the orders stay as they were created.
  const context = await createContext(envToConfig({ DATABASE_URL: database.url, NUMBERD_DEMO: '0' }));
  try {
    await context.operator.setPrices('other', { local: '2.25' });
    const accountIds = new Map<string, number>();
    for (const login of ['open', 'other']) accountIds.set(login, (await context.store.accounts.findByLogin(login))!.id);
    const requests = requestsFor(numbers, tollFree);
    const create = ([login, request]: [string, OrderRequest]) => context.services.orders.createOrder(accountIds.get(login)!, request);
    const ids: number[] = [];
    if (together) ids.push(...(await Promise.all(requests.map(create))));
    else for (const request of requests) ids.push(await create(request));
    assert.equal(new Set(ids).size, ids.length);
    const byId = new Map((await context.store.orders.getMany(ids)).map((order) => [order.id, order]));
    const jobs = await context.store.transaction((tx) => tx.jobs.claim('test', new Date(), new Date(0), 1000));
    assert.deepEqual(jobs.map((job) => (job.payload as { orderId: number }).orderId).sort((a, b) => a - b), [...ids].sort((a, b) => a - b), 'one job per order');
    return ids.map((id, i) => {
      const { accountId, status, lines, estimate, reserved } = byId.get(id)!;
      return { login: requests[i]![0], accountId, status, estimate, reserved, lines };
    });
  } finally {
    await context.close();
    await database.drop();
  }
}

describe('OrderService', () => {
  test('orders created together hold what they would hold created one after another', async () => {
    const requests = (numbers: string[], tollFree: string[]): [string, OrderRequest][] => [
      ['open', { numbers: [numbers[0]!, numbers[1]!], keywords: ['TOGA'] }],
      ['other', { numbers: [numbers[1]!, numbers[2]!] }],
      ['open', { keywords: ['TOGA', 'TOGB'] }],
      ['other', { bulkLocal: { count: 2, region: {} } }],
      ['open', { bulkLocal: { count: 1, region: {} }, bulkTollFree: { count: 1 } }],
      ['other', { bulkTollFree: { count: 2 }, numbers: [tollFree[10]!] }],
      ['open', { bulkTollFree: { count: tollFree.length } }],
      ['other', { bulkTollFree: { count: 1 } }],
    ];
    const oneByOne = await createOrders('one-by-one', false, requests);
    const together = await createOrders('together', true, requests);
    assert.deepEqual(together, oneByOne);
    // What the requests were chosen to show: the second namer and a drained inventory go without.
    assert.equal(oneByOne[1]!.reserved.length, 1, 'a number named by an earlier order is not reserved again');
    assert.deepEqual(oneByOne[2]!.reserved.map((r) => r.asset), ['TOGB']);
    assert.equal(oneByOne[7]!.reserved.length, 0, 'the order after the one that took every toll-free number left gets none');
    assert.ok(oneByOne[3]!.estimate > 0 && oneByOne[3]!.estimate === 2 * 225, 'the account\'s own price');
  });

  test('a number named in a bulk draw\'s order goes to the order that names it, created together', async () => {
    // One after another the bulk order, first, would take the lowest number; together, named numbers are claimed first.
    const requests = (numbers: string[]): [string, OrderRequest][] => [
      ['open', { bulkLocal: { count: 1, region: {} } }],
      ['other', { numbers: [[...numbers].sort()[0]!] }],
    ];
    const together = await createOrders('named-first', true, requests);
    assert.equal(together[1]!.reserved.length, 1);
    assert.equal(together[0]!.reserved.length, 1);
    assert.notEqual(together[0]!.reserved[0]!.asset, together[1]!.reserved[0]!.asset);
  });
});
