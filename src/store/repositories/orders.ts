import { sql, type Kysely, type Selectable } from 'kysely';
import type { NewOrder, OrderItem, OrderMoney, OrderRecord, OrderRepository } from '../../app/ports.ts';
import type { Cents } from '../../domain/money.ts';
import type { AssetKind, OrderLine, OrderStatus } from '../../domain/order.ts';
import { prepared, preparedPerShape } from '../prepared.ts';
import type { Database, OrderItemState, OrderTable } from '../schema.ts';

/** An order and its live items in one statement: a row per item, or one row with null item columns. */
function orderWithItems(db: Kysely<Database>) {
  return db.selectFrom('orders as o')
    .leftJoin('order_items as i', (join) => join.onRef('i.order_id', '=', 'o.id').on('i.state', '!=', 'UNAVAILABLE'))
    .selectAll('o')
    .select(['i.kind as item_kind', 'i.asset as item_asset', 'i.state as item_state'])
    .orderBy('i.position');
}
const selectOrder = prepared((db, id: number) => orderWithItems(db).where('o.id', '=', id));
const selectAccountOrder = prepared((db, id: number, accountId: number) => orderWithItems(db).where('o.id', '=', id).where('o.account_id', '=', accountId));
const insertOrder = prepared((db, accountId: number, now: number, local: number, localCost: number, tollFree: number, tollFreeCost: number, keyword: number, keywordCost: number) =>
  db.insertInto('orders').values({
    account_id: accountId, status: 'NEW', created_at: now, updated_at: now, total_cost: 0,
    local_ordered: local, local_unit_cost: localCost,
    toll_free_ordered: tollFree, toll_free_unit_cost: tollFreeCost,
    keyword_ordered: keyword, keyword_unit_cost: keywordCost,
  }).returning('id'));
const moveOrder = prepared((db, id: number, from: string, to: string, now: number, held: number, paymentDueAt: number | null, totalCost: number) =>
  db.updateTable('orders')
    .set({ status: to, updated_at: now, held, payment_due_at: paymentDueAt, total_cost: totalCost })
    .where('id', '=', id)
    .where('status', '=', from));
const dropReserved = prepared((db, orderId: number) =>
  db.updateTable('order_items').set({ state: 'UNAVAILABLE' }).where('order_id', '=', orderId).where('state', '=', 'RESERVED'));

/** Item rows by count; the slots hold order id, then kind, asset and state of each item, in position order. */
const insertItems = preparedPerShape(String, (db, count: number, ...fields: unknown[]) => db.insertInto('order_items')
  .values(Array.from({ length: count }, (_, position) => ({
    order_id: fields[0] as number, position, kind: fields[1 + position * 3] as AssetKind, asset: fields[2 + position * 3] as string, state: fields[3 + position * 3] as ItemRow['state'],
  }))));
/** The items obtained become FULFILLED and the rest still reserved UNAVAILABLE, in one statement. */
const fulfilItems = preparedPerShape(String, (db, count: number, orderId: number, ...assets: string[]) =>
  db.updateTable('order_items')
    .set((eb) => ({ state: eb.case().when('asset', 'in', assets.slice(0, count)).then(sql.lit<OrderItemState>('FULFILLED')).else(sql.lit<OrderItemState>('UNAVAILABLE')).end() }))
    .where('order_id', '=', orderId)
    .where('state', '=', sql.lit('RESERVED')));

export function createOrderRepository(db: Kysely<Database>): OrderRepository {
  async function get(id: number, accountId?: number): Promise<OrderRecord | undefined> {
    const { rows } = accountId === undefined ? await selectOrder(db, id) : await selectAccountOrder(db, id, accountId);
    if (rows.length === 0) return undefined;
    const items = rows.filter((row) => row.item_asset !== null)
      .map((row): ItemRow => ({ kind: row.item_kind as AssetKind, asset: row.item_asset!, state: row.item_state as ItemRow['state'] }));
    return orderFromRow(rows[0]!, items);
  }

  return {
    get,

    async insert(order: NewOrder): Promise<number> {
      const { ordered, unitCost } = order;
      const { rows: [row] } = await insertOrder(db, order.accountId, order.createdAt.getTime(),
        ordered.LOCAL, unitCost.LOCAL, ordered.TOLL_FREE, unitCost.TOLL_FREE, ordered.KEYWORD, unitCost.KEYWORD);
      return Number(row!.id);
    },

    async addItems(orderId: number, items: readonly OrderItem[]): Promise<void> {
      if (items.length === 0) return;
      const fields: unknown[] = [orderId];
      for (const item of items) fields.push(item.kind, item.asset, item.state);
      await insertItems(db, items.length, ...fields);
    },

    async moveStatus(id: number, from: OrderStatus, to: OrderStatus, now: Date, money: OrderMoney): Promise<boolean> {
      const result = await moveOrder(db, id, from, to, now.getTime(), money.held, money.paymentDueAt?.getTime() ?? null, money.totalCost);
      return result.numAffectedRows! > 0n;
    },

    async markFulfilled(id: number, assets: readonly string[]): Promise<void> {
      // Whatever was not obtained is final now.
      if (assets.length > 0) await fulfilItems(db, assets.length, id, ...assets);
      else await dropReserved(db, id);
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
      const orders: OrderRecord[] = [];
      for (const row of ids) {
        const order = await get(Number(row.id));
        if (order) orders.push(order);
      }
      return orders;
    },
  };
}

type ItemRow = { kind: AssetKind; asset: string; state: 'RESERVED' | 'FULFILLED' };

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
    held: row.held,
    tierOneApprover: row.tier_one_approver,
    tierTwoApprover: row.tier_two_approver,
    paymentDueAt: row.payment_due_at === null ? null : new Date(row.payment_due_at),
  };
}
