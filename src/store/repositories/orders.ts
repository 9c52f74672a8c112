import { sql, type Kysely, type Selectable } from 'kysely';
import type { NewOrder, OrderItem, OrderMove, OrderRecord, OrderRepository } from '../../app/ports.ts';
import type { Cents } from '../../domain/money.ts';
import type { AssetKind, OrderLine, OrderStatus } from '../../domain/order.ts';
import { prepared, preparedPerShape, slotRows } from '../prepared.ts';
import type { Database, OrderItemState, OrderTable } from '../schema.ts';

/** An order and its live items in one statement: a row per item, or one row with null item columns. */
function orderWithItems(db: Kysely<Database>) {
  return db.selectFrom('orders as o')
    .leftJoin('order_items as i', (join) => join.onRef('i.order_id', '=', 'o.id').on('i.state', '!=', 'UNAVAILABLE'))
    .selectAll('o')
    .select(['i.kind as item_kind', 'i.asset as item_asset', 'i.state as item_state']);
}
const selectOrders = preparedPerShape(String, (db, count: number, ...ids: number[]) =>
  orderWithItems(db).where('o.id', 'in', ids.slice(0, count)).orderBy('o.id').orderBy('i.position'));
const insertOrder = prepared((db, accountId: number, now: number, local: number, localCost: number, tollFree: number, tollFreeCost: number, keyword: number, keywordCost: number) =>
  db.insertInto('orders').values({
    account_id: accountId, status: 'NEW', created_at: now, updated_at: now, total_cost: 0,
    local_ordered: local, local_unit_cost: localCost,
    toll_free_ordered: tollFree, toll_free_unit_cost: tollFreeCost,
    keyword_ordered: keyword, keyword_unit_cost: keywordCost,
  }).returning('id'));
/** Each order's own new status and money, chosen by id; the slots hold from, now, then id, to, held, due and cost per order. */
const moveOrders = preparedPerShape(String, (db, count: number, from: string, now: number, ...fields: unknown[]) => {
  const rows = slotRows(fields, count, 5);
  const ids = rows.map(([id]) => id as number);
  // Typed: Postgres would take parameters that only a CASE compares for text.
  const column = <T>(offset: number, type: 'text' | 'bigint') =>
    sql<T>`case ${sql.join(rows.map((row) => sql`when id = ${row[0]} then cast(${row[offset]} as ${sql.raw(type)})`), sql` `)} end`;
  return db.updateTable('orders')
    .set({
      status: column<string>(1, 'text'), held: column<number>(2, 'bigint'),
      payment_due_at: column<number | null>(3, 'bigint'), total_cost: column<number>(4, 'bigint'), updated_at: now,
    })
    .where('id', 'in', ids)
    .where('status', '=', from);
});
const dropReserved = preparedPerShape(String, (db, count: number, ...orderIds: number[]) =>
  db.updateTable('order_items').set({ state: 'UNAVAILABLE' }).where('order_id', 'in', orderIds.slice(0, count)).where('state', '=', sql.lit('RESERVED')));

/** Item rows by count; the slots hold order id, then kind, asset and state of each item, in position order. */
const insertItems = preparedPerShape(String, (db, count: number, orderId: number, ...fields: unknown[]) => db.insertInto('order_items')
  .values(slotRows(fields, count, 3).map(([kind, asset, state], position) => ({
    order_id: orderId, position, kind: kind as AssetKind, asset: asset as string, state: state as ItemRow['state'],
  }))));
/**
 * The items obtained become FULFILLED and the rest still reserved UNAVAILABLE, in one statement.
 * An asset is reserved by one order at most, so the assets need not say whose they are.
 */
const fulfilItems = preparedPerShape(({ orders, assets }: { orders: number; assets: number }) => `${orders},${assets}`, (db, { orders, assets }, ...slots: unknown[]) =>
  db.updateTable('order_items')
    .set((eb) => ({ state: eb.case().when('asset', 'in', slots.slice(orders, orders + assets) as string[]).then(sql.lit<OrderItemState>('FULFILLED')).else(sql.lit<OrderItemState>('UNAVAILABLE')).end() }))
    .where('order_id', 'in', slots.slice(0, orders) as number[])
    .where('state', '=', sql.lit('RESERVED')));

