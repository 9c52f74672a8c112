import assert from 'node:assert/strict';
import type { Harness } from '../support/harness.ts';

/** Helpers for lifecycle tests: money as the admin API shows it, orders as a client sees them. */
export function lifecycle(h: Harness) {
  async function money(login: string) {
    const reply = await h.admin('GET', `/accounts/${login}`);
    assert.equal(reply.status, 200, JSON.stringify(reply.json));
    return { balance: reply.json.balance as string, held: reply.json.held as string, available: reply.json.available as string };
  }

  async function expectMoney(login: string, balance: string, held = '0.00') {
    assert.deepEqual(await money(login), { balance, held, available: (Math.round(parseFloat(balance) * 100 - parseFloat(held) * 100) / 100).toFixed(2) });
  }

  async function order(form: Record<string, string>, as: string): Promise<number> {
    const reply = await h.call('POST', 'number/order.json', { form, as });
    assert.equal(reply.status, 201, reply.text);
    return reply.json.ResourceReference.Id;
  }

  /** The order's status once no worker has anything due to do (the harness's own runner may be mid-job). */
  async function settledStatus(id: number, as: string): Promise<string> {
    for (let attempt = 0; ; attempt++) {
      await h.context.runner.runOnce();
      const due = await h.context.database.db.selectFrom('jobs').select('id')
        .where('run_at', '<=', h.context.clock.now().getTime()).executeTakeFirst();
      if (!due) break;
      assert.ok(attempt < 1000, 'jobs never settled');
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const reply = await h.call('GET', `number/order/${id}.json`, { as });
    assert.equal(reply.status, 200, reply.text);
    return reply.json.Resource.NumberOrder.Status;
  }

  async function orderJson(id: number, as: string) {
    return (await h.call('GET', `number/order/${id}.json`, { as })).json.Resource.NumberOrder;
  }

  async function ledgerBalanced() {
    const reply = await h.admin('GET', '/ledger/check');
    assert.deepEqual(reply.json, { balanced: true, mismatches: [] });
  }

  async function isAvailable(number: string): Promise<boolean> {
    const reply = await h.call('GET', 'number/search.json', { form: { Prefix: number, Count: '1' } });
    return (reply.json.ResourceList.Number ?? []).some((n: { Number: string }) => n.Number === number);
  }

  async function freeNumbers(state: string, count: number): Promise<string[]> {
    const reply = await h.call('GET', 'number/search.json', { form: { State: state, Count: String(count) } });
    return reply.json.ResourceList.Number.map((n: { Number: string }) => n.Number);
  }

  return { money, expectMoney, order, settledStatus, orderJson, ledgerBalanced, isAvailable, freeNumbers };
}
