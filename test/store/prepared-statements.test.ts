import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sql } from 'kysely';
import { envToConfig } from '../../src/config/config.ts';
import type { ServerEnv } from '../../src/config/env.ts';
import { createContext, type Context } from '../../src/context.ts';
import { DEMO_INVENTORY, type DemoInventoryOptions } from '../../src/store/demo/demo-inventory.ts';
import { isNamedTemplateSql } from '../../src/store/prepared.ts';
import { seedDatabase } from '../support/seed.ts';
import { createTestDatabase, isPostgresPass } from '../support/test-database.ts';

const skip = !isPostgresPass && 'Postgres only';
const ORDERS = 12;
/** Enough toll-free numbers for two rounds of orders. */
const SMALL_INVENTORY: DemoInventoryOptions = { ...DEMO_INVENTORY, numbersPerPrefix: 4, tollFreePerNpa: 40 };

interface PreparedStatement {
  name: string;
  statement: string;
  generic_plans: number;
  custom_plans: number;
}

/** Orders placed and processed as a server does, one at a time, on a context of one connection; each must finish. */
async function placeOrders(context: Context, tollFree: string[], from = 0): Promise<void> {
  const account = (await context.store.accounts.findByLogin('prepared'))!;
  for (let i = from; i < from + ORDERS; i++) {
    const request = i % 2 === 0 ? { bulkLocal: { count: 1, region: {} } } : { numbers: [tollFree[i]!] };
    const id = await context.services.orders.createOrder(account.id, request);
    await context.runDueWork();
    assert.equal((await context.store.orders.get(id))?.status, 'FINISHED');
  }
}

/** The session's prepared statements: with a pool of one, every query of the context ran on this session. */
async function preparedStatements(context: Context): Promise<PreparedStatement[]> {
  const { rows } = await sql<PreparedStatement>`select name, statement, generic_plans::int, custom_plans::int from pg_prepared_statements`
    .execute(context.database.db);
  return rows;
}

/**
 * Runs `body` on a context of one pooled connection (so one Postgres session sees every query) over
 * a fresh database seeded with `inventory` and the account "prepared"; the database is dropped after.
 */
async function withOneConnection(inventory: DemoInventoryOptions, env: ServerEnv, body: (context: Context, tollFree: string[]) => Promise<void>): Promise<void> {
  const database = await createTestDatabase();
  const { tollFree } = await seedDatabase(database.url, { accounts: ['prepared'], inventory });
  const context = await createContext(envToConfig({ DATABASE_URL: database.url, NUMBERD_DEMO: '0', NUMBERD_DB_POOL_SIZE: '1', ...env }));
  try {
    await body(context, tollFree);
  } finally {
    await context.close();
    await database.drop();
  }
}

test('Postgres runs the order path as prepared statements, parsed once per connection, with plans that hold as tables grow', { skip }, () => withOneConnection(DEMO_INVENTORY, {}, async (context, tollFree) => {
  await sql`analyze`.execute(context.database.db);
  await placeOrders(context, tollFree);
  const prepared = await preparedStatements(context);
  // Only the order path's templates are named; ad-hoc statements (this one included) stay unnamed.
  for (const { statement } of prepared) assert.ok(isNamedTemplateSql(statement), `not a template:\n${statement}`);
  const statementOf = (pattern: RegExp) => {
    const found = prepared.filter((p) => pattern.test(p.statement));
    assert.equal(found.length, 1, `one prepared statement matches ${pattern}: ${prepared.map((p) => p.statement).join('\n')}`);
    return found[0]!;
  };
  // Templates left unnamed, planned each time, as a plan kept from while their tables were small
  // scans the whole table: the orders read (every item), and finding jobs (the whole backlog).
  assert.ok(!prepared.some((p) => /from "orders" as "o" left join "order_items"/.test(p.statement)), 'the orders read is planned each time');
  assert.deepEqual(prepared.filter((p) => /^(select|update|delete)\b.*"jobs"/.test(p.statement)).map((p) => p.statement), [], 'job claims and deletes are planned each time');
  const draw = statementOf(/from "numbers" as "n" .* for update skip locked/);
  const lockAccount = statementOf(/from "accounts" .* for no key update/);
  // One statement each, run again and again: parsed once, not once per call. The draw, whose
  // planning cost most, has no parameters left: Postgres plans it once and keeps that plan.
  assert.deepEqual({ generic: draw.generic_plans, custom: draw.custom_plans }, { generic: ORDERS / 2, custom: 0 });
  assert.equal(lockAccount.generic_plans + lockAccount.custom_plans, ORDERS);

  // The plan it keeps walks the available numbers of the kind in order, as the plans made per call did.
  const { rows } = await sql<{ 'QUERY PLAN': string }>`explain execute ${sql.raw(draw.name)}`.execute(context.database.db);
  const drawPlan = rows.map((row) => row['QUERY PLAN']).join('\n');
  assert.match(drawPlan, /numbers_available/, drawPlan);
  assert.doesNotMatch(drawPlan, /numbers_pkey|Seq Scan|Sort/, drawPlan);
}));

test('a column a later version adds, while a server runs, leaves its prepared statements working', { skip }, () => withOneConnection(SMALL_INVENTORY, {}, async (context, tollFree) => {
  await placeOrders(context, tollFree);
  // As a rolling upgrade's migration would, on every table the order path reads or returns rows of.
  for (const table of ['accounts', 'jobs', 'orders', 'order_items', 'numbers', 'ledger_entries']) {
    await sql`alter table ${sql.table(table)} add column added_later text`.execute(context.database.db);
  }
  await placeOrders(context, tollFree, ORDERS);
}));

test('NUMBERD_DB_PREPARED_STATEMENTS=0 runs every statement unnamed, for poolers that cannot keep them', { skip }, () => withOneConnection(SMALL_INVENTORY, { NUMBERD_DB_PREPARED_STATEMENTS: '0' }, async (context, tollFree) => {
  await placeOrders(context, tollFree);
  assert.deepEqual(await preparedStatements(context), []);
}));