export function createOrderRepository(db: Kysely<Database>): OrderRepository {
  async function getMany(ids: readonly number[]): Promise<OrderRecord[]> {
    if (ids.length === 0) return [];
    const { rows } = await selectOrders(db, ids.length, ...ids);
    const orders: OrderRecord[] = [];
    // Rows come by order id, so each order's rows are consecutive.
    for (let start = 0, end = 1; start < rows.length; start = end++) {
      while (end < rows.length && rows[end]!.id === rows[start]!.id) end++;
      orders.push(orderFromRows(rows.slice(start, end)));
    }
    return orders;
  }

  return {
    getMany,

    async get(id: number, accountId?: number): Promise<OrderRecord | undefined> {
      const [order] = await getMany([id]);
      // Another account's order is as absent as one that does not exist.
      return accountId === undefined || order?.accountId === accountId ? order : undefined;
    },

    async insert(order: NewOrder): Promise<number> {
      const { ordered, unitCost } = order;
      const { rows: [row] } = await insertOrder(db, order.accountId, order.createdAt.getTime(),
        ordered.LOCAL, unitCost.LOCAL, ordered.TOLL_FREE, unitCost.TOLL_FREE, ordered.KEYWORD, unitCost.KEYWORD);
      return Number(row!.id);
    },

    async addItems(orderId: number, items: readonly OrderItem[]): Promise<void> {
      if (items.length === 0) return;
      const fields: unknown[] = [];
      for (const item of items) fields.push(item.kind, item.asset, item.state);
      await insertItems(db, items.length, orderId, ...fields);
    },

    async moveStatus(from: OrderStatus, moves: readonly OrderMove[], now: Date): Promise<number> {
      if (moves.length === 0) return 0;
      const fields: unknown[] = [];
      for (const { id, to, money } of moves) fields.push(id, to, money.held, money.paymentDueAt?.getTime() ?? null, money.totalCost);
      const result = await moveOrders(db, moves.length, from, now.getTime(), ...fields);
      return Number(result.numAffectedRows!);
    },

    async markFulfilled(orderIds: readonly number[], assets: readonly string[]): Promise<void> {
      if (orderIds.length === 0) return;
      // Whatever was not obtained is final now.
      if (assets.length > 0) await fulfilItems(db, { orders: orderIds.length, assets: assets.length }, ...orderIds, ...assets);
      else await dropReserved(db, orderIds.length, ...orderIds);
    },

    async setApprover(id: number, tier: 'ONE' | 'TWO', approver: string): Promise<void> {
      await db.updateTable('orders').set(tier === 'ONE' ? { tier_one_approver: approver } : { tier_two_approver: approver }).where('id', '=', id).execute();
    },

    async setRejection(id: number, approver: string, reason: string): Promise<void> {
      await db.updateTable('orders').set({ rejected_by: approver, reject_reason: reason }).where('id', '=', id).execute();
    },

    async idsByStatus(status: OrderStatus, accountId?: number): Promise<number[]> {
      let query = db.selectFrom('orders').select('id').where('status', '=', status);
      if (accountId !== undefined) query = query.where('account_id', '=', accountId);
      return (await query.orderBy('id').execute()).map((r) => Number(r.id));
    },

    async list(filter: { status?: OrderStatus; accountId?: number; limit: number }): Promise<OrderRecord[]> {
      let query = db.selectFrom('orders').select('id');
      if (filter.status) query = query.where('status', '=', filter.status);
      if (filter.accountId !== undefined) query = query.where('account_id', '=', filter.accountId);
      const ids = await query.orderBy('id', 'desc').limit(filter.limit).execute();
      // Newest first, as the ids came.
      return (await getMany(ids.map((row) => Number(row.id)))).reverse();
    },
  };
}

type ItemRow = { kind: AssetKind; asset: string; state: 'RESERVED' | 'FULFILLED' };
type OrderRow = Selectable<OrderTable> & { item_kind: string | null; item_asset: string | null; item_state: string | null };

/** One order from its rows of `orderWithItems`. */
function orderFromRows(rows: readonly OrderRow[]): OrderRecord {
  const items = rows.filter((row) => row.item_asset !== null)
    .map((row): ItemRow => ({ kind: row.item_kind as AssetKind, asset: row.item_asset!, state: row.item_state as ItemRow['state'] }));
  return orderFromRow(rows[0]!, items);
}

function orderFromRow(row: Selectable<OrderTable>, items: ItemRow[]): OrderRecord {
  const lines: Partial<Record<AssetKind, OrderLine>> = {};
  const counts: [AssetKind, number, Cents][] = [
    ['LOCAL', row.local_ordered, row.local_unit_cost],
    ['TOLL_FREE', row.toll_free_ordered, row.toll_free_unit_cost],
    ['KEYWORD', row.keyword_ordered, row.keyword_unit_cost],
  ];
  let estimate = 0;
  for (const [kind, ordered, unitCost] of counts) {
    if (ordered > 0) {
      const ofKind = items.filter((item) => item.kind === kind);
      lines[kind] = { ordered, unitCost, fulfilled: ofKind.filter((item) => item.state === 'FULFILLED').map((item) => item.asset) };
      estimate += ofKind.length * unitCost;
    }
  }
  return {
    id: Number(row.id),
    accountId: row.account_id,
    status: row.status as OrderStatus,
    createdAt: new Date(row.created_at),
    totalCost: row.total_cost,
    lines,
    estimate,
    reserved: items.filter((item) => item.state === 'RESERVED').map(({ kind, asset }) => ({ kind, asset })),
    held: row.held,
    tierOneApprover: row.tier_one_approver,
    tierTwoApprover: row.tier_two_approver,
    paymentDueAt: row.payment_due_at === null ? null : new Date(row.payment_due_at),
  };
}
