import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { type Kysely, sql } from 'kysely';
import { isTerminal, type OrderStatus } from '../../src/domain/order.ts';
import { openDatabase } from '../../src/store/database.ts';
import type { Database } from '../../src/store/schema.ts';
import { TEST_INVENTORY } from '../support/harness.ts';
import { startNumberd, type NumberdProcess } from '../support/numberd-process.ts';
import { basicAuth, seedDatabase } from '../support/seed.ts';
import { createTestDatabase, isPostgresPass } from '../support/test-database.ts';

const ORDERS = 2000;
const IN_FLIGHT = 24;
const ACCOUNTS = ['north', 'south', 'east', 'west', 'centre'];
const KEYWORDS = Array.from({ length: 30 }, (_, i) => `SCALE${String.fromCharCode(65 + (i % 26))}${Math.floor(i / 26)}`);
const WORKER_ENV = { NUMBERD_JOB_LOCK_TIMEOUT_MS: '2000', NUMBERD_JOB_POLL_INTERVAL_MS: '500', NUMBERD_WORKER_CONCURRENCY: '4' };

const running = new Set<NumberdProcess>();
after(async () => {
  for (const process of running) process.child.kill('SIGKILL');
});

describe('scale-out on one PostgreSQL: two API and two worker processes, workers SIGKILLed and restarted', { skip: !isPostgresPass && 'needs PostgreSQL (runs in the postgres pass)' }, () => {
  test(`${ORDERS} orders from ${ACCOUNTS.length} accounts compete for at most 500 numbers and ${KEYWORDS.length} keywords`, async () => {
    const database = await createTestDatabase();
    const { numbers, tollFree } = await seedDatabase(database.url, { accounts: ACCOUNTS, inventory: TEST_INVENTORY, maxLocal: 400, maxTollFree: 84 });
    assert.ok(numbers.length + tollFree.length <= 500);
    const env = { DATABASE_URL: database.url, ...WORKER_ENV };
    const start = async (role: 'api' | 'worker') => {
      const process = await startNumberd(role, env);
      running.add(process);
      return process;
    };
    const apis = [await start('api'), await start('api')];
    const workers = [await start('worker'), await start('worker')];

    // Chaos: twice a second a worker dies without warning, mid-order or not; its replacement starts
    // in the background, so at times no worker runs at all and the queue must wait for one.
    let kills = 0;
    let creating = true;
    const slots: Promise<NumberdProcess>[] = workers.map((w) => Promise.resolve(w));
    const chaos = (async () => {
      for (let turn = 0; creating || kills < 6; turn++) {
        await sleep(500);
        const slot = turn % slots.length;
        const victim = await slots[slot]!;
        await victim.kill('SIGKILL');
        running.delete(victim);
        kills++;
        slots[slot] = start('worker');
      }
    })();

    const random = seededRandom(20260501);
    const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
    const created: { id: number; login: string; api: number }[] = [];
    let next = 0;
    await Promise.all(Array.from({ length: IN_FLIGHT }, async () => {
      while (next < ORDERS) {
        const i = next++;
        const login = ACCOUNTS[i % ACCOUNTS.length]!;
        const form = new URLSearchParams();
        const kind = random();
        // Mostly one or two assets an order, overlapping on purpose: some orders get all, some part, some nothing.
        if (kind < 0.4) form.set('Numbers', kind < 0.1 ? [pick(numbers), pick(tollFree)].join(' ') : pick(numbers));
        if (kind >= 0.35 && kind < 0.6) form.set('Keywords', kind < 0.45 ? `${pick(KEYWORDS)} ${pick(KEYWORDS)}` : pick(KEYWORDS));
        if (kind >= 0.6 && kind < 0.85) form.set('LocalCount', String(1 + Math.floor(random() * 2)));
        if (kind >= 0.8) form.set('TollFreeCount', '1');
        const api = i % apis.length;
        const reply = await fetch(`${apis[api]!.url}/api/1.1/rest/number/order.json`, { method: 'POST', body: form, headers: { authorization: basicAuth(login) } });
        const text = await reply.text();
        assert.equal(reply.status, 201, `order ${i} (${form}): ${text}\n${apis[api]!.output()}`);
        created.push({ id: JSON.parse(text).ResourceReference.Id, login, api });
      }
    }));
    creating = false;
    await chaos;
    workers.splice(0, workers.length, ...await Promise.all(slots));
    assert.equal(created.length, ORDERS);

    const handle = openDatabase({ url: database.url });
    try {
      const db = handle.db;
      await waitUntilEveryOrderEnds(db);
      const counts = await assertInvariants(db);
      await assertLedgersBalanced(db);
      // The wire agrees with the tables, through either API process.
      for (const { id, login, api } of created.filter((_, i) => i % 10 === 0)) {
        const reply = await fetch(`${apis[1 - api]!.url}/api/1.1/rest/number/order/${id}.json`, { headers: { authorization: basicAuth(login) } });
        const order = (await reply.json()).Resource.NumberOrder;
        const row = await db.selectFrom('orders').select(['status', 'total_cost']).where('id', '=', id).executeTakeFirstOrThrow();
        assert.equal(order.Status, row.status);
        assert.equal(Math.round(order.TotalCost * 100), row.total_cost);
      }
      console.log(`multi-process run: ${ORDERS} orders, ${kills} worker SIGKILLs; terminal statuses ${JSON.stringify(counts)}`);
      assert.ok(counts.FINISHED! > 0 && counts.ERRORED! > 0 && counts.ADJUSTED! > 0, 'the competition produced every outcome');
    } finally {
      await handle.close();
    }

    // Graceful shutdown: every process finishes what it holds and exits 0.
    for (const process of [...apis, ...workers]) {
      const ended = await process.kill('SIGTERM');
      running.delete(process);
      assert.deepEqual(ended, { code: 0, signal: null }, process.output());
    }
    await database.drop();
  });
});

