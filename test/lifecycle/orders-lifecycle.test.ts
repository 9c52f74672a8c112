import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { retryDelayMs } from '../../src/app/job-runner.ts';
import { startHarness, type Harness } from '../support/harness.ts';
import { lifecycle } from './support.ts';

const ACCOUNTS = ['open', 'prepaid', 'waiting', 'approvals', 'rejects', 'cancels', 'priced', 'partial', 'doomed'];
let h: Harness;
let l: ReturnType<typeof lifecycle>;
before(async () => {
  h = await startHarness({ accounts: ACCOUNTS });
  l = lifecycle(h);
  for (const login of ACCOUNTS.slice(1)) {
    const reply = await h.admin('PUT', `/accounts/${login}/policy`, { creditLimit: '0.00' });
    assert.equal(reply.status, 200, JSON.stringify(reply.json));
  }
});
after(() => h.close());

describe('order lifecycle with money', () => {
  test('an account without a policy gets the classic flow and is charged what it bought (postpaid)', async () => {
    await l.expectMoney('open', '0.00');
    const id = await l.order({ TollFreeCount: '1', Keywords: 'OPENWORD' }, 'open');
    assert.equal(await l.settledStatus(id, 'open'), 'FINISHED');
    await l.expectMoney('open', '-8.50');
    const entries = await h.context.store.billing.entries({ orderId: id });
    assert.deepEqual(entries.map((e) => [e.kind, e.amount, e.holdDelta]), [['HOLD', 0, 850], ['CHARGE', -850, -850]]);
    await l.ledgerBalanced();
  });

  test('prepaid with enough funds: NEW -> PROCESSING -> FINISHED, the hold becomes the charge', async () => {
    assert.equal((await h.admin('POST', '/accounts/prepaid/funds', { amount: '10.00' })).json.balance, '10.00');
    const id = await l.order({ LocalCount: '2', State: 'TX' }, 'prepaid');
    assert.equal(await l.settledStatus(id, 'prepaid'), 'FINISHED');
    await l.expectMoney('prepaid', '7.00');
    assert.equal((await l.orderJson(id, 'prepaid')).TotalCost, 3);
    assert.equal(await h.context.store.billing.chargedFor(id), 300);
    await l.ledgerBalanced();
  });

  test('balance short -> WAIT_FOR_PAYMENT; funds move waiting orders on automatically, oldest first', async () => {
    const first = await l.order({ TollFreeCount: '1' }, 'waiting');
    const second = await l.order({ TollFreeCount: '2' }, 'waiting');
    assert.equal(await l.settledStatus(first, 'waiting'), 'WAIT_FOR_PAYMENT');
    assert.equal(await l.settledStatus(second, 'waiting'), 'WAIT_FOR_PAYMENT');
    await l.expectMoney('waiting', '0.00');

    // Enough for the older order only.
    await h.admin('POST', '/accounts/waiting/funds', { amount: '4.00' });
    assert.equal(await l.settledStatus(first, 'waiting'), 'FINISHED');
    assert.equal(await l.settledStatus(second, 'waiting'), 'WAIT_FOR_PAYMENT');
    await l.expectMoney('waiting', '1.00');

    await h.admin('POST', '/accounts/waiting/funds', { amount: '5.00' });
    assert.equal(await l.settledStatus(second, 'waiting'), 'FINISHED');
    await l.expectMoney('waiting', '0.00');
    await l.ledgerBalanced();
  });

  test('the payment window expiring voids the order and returns its numbers to the inventory', async () => {
    const [number] = await l.freeNumbers('OH', 1);
    const id = await l.order({ Numbers: number! }, 'waiting');
    assert.equal(await l.settledStatus(id, 'waiting'), 'WAIT_FOR_PAYMENT');
    assert.equal(await l.isAvailable(number!), false, 'reserved while waiting');
    await h.advance(71 * 3600);
    assert.equal(await l.settledStatus(id, 'waiting'), 'WAIT_FOR_PAYMENT');
    await h.advance(2 * 3600);
    assert.equal(await l.settledStatus(id, 'waiting'), 'VOID');
    assert.equal(await l.isAvailable(number!), true);
    await l.expectMoney('waiting', '0.00');
    await l.ledgerBalanced();
  });

  test('tier one and tier two approvals: tier two needs a different approver, then the order proceeds', async () => {
    await h.admin('PUT', '/accounts/approvals/policy', { tierOne: '3.00', tierTwo: '5.00', creditLimit: '0.00' });
    await h.admin('POST', '/accounts/approvals/funds', { amount: '20.00' });
    const small = await l.order({ LocalCount: '1', State: 'CA' }, 'approvals');
    assert.equal(await l.settledStatus(small, 'approvals'), 'FINISHED', 'below tier one: no approval');
    await l.expectMoney('approvals', '18.50');

    const medium = await l.order({ TollFreeCount: '1' }, 'approvals');
    assert.equal(await l.settledStatus(medium, 'approvals'), 'APPROVE_TIER_ONE');
    await l.expectMoney('approvals', '18.50');
    const listed = await h.admin('GET', '/orders?status=APPROVE_TIER_ONE');
    assert.deepEqual(listed.json.map((o: any) => o.id), [medium]);
    const approved = await h.admin('POST', `/orders/${medium}/approve`, { approver: 'ann' });
    assert.equal(approved.status, 200);
    assert.equal(approved.json.status, 'FINISHED');
    await l.expectMoney('approvals', '15.50');

    const large = await l.order({ TollFreeCount: '2' }, 'approvals');
    assert.equal(await l.settledStatus(large, 'approvals'), 'APPROVE_TIER_ONE');
    assert.equal((await h.admin('POST', `/orders/${large}/approve`, { approver: 'ann' })).json.status, 'APPROVE_TIER_TWO');
    const same = await h.admin('POST', `/orders/${large}/approve`, { approver: 'ann' });
    assert.equal(same.status, 409);
    assert.match(same.json.message, /different approver/);
    assert.equal(same.json.code, 'NBD_ERR_CONFLICT');
    await l.expectMoney('approvals', '15.50');
    const second = await h.admin('POST', `/orders/${large}/approve`, { approver: 'bea' });
    assert.equal(second.json.status, 'FINISHED');
    assert.equal(second.json.tierOneApprover, 'ann');
    assert.equal(second.json.tierTwoApprover, 'bea');
    await l.expectMoney('approvals', '9.50');
    await l.ledgerBalanced();
  });

  test('rejection: REJECTED, reservations released, nothing charged; approving a rejected order is refused', async () => {
    await h.admin('PUT', '/accounts/rejects/policy', { tierOne: '1.00', creditLimit: '0.00' });
    await h.admin('POST', '/accounts/rejects/funds', { amount: '10.00' });
    const [number] = await l.freeNumbers('FL', 1);
    const id = await l.order({ Numbers: number! }, 'rejects');
    assert.equal(await l.settledStatus(id, 'rejects'), 'APPROVE_TIER_ONE');
    const missing = await h.admin('POST', `/orders/${id}/reject`, { approver: 'ann' });
    assert.equal(missing.status, 400);
    assert.match(missing.json.message, /reason is required/);
    const rejected = await h.admin('POST', `/orders/${id}/reject`, { approver: 'ann', reason: 'not for this customer' });
    assert.equal(rejected.json.status, 'REJECTED');
    assert.equal(await l.isAvailable(number!), true);
    await l.expectMoney('rejects', '10.00');
    const again = await h.admin('POST', `/orders/${id}/approve`, { approver: 'bea' });
    assert.equal(again.status, 409);
    assert.equal(again.json.code, 'NBD_ERR_ILLEGAL_TRANSITION');
    assert.equal((await h.admin('POST', `/orders/${id}/cancel`)).status, 409);
    await l.ledgerBalanced();
  });

  test('an operator can cancel a live order: VOID, held funds and reservations released', async () => {
    const [number] = await l.freeNumbers('GA', 1);
    const waiting = await l.order({ Numbers: number! }, 'cancels');
    assert.equal(await l.settledStatus(waiting, 'cancels'), 'WAIT_FOR_PAYMENT');
    const cancelled = await h.admin('POST', `/orders/${waiting}/cancel`);
    assert.equal(cancelled.json.status, 'VOID');
    assert.equal(await l.isAvailable(number!), true);
    await l.expectMoney('cancels', '0.00');
    assert.equal((await h.admin('POST', '/orders/99999999/cancel')).status, 404);
    assert.equal((await h.admin('POST', '/orders/abc/cancel')).status, 400);
    await l.ledgerBalanced();
  });

  test('per-account prices: the order uses the account\'s price and charges it', async () => {
    const set = await h.admin('PUT', '/accounts/priced/prices', { local: '0.99', keyword: '2.00' });
    assert.deepEqual(set.json.prices, { local: '0.99', tollFree: '3.00', keyword: '2.00' });
    await h.admin('POST', '/accounts/priced/funds', { amount: '5.00' });
    const id = await l.order({ LocalCount: '1', State: 'NY', Keywords: 'PRICEDWORD' }, 'priced');
    assert.equal(await l.settledStatus(id, 'priced'), 'FINISHED');
    const order = await l.orderJson(id, 'priced');
    assert.equal(order.LocalNumbers.UnitCost, 0.99);
    assert.equal(order.Keywords.UnitCost, 2);
    assert.equal(order.TotalCost, 2.99);
    await l.expectMoney('priced', '2.01');
  });

  test('partial fulfilment holds for what was reserved and charges only what was obtained', async () => {
    await h.admin('POST', '/accounts/partial/funds', { amount: '10.00' });
    const [taken] = await l.freeNumbers('WA', 1);
    const takenOrder = await l.order({ Numbers: taken! }, 'open');
    assert.equal(await l.settledStatus(takenOrder, 'open'), 'FINISHED');
    const id = await l.order({ Numbers: taken!, TollFreeCount: '1' }, 'partial');
    assert.equal(await l.settledStatus(id, 'partial'), 'ADJUSTED');
    const order = await l.orderJson(id, 'partial');
    assert.equal(order.TotalCost, 3);
    assert.equal(await h.context.store.billing.chargedFor(id), 300);
    await l.expectMoney('partial', '7.00');
    await l.ledgerBalanced();
  });

  // Last in this file: it moves the clock on by hours.
  test('an order whose processing fails every attempt ends ERRORED: reservations and hold released, nothing charged', async () => {
    await h.admin('POST', '/accounts/doomed/funds', { amount: '20.00' });
    const [number] = await l.freeNumbers('TX', 1);
    const db = h.context.database.db;
    // A real fault where processing writes: the database refuses to hand any number to an account.
    if (h.context.database.dialect === 'sqlite') {
      await sql`create trigger refuse_sales before update of account_id on numbers when new.account_id is not null
        begin select raise(abort, 'injected: no sale'); end`.execute(db);
    } else {
      await sql`create function refuse_sales() returns trigger language plpgsql as $$ begin raise exception 'injected: no sale'; end $$`.execute(db);
      await sql`create trigger refuse_sales before update on numbers for each row when (new.account_id is not null) execute function refuse_sales()`.execute(db);
    }
    try {
      const id = await l.order({ Numbers: number!, TollFreeCount: '1', Keywords: 'DOOMEDWORD' }, 'doomed');
      assert.equal(await l.settledStatus(id, 'doomed'), 'NEW', 'the first attempt failed; the order waits for its retry');
      assert.equal(await l.isAvailable(number!), false, 'still reserved between attempts');
      for (let attempt = 1; attempt < 10; attempt++) {
        assert.equal(await l.settledStatus(id, 'doomed'), 'NEW', `live after attempt ${attempt}`);
        await h.advance(retryDelayMs(attempt) / 1000);
      }
      assert.equal(await l.settledStatus(id, 'doomed'), 'ERRORED', 'given up after the tenth attempt');
      const order = await l.orderJson(id, 'doomed');
      assert.equal(order.TotalCost, 0);
      assert.equal(await l.isAvailable(number!), true, 'the named number is back in the inventory');
      const stats = (await h.admin('GET', '/inventory/stats')).json;
      assert.deepEqual([...stats.numbers, ...stats.keywords].filter((row: { state: string }) => row.state === 'RESERVED'), [], 'nothing is left reserved');
      await l.expectMoney('doomed', '20.00');
      assert.deepEqual(await h.context.store.billing.entries({ orderId: id }), [], 'no hold was ever taken, nothing charged');
      await l.ledgerBalanced();
      const metrics = await (await fetch(`${h.baseUrl}/metrics`)).text();
      assert.match(metrics, /numberd_job_runs_total\{kind="order.process",outcome="gave_up"\} 1\n/);
      assert.match(metrics, /numberd_orders_completed_total\{status="ERRORED"\} 1\n/);
      assert.deepEqual(await db.selectFrom('jobs').select('id').where('payload', '=', JSON.stringify({ orderId: id })).execute(), [], 'the job is gone');
      const injected = h.context.database.dialect === 'sqlite' ? 'SqliteError: injected: no sale' : 'error: injected: no sale';
      assert.deepEqual(h.takeJobErrors().map(String), Array(10).fill(injected), 'ten attempts, each failed by the fault');
    } finally {
      await sql`drop trigger refuse_sales${sql.raw(h.context.database.dialect === 'sqlite' ? '' : ' on numbers')}`.execute(db);
      if (h.context.database.dialect !== 'sqlite') await sql`drop function refuse_sales()`.execute(db);
    }
  });
});

