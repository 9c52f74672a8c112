import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startHarness, type Harness } from '../support/harness.ts';
import { lifecycle } from './support.ts';

const DAY = 86_400;
let h: Harness;
let l: ReturnType<typeof lifecycle>;
before(async () => {
  h = await startHarness({ accounts: ['yearly', 'broke', 'rescued', 'leaver', 'kw', 'other'] });
  l = lifecycle(h);
  for (const login of ['yearly', 'broke', 'rescued']) await h.admin('PUT', `/accounts/${login}/policy`, { creditLimit: '0.00' });
});
after(() => h.close());

async function buy(login: string, form: Record<string, string>): Promise<any> {
  const id = await l.order(form, login);
  assert.equal(await l.settledStatus(id, login), 'FINISHED');
  return l.orderJson(id, login);
}

async function owned(login: string, number: string) {
  const reply = await h.call('GET', `number/${number}.json`, { as: login });
  return reply.status === 200 ? reply.json.Resource.Number : undefined;
}

describe('leases with the test clock', () => {
  test('a year of monthly renewals is charged month by month and moves the lease a year on', async () => {
    await h.admin('POST', '/accounts/yearly/funds', { amount: '40.00' });
    const number = (await buy('yearly', { TollFreeCount: '1' })).TollFreeNumbers.Fulfilled;
    const first = (await owned('yearly', number)).LeaseInfo;
    await l.expectMoney('yearly', '37.00');

    await h.advance(366 * DAY);
    const renewals = await h.context.store.billing.entries({ accountId: (await h.admin('GET', '/accounts/yearly')).json.id, kinds: ['RENEWAL'] });
    assert.equal(renewals.length, 12);
    assert.ok(renewals.every((e) => e.amount === -300 && e.asset === number));
    await l.expectMoney('yearly', '1.00');
    const lease = (await owned('yearly', number)).LeaseInfo;
    assert.equal(lease.AutoRenew, true);
    assert.equal((await owned('yearly', number)).Status, 'ACTIVE');
    const yearLater = new Date(`${first.LeaseEnd.slice(0, 10)}T00:00:00Z`);
    yearLater.setUTCFullYear(yearLater.getUTCFullYear() + 1);
    assert.ok(lease.LeaseEnd.slice(0, 10) >= yearLater.toISOString().slice(0, 10), `${lease.LeaseEnd} vs ${first.LeaseEnd}`);
    await l.ledgerBalanced();
  });

  test('an unpaid renewal makes the number UNAVAILABLE, releases it after the grace period, and it returns to sale after ageing', async () => {
    await h.admin('POST', '/accounts/broke/funds', { amount: '1.50' });
    const number = (await buy('broke', { LocalCount: '1', State: 'MN' })).LocalNumbers.Fulfilled;
    await l.expectMoney('broke', '0.00');
    await h.advance(32 * DAY);
    assert.equal((await owned('broke', number)).Status, 'UNAVAILABLE');
    await h.advance(8 * DAY);
    assert.equal(await owned('broke', number), undefined, 'released after seven days of grace');
    assert.equal(await l.isAvailable(number), false, 'ageing');
    await l.expectMoney('broke', '0.00');
    await h.advance(31 * DAY);
    assert.equal(await l.isAvailable(number), true, 'back in the inventory after thirty days');
    await l.ledgerBalanced();
  });

  test('funds arriving during the grace period renew the lease', async () => {
    await h.admin('POST', '/accounts/rescued/funds', { amount: '1.50' });
    const number = (await buy('rescued', { LocalCount: '1', State: 'MO' })).LocalNumbers.Fulfilled;
    await h.advance(32 * DAY);
    const suspended = await owned('rescued', number);
    assert.equal(suspended.Status, 'UNAVAILABLE');
    await h.admin('POST', '/accounts/rescued/funds', { amount: '1.50' });
    await h.context.runner.runOnce();
    const renewed = await owned('rescued', number);
    assert.equal(renewed.Status, 'ACTIVE');
    assert.ok(renewed.LeaseInfo.LeaseEnd > suspended.LeaseInfo.LeaseEnd);
    await l.expectMoney('rescued', '0.00');
    await l.ledgerBalanced();
  });

  test('a released number stays ACTIVE until its lease ends, then leaves the account without a renewal charge', async () => {
    const number = (await buy('leaver', { LocalCount: '1', State: 'AZ' })).LocalNumbers.Fulfilled;
    assert.equal((await h.call('PUT', 'number/release', { form: { Number: number }, as: 'leaver' })).status, 204);
    const released = await owned('leaver', number);
    assert.equal(released.Status, 'ACTIVE');
    assert.equal(released.LeaseInfo.AutoRenew, false);
    const before = await l.money('leaver');
    await h.advance(32 * DAY);
    assert.equal(await owned('leaver', number), undefined);
    assert.deepEqual(await l.money('leaver'), before);
    assert.equal(await l.isAvailable(number), false);
    await h.advance(31 * DAY);
    assert.equal(await l.isAvailable(number), true);
  });

  test('a released keyword cannot be ordered by anyone for a month after the release takes effect', async () => {
    await buy('kw', { Keywords: 'COOLOFF' });
    assert.equal((await h.call('PUT', 'number/release', { form: { Keyword: 'COOLOFF' }, as: 'kw' })).status, 204);
    await h.advance(32 * DAY);
    const kws = await h.call('GET', 'number/keyword.json', { as: 'kw' });
    assert.deepEqual(kws.json, { ResourceList: { '@totalResults': 0 } });
    const search = await h.call('GET', 'number/keyword/search.json', { form: { Keywords: 'COOLOFF' }, as: 'other' });
    assert.deepEqual(search.json, { ResourceList: { '@totalResults': 0 } });
    const attempt = await l.order({ Keywords: 'COOLOFF' }, 'other');
    assert.equal(await l.settledStatus(attempt, 'other'), 'ERRORED');
    await h.advance(31 * DAY);
    const later = await h.call('GET', 'number/keyword/search.json', { form: { Keywords: 'COOLOFF' }, as: 'other' });
    assert.equal(later.json.ResourceList['@totalResults'], 1);
    await buy('other', { Keywords: 'COOLOFF' });
  });

  test('the clock cannot be moved without the test clock', async () => {
    const plain = await startHarness({ accounts: ['x'], config: { testClock: false } });
    try {
      const reply = await plain.admin('POST', '/clock/advance', { seconds: 60 });
      assert.equal(reply.status, 404);
      assert.match(reply.json.message, /NUMBERD_TEST_CLOCK/);
    } finally {
      await plain.close();
    }
  });
});