async function waitUntilEveryOrderEnds(db: Kysely<Database>): Promise<void> {
  const terminal = ['FINISHED', 'ADJUSTED', 'ERRORED', 'VOID', 'REJECTED'];
  for (let i = 0; i < 1200; i++) {
    const live = await db.selectFrom('orders').select((eb) => eb.fn.countAll<number>().as('n')).where('status', 'not in', terminal).executeTakeFirstOrThrow();
    // An order ends before its job row is deleted; wait for both, so the check below sees a quiet queue.
    const jobs = await db.selectFrom('jobs').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    if (Number(live.n) === 0 && Number(jobs.n) === 0) return;
    await sleep(250);
  }
  assert.fail('orders still live, or jobs still queued, after five minutes');
}

/** Everything but money: terminal orders, single ownership, TotalCost = fulfilled unit costs, nothing reserved or queued. */
async function assertInvariants(db: Kysely<Database>): Promise<Record<string, number>> {
  const orders = await db.selectFrom('orders').selectAll().execute();
  const items = await db.selectFrom('order_items').selectAll().where('state', '=', 'FULFILLED').execute();
  const fulfilledBy = new Map<number, typeof items>();
  const fulfilledOnce = new Map<string, number>();
  for (const item of items) {
    fulfilledBy.set(item.order_id, [...(fulfilledBy.get(item.order_id) ?? []), item]);
    assert.equal(fulfilledOnce.get(item.asset), undefined, `${item.asset} fulfilled by orders ${fulfilledOnce.get(item.asset)} and ${item.order_id}`);
    fulfilledOnce.set(item.asset, item.order_id);
  }
  const counts: Record<string, number> = { FINISHED: 0, ADJUSTED: 0, ERRORED: 0 };
  const accountOf = new Map<number, number>();
  for (const order of orders) {
    assert.ok(isTerminal(order.status as OrderStatus), `order ${order.id} is ${order.status}`);
    counts[order.status] = (counts[order.status] ?? 0) + 1;
    accountOf.set(order.id, order.account_id);
    const mine = fulfilledBy.get(order.id) ?? [];
    const unit = { LOCAL: order.local_unit_cost, TOLL_FREE: order.toll_free_unit_cost, KEYWORD: order.keyword_unit_cost } as Record<string, number>;
    assert.equal(order.total_cost, mine.reduce((sum, item) => sum + unit[item.kind]!, 0), `order ${order.id}: TotalCost is its fulfilled unit costs`);
    const ordered = order.local_ordered + order.toll_free_ordered + order.keyword_ordered;
    const orderedOf = { LOCAL: order.local_ordered, TOLL_FREE: order.toll_free_ordered, KEYWORD: order.keyword_ordered } as Record<string, number>;
    for (const kind of Object.keys(orderedOf)) {
      const got = mine.filter((item) => item.kind === kind).length;
      assert.ok(got <= orderedOf[kind]!, `order ${order.id} got ${got} ${kind} of ${orderedOf[kind]} ordered`);
    }
    assert.equal(order.status, mine.length === 0 ? 'ERRORED' : mine.length < ordered ? 'ADJUSTED' : 'FINISHED', `order ${order.id}`);
  }
  const owned = [
    ...await db.selectFrom('numbers').select(['number as asset', 'account_id']).where('state', '=', 'OWNED').execute(),
    ...await db.selectFrom('keywords').select(['keyword as asset', 'account_id']).where('state', '=', 'OWNED').execute(),
  ];
  assert.equal(owned.length, fulfilledOnce.size, 'every owned asset came from exactly one fulfilled order line');
  for (const { asset, account_id } of owned) {
    assert.equal(account_id, accountOf.get(fulfilledOnce.get(asset)!), `${asset} belongs to the account whose order got it`);
  }
  const left = await sql<{ reserved: number; jobs: number }>`
    select (select count(*) from numbers where state = 'RESERVED') + (select count(*) from keywords where state = 'RESERVED') as reserved,
           (select count(*) from jobs) as jobs`.execute(db);
  assert.deepEqual({ reserved: Number(left.rows[0]!.reserved), jobs: Number(left.rows[0]!.jobs) }, { reserved: 0, jobs: 0 });
  return counts;
}