describe('admin API errors', () => {
  test('bad input is 400, unknown things 404, a missing or wrong token 401, all as JSON {code, message}', async () => {
    const before = await h.snapshot();
    const cases: [string, string, unknown, number, RegExp][] = [
      ['POST', '/accounts/prepaid/funds', { amount: 'lots' }, 400, /amount must be an amount/],
      ['POST', '/accounts/prepaid/funds', { amount: '0.00' }, 400, /more than 0.00/],
      ['POST', '/accounts/prepaid/funds', { amount: '-5.00' }, 400, /amount must be an amount/],
      ['POST', '/accounts/prepaid/funds', {}, 400, /amount/],
      ['PUT', '/accounts/prepaid/policy', { tierTwo: '5.00' }, 400, /tierTwo needs a tierOne/],
      ['PUT', '/accounts/prepaid/policy', { tierOne: '5.00', tierTwo: '1.00' }, 400, /tierTwo needs a tierOne threshold at or below it/],
      ['PUT', '/accounts/prepaid/prices', {}, 400, /at least one of/],
      ['POST', '/accounts/nobody/funds', { amount: '1.00' }, 404, /no account nobody/],
      ['GET', '/orders?status=LOST', undefined, 400, /status must be one of/],
      ['POST', '/accounts', { login: 'x y', password: 'long-enough' }, 400, /login must be/],
      ['POST', '/accounts', { login: 'open', password: 'long-enough' }, 409, /login open is taken/],
      ['POST', '/clock/advance', { seconds: -1 }, 400, /seconds/],
      ['POST', '/inventory', { rows: 'all' }, 400, /rows must be an array/],
      ['POST', '/inventory', { rows: [{ number: '18005550123' }, null] }, 400, /rows\[1\] must be an object/],
      ['POST', '/inventory', { rows: [{ number: 18005550123 }] }, 400, /rows\[0\]\.number must be text/],
      ['POST', '/inventory', { rows: [{ number: '18005550123', line: 'two' }] }, 400, /rows\[0\]\.line must be an integer/],
      ['GET', '/nowhere', undefined, 404, /no admin operation/],
      ['GET', '/accounts/%00', undefined, 404, /no account/],
      ['GET', '/orders?login=%00', undefined, 404, /no account/],
      ['DELETE', '/accounts/prepaid/credentials/%00', undefined, 404, /no active credential/],
    ];
    for (const [method, path, body, status, message] of cases) {
      const reply = await h.admin(method, path, body);
      assert.equal(reply.status, status, `${method} ${path} ${JSON.stringify(reply.json)}`);
      assert.match(reply.json.message, message);
      assert.match(reply.json.code, /^NBD_ERR_|^FST_/);
    }
    for (const token of [null, 'wrong-token']) {
      const reply = await h.admin('POST', '/accounts/prepaid/funds', { amount: '1.00' }, token);
      assert.equal(reply.status, 401);
      assert.equal(reply.json.code, 'NBD_ERR_UNAUTHORIZED');
    }
    assert.equal(await h.snapshot(), before);
  });
});
