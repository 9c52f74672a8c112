import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { sql } from 'kysely';
import { TERMINAL_STATUSES } from '../../src/domain/order.ts';
import { startHarness, type Harness } from '../support/harness.ts';

const ACCOUNTS = ['open', 'prepaid', 'strict'] as const;
type Login = (typeof ACCOUNTS)[number];
const KEYWORDS = ['ALPHA', 'BRAVO', 'CHARLIE'];
const DAY = 86_400;

type Command =
  | { kind: 'order'; as: Login; numbers: number[]; keywords: number[]; tollFree: number }
  | { kind: 'fund'; as: Login; cents: number }
  | { kind: 'approve'; order: number; approver: 'ann' | 'bea' }
  | { kind: 'reject'; order: number }
  | { kind: 'cancel'; order: number }
  | { kind: 'release'; as: Login; pick: number }
  | { kind: 'advance'; days: number };

const login = fc.constantFrom(...ACCOUNTS);
const command: fc.Arbitrary<Command> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('order' as const), as: login, numbers: fc.uniqueArray(fc.nat(7), { maxLength: 3 }), keywords: fc.uniqueArray(fc.nat(2), { maxLength: 2 }), tollFree: fc.nat(2) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('fund' as const), as: login, cents: fc.integer({ min: 1, max: 2000 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('approve' as const), order: fc.nat(20), approver: fc.constantFrom('ann' as const, 'bea' as const) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('reject' as const), order: fc.nat(20) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('cancel' as const), order: fc.nat(20) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('release' as const), as: login, pick: fc.nat(10) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('advance' as const), days: fc.integer({ min: 1, max: 40 }) }) },
);

/** Runs one command through the same services the wires use; refusals (409, 404, 400) are fine, server errors are not. */
async function run(h: Harness, pool: string[], orders: number[], credited: { cents: number }, c: Command): Promise<void> {
  const { services, operator, store } = h.context;
  const accountId = async (who: Login) => (await store.accounts.findByLogin(who))!.id;
  const refused = (error: unknown) => {
    const kind = (error as { kind?: string }).kind;
    if (kind !== 'conflict' && kind !== 'not_found' && kind !== 'invalid') throw error;
  };
  switch (c.kind) {
    case 'order': {
      const request = { numbers: c.numbers.map((i) => pool[i]!), keywords: c.keywords.map((i) => KEYWORDS[i]!), bulkTollFree: c.tollFree ? { count: c.tollFree } : undefined };
      if (request.numbers.length + request.keywords.length + c.tollFree === 0) return;
      orders.push(await services.orders.createOrder(await accountId(c.as), request));
      break;
    }
    case 'fund':
      await operator.addFunds(c.as, `${Math.floor(c.cents / 100)}.${String(c.cents % 100).padStart(2, '0')}`);
      credited.cents += c.cents;
      break;
    case 'approve':
      if (orders.length) await operator.approve(orders[c.order % orders.length]!, c.approver).catch(refused);
      break;
    case 'reject':
      if (orders.length) await operator.reject(orders[c.order % orders.length]!, 'ann', 'property test').catch(refused);
      break;
    case 'cancel':
      if (orders.length) await operator.cancel(orders[c.order % orders.length]!).catch(refused);
      break;
    case 'release': {
      const owned = await store.owned.queryNumbers(await accountId(c.as), {}, undefined, { firstResult: 0, maxResults: 1000 });
      const target = owned.items[c.pick % Math.max(1, owned.items.length)];
      if (target) await services.numbers.release(await accountId(c.as), { number: target.number });
      break;
    }
    case 'advance':
      h.context.testClock!.advance(c.days * DAY * 1000);
      break;
  }
  await h.context.runDueWork();
}

async function checkInvariants(h: Harness, credited: number): Promise<void> {
  const db = h.context.database.db;
  assert.deepEqual(await h.context.store.billing.mismatches(), [], 'every balance is the sum of its ledger');

  const doubleReserved = await sql<{ asset: string }>`
    select i.asset from order_items i join orders o on o.id = i.order_id
    where i.state = 'RESERVED' and o.status not in ('FINISHED', 'ADJUSTED', 'ERRORED', 'VOID', 'REJECTED')
    group by i.asset having count(*) > 1`.execute(db);
  assert.deepEqual(doubleReserved.rows, [], 'no asset in two live reservations');
  const orphaned = await sql<{ number: string }>`
    select n.number from numbers n left join orders o on o.id = n.order_id
    where n.state = 'RESERVED' and (o.id is null or o.status in ('FINISHED', 'ADJUSTED', 'ERRORED', 'VOID', 'REJECTED'))`.execute(db);
  assert.deepEqual(orphaned.rows, [], 'every reservation belongs to a live order');
  const ownerless = await sql<{ number: string }>`select number from numbers where state = 'OWNED' and account_id is null`.execute(db);
  assert.deepEqual(ownerless.rows, []);

  const orders = await db.selectFrom('orders').select(['id', 'status', 'total_cost', 'held']).execute();
  for (const order of orders) {
    if (TERMINAL_STATUSES.has(order.status as never)) {
      assert.equal(await h.context.store.billing.chargedFor(Number(order.id)), Number(order.total_cost), `order ${order.id}: TotalCost equals its charges`);
      assert.equal(Number(order.held), 0, `order ${order.id} holds nothing once ${order.status}`);
    }
  }
  const accounts = await db.selectFrom('accounts').select(['balance', 'held']).execute();
  const heldByAccounts = accounts.reduce((sum, a) => sum + Number(a.held), 0);
  const heldByOrders = orders.reduce((sum, o) => sum + Number(o.held), 0);
  assert.equal(heldByAccounts, heldByOrders, 'held money is exactly what live orders hold');

  const balances = accounts.reduce((sum, a) => sum + Number(a.balance), 0);
  const charged = orders.reduce((sum, o) => sum + Number(o.total_cost), 0);
  const renewals = await sql<{ total: number }>`select coalesce(sum(amount), 0) as total from ledger_entries where kind = 'RENEWAL'`.execute(db);
  assert.equal(balances, credited - charged + Number(renewals.rows[0]!.total), 'no money appears or vanishes');
}

test('random sequences of orders, funds, approvals, rejections, cancellations, releases and clock moves keep the books right', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(command, { minLength: 5, maxLength: 25 }), async (commands) => {
      const h = await startHarness({ accounts: [...ACCOUNTS], startWorker: false });
      try {
        await h.context.operator.setPolicy('prepaid', { creditLimit: '0.00' });
        await h.context.operator.setPolicy('strict', { tierOne: '3.00', tierTwo: '6.00', creditLimit: '0.00' });
        const pool = (await h.context.services.numbers.searchAvailableNumbers({ state: 'CA' }, false, 8)).map((n) => n.number);
        const orders: number[] = [];
        const credited = { cents: 0 };
        for (const c of commands) {
          await run(h, pool, orders, credited, c);
          await checkInvariants(h, credited.cents);
        }
      } finally {
        await h.close();
      }
    }),
    { numRuns: 30, seed: Number(process.env.NUMBERD_PROPERTY_SEED ?? 20261126) },
  );
});
