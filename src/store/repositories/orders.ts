import { sql, type Kysely, type Selectable } from 'kysely';
import type { NewOrder, OrderItem, OrderMove, OrderRecord, OrderRepository } from '../../app/ports.ts';
import type { Cents } from '../../domain/money.ts';
import type { AssetKind, OrderLine, OrderStatus } from '../../domain/order.ts';
import { groupBy } from '../../app/group-by.ts';
import { preparedPerShape, slotRows } from '../prepared.ts';
import type { Database, OrderItemState, OrderTable } from '../schema.ts';

/**
 * Orders and their live items in one statement: a row per item, or one row with null item
 * columns. The ids are given to the items too: a fresh Postgres database, not yet analysed,
 * otherwise joined them by scanning every item (5 ms for 32 orders at 12,000 items, growing).
 * Not a named statement: on a new database Postgres kept a plan made while the tables were
 * small, which scanned every item too (4.4 ms a read after 20,000 orders, against 0.45 ms
 * planned each time, 0.29 of it planning).
 */
const selectOrders = preparedPerShape(String, (db, count: number, ...ids: number[]) => db.selectFrom('orders as o')
  .leftJoin('order_items as i', (join) => join.onRef('i.order_id', '=', 'o.id').on('i.order_id', 'in', ids.slice(0, count)).on('i.state', '!=', 'UNAVAILABLE'))
  .selectAll('o')
  .select(['i.kind as item_kind', 'i.asset as item_asset', 'i.state as item_state'])
  .where('o.id', 'in', ids.slice(0, count))
  .orderBy('o.id').orderBy('i.position'), { named: false });
/** What an order row holds when it is new, besides its id and the time. */
const ORDER_CONTENT = ['account_id', 'local_ordered', 'local_unit_cost', 'toll_free_ordered', 'toll_free_unit_cost', 'keyword_ordered', 'keyword_unit_cost'] as const;
/** The slots hold now, then per order its account, then ordered count and unit cost of each kind. */
const insertOrders = preparedPerShape(String, (db, count: number, now: number, ...fields: number[]) =>
  db.insertInto('orders').values(slotRows(fields, count, 7).map(([accountId, local, localCost, tollFree, tollFreeCost, keyword, keywordCost]) => ({
    account_id: accountId as number, status: 'NEW', created_at: now, updated_at: now, total_cost: 0,
    local_ordered: local as number, local_unit_cost: localCost as number,
    toll_free_ordered: tollFree as number, toll_free_unit_cost: tollFreeCost as number,
    keyword_ordered: keyword as number, keyword_unit_cost: keywordCost as number,
  }))).returning(['id', ...ORDER_CONTENT]));
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

/** Rows per insert of order items: well under both databases' bound-parameter limits. */
const ITEMS_PER_INSERT = 1000;
/** Item rows by count; the slots hold order id, position, kind, asset and state of each item. */
const insertItems = preparedPerShape(String, (db, count: number, ...fields: unknown[]) => db.insertInto('order_items')
  .values(slotRows(fields, count, 5).map(([orderId, position, kind, asset, state]) => ({
    order_id: orderId as number, position: position as number, kind: kind as AssetKind, asset: asset as string, state: state as ItemRow['state'],
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

    async insert(orders: readonly NewOrder[], now: Date): Promise<number[]> {
      if (orders.length === 0) return [];
      const fields = orders.flatMap(({ accountId, ordered, unitCost }) =>
        [accountId, ordered.LOCAL, unitCost.LOCAL, ordered.TOLL_FREE, unitCost.TOLL_FREE, ordered.KEYWORD, unitCost.KEYWORD]);
      const { rows } = await insertOrders(db, orders.length, now.getTime(), ...fields);
      // Neither database promises RETURNING rows in VALUES order, so ids go back by what each row
      // holds; rows that hold the same are interchangeable.
      const idsByContent = groupBy(rows, (row) => ORDER_CONTENT.map((column) => Number(row[column])).join());
      return slotRows(fields, orders.length, 7).map((content) => Number(idsByContent.get(content.join())!.pop()!.id));
    },

    async addItems(orders: readonly { orderId: number; items: readonly OrderItem[] }[]): Promise<void> {
      const fields: unknown[] = [];
      for (const { orderId, items } of orders) items.forEach((item, position) => fields.push(orderId, position, item.kind, item.asset, item.state));
      for (let start = 0; start < fields.length; start += ITEMS_PER_INSERT * 5) {
        const slice = fields.slice(start, start + ITEMS_PER_INSERT * 5);
        await insertItems(db, slice.length / 5, ...slice);
      }
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

/** One order from its rows of `selectOrders`. */
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