/**
 * Every account's balance is the sum of its ledger entries, each order's charges equal its
 * TotalCost (nothing charged twice for an order a crashed worker started), and no hold outlives
 * its order.
 */
async function assertLedgersBalanced(db: Kysely<Database>): Promise<void> {
  const accounts = await sql<{ login: string; balance: number; held: number; ledger_balance: number; ledger_held: number }>`
    select a.login, a.balance, a.held, coalesce(sum(l.amount), 0) as ledger_balance, coalesce(sum(l.hold_delta), 0) as ledger_held
    from accounts a left join ledger_entries l on l.account_id = a.id group by a.id, a.login, a.balance, a.held`.execute(db);
  for (const a of accounts.rows) {
    assert.equal(Number(a.balance), Number(a.ledger_balance), `${a.login}: balance is the sum of its ledger`);
    assert.equal(Number(a.held), 0, `${a.login}: nothing held once every order ended`);
    assert.equal(Number(a.ledger_held), 0, `${a.login}: every hold was settled`);
  }
  const wrongCharges = await sql<{ id: number }>`
    select o.id from orders o left join ledger_entries l on l.order_id = o.id and l.kind = 'CHARGE'
    group by o.id, o.total_cost having coalesce(-sum(l.amount), 0) <> o.total_cost`.execute(db);
  assert.deepEqual(wrongCharges.rows, [], 'every order\'s charges equal its TotalCost');
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** mulberry32: the same orders every run. */
function seededRandom(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
