import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { startHarness, type Harness } from '../support/harness.ts';

const ACCOUNTS = ['acct1', 'acct2', 'acct3', 'acct4', 'acct5'];
let h: Harness;
before(async () => { h = await startHarness({ accounts: ACCOUNTS, config: { worker: { concurrency: 4 } } }); });
after(() => h.close());

describe('concurrent orders', () => {
  test('240 simultaneous orders over overlapping numbers, keywords and bulk counts never sell anything twice', async () => {
    const pool = (await h.call('GET', 'number/search.json', { form: { State: 'CA', Count: '40' } })).json.ResourceList.Number.map((n: any) => n.Number) as string[];
    const keywords = ['ALPHA', 'BRAVO', 'CHARLIE', 'DELTA', 'ECHO', 'FOXTROT'];
    const requests = Array.from({ length: 240 }, (_, i) => {
      const as = ACCOUNTS[i % ACCOUNTS.length]!;
      const form: Record<string, string> = {};
      if (i % 2 === 0) form.Numbers = [pool[i % pool.length], pool[(i * 7) % pool.length], pool[(i * 13 + 5) % pool.length]].join(' ');
      if (i % 3 === 0) form.Keywords = `${keywords[i % keywords.length]} ${keywords[(i + 1) % keywords.length]}`;
      if (i % 4 === 1) Object.assign(form, { LocalCount: String(1 + (i % 3)), State: 'CA' });
      if (i % 5 === 2) form.TollFreeCount = '2';
      if (Object.keys(form).length === 0) form.LocalCount = '1';
      return { as, form };
    });
    const created = await Promise.all(requests.map(async ({ as, form }) => {
      const reply = await h.call('POST', 'number/order.json', { as, form });
      assert.equal(reply.status, 201, reply.text);
      return { as, id: reply.json.ResourceReference.Id as number };
    }));
    const orders = await Promise.all(created.map(async ({ as, id }) => ({ as, order: (await h.waitForOrder(id, as)).order })));

    const owners = new Map<string, string>();
    const costByAccount = new Map<string, number>();
    for (const { as, order } of orders) {
      assert.ok(['FINISHED', 'ADJUSTED', 'ERRORED'].includes(order.Status), order.Status);
      let cents = 0;
      let fulfilled = 0;
      let ordered = 0;
      for (const line of [order.LocalNumbers, order.TollFreeNumbers, order.Keywords]) {
        if (!line) continue;
        const assets = line.Fulfilled ? line.Fulfilled.split(' ') : [];
        assert.ok(assets.length <= line.Ordered, `${assets.length} fulfilled of ${line.Ordered} ordered`);
        for (const asset of assets) {
          assert.equal(owners.get(asset), undefined, `${asset} sold twice`);
          owners.set(asset, as);
        }
        cents += assets.length * Math.round(line.UnitCost * 100);
        fulfilled += assets.length;
        ordered += line.Ordered;
      }
      assert.equal(Math.round(order.TotalCost * 100), cents);
      assert.equal(order.Status, fulfilled === 0 ? 'ERRORED' : fulfilled < ordered ? 'ADJUSTED' : 'FINISHED');
      costByAccount.set(as, (costByAccount.get(as) ?? 0) + cents);
    }
    assert.ok(orders.some(({ order }) => order.Status === 'ADJUSTED'), 'the overlap makes some orders partial');

    for (const as of ACCOUNTS) {
      const numbers = ((await h.call('GET', 'number.json', { as })).json.ResourceList.Number ?? []).map((n: any) => n.Number);
      const kws = ((await h.call('GET', 'number/keyword.json', { as })).json.ResourceList.Keyword ?? []).map((k: any) => k.Keyword);
      const expected = [...owners].filter(([, owner]) => owner === as).map(([asset]) => asset).sort();
      assert.deepEqual([...numbers, ...kws].sort(), expected, `${as} owns exactly what its orders fulfilled`);
    }
    const leftovers = await sql<{ n: number }>`select count(*) as n from numbers where state = 'RESERVED'`.execute(h.context.database.db);
    assert.equal(Number(leftovers.rows[0]!.n), 0, 'no reservation outlives its order');
  });
});
