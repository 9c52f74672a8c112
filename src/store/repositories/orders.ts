import type { Kysely, Selectable } from 'kysely';
import type { NewOrder, OrderItem, OrderRecord, OrderRepository } from '../../app/ports.ts';
import type { Cents } from '../../domain/money.ts';
import type { AssetKind, OrderLine, OrderStatus } from '../../domain/order.ts';
import type { Database, OrderTable } from '../schema.ts';

export function createOrderRepository(db: Kysely<Database>): OrderRepository {
  return {
    async insert(order: NewOrder): Promise<number> {
      const now = order.createdAt.getTime();
      const row = await db
        .insertInto('orders')
        .values({
          account_id: order.accountId,
          status: 'NEW',
          created_at: now,
          updated_at: now,
          total_cost: 0,
          local_ordered: order.ordered.LOCAL,
          local_unit_cost: order.unitCost.LOCAL,
          toll_free_ordered: order.ordered.TOLL_FREE,
          toll_free_unit_cost: order.unitCost.TOLL_FREE,
          keyword_ordered: order.ordered.KEYWORD,
          keyword_unit_cost: order.unitCost.KEYWORD,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      return Number(row.id);
    },

    async addItems(orderId: number, items: readonly OrderItem[]): Promise<void> {
      if (items.length === 0) return;
      await db
        .insertInto('order_items')
        .values(items.map((item, position) => ({ order_id: orderId, position, kind: item.kind, asset: item.asset, state: item.state })))
        .execute();
    },

    async get(id: number, accountId?: number): Promise<OrderRecord | undefined> {
      let query = db.selectFrom('orders').selectAll().where('id', '=', id);
      if (accountId !== undefined) query = query.where('account_id', '=', accountId);
      const order = await query.executeTakeFirst();
      if (!order) return undefined;
      const fulfilled = await db
        .selectFrom('order_items')
        .select(['kind', 'asset'])
        .where('order_id', '=', id)
        .where('state', '=', 'FULFILLED')
        .orderBy('position')
        .execute();
      return orderFromRow(order, fulfilled as { kind: AssetKind; asset: string }[]);
    },

    async moveStatus(id: number, from: OrderStatus, to: OrderStatus, now: Date): Promise<boolean> {
      const result = await db
        .updateTable('orders')
        .set({ status: to, updated_at: now.getTime() })
        .where('id', '=', id)
        .where('status', '=', from)
        .executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },

    async markFulfilled(id: number, assets: readonly string[]): Promise<void> {
      if (assets.length > 0) {
        await db.updateTable('order_items').set({ state: 'FULFILLED' })
          .where('order_id', '=', id).where('asset', 'in', assets).execute();
      }
      // Whatever was not obtained is final now.
      await db.updateTable('order_items').set({ state: 'UNAVAILABLE' })
        .where('order_id', '=', id).where('state', '=', 'RESERVED').execute();
    },

    async complete(id: number, status: OrderStatus, totalCost: Cents, now: Date): Promise<boolean> {
      const result = await db.updateTable('orders')
        .set({ status, total_cost: totalCost, updated_at: now.getTime() })
        .where('id', '=', id)
        .where('status', '=', 'PROCESSING')
        .executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },
  };
}

function orderFromRow(row: Selectable<OrderTable>, fulfilled: { kind: AssetKind; asset: string }[]): OrderRecord {
  const lines: Partial<Record<AssetKind, OrderLine>> = {};
  const counts: [AssetKind, number, Cents][] = [
    ['LOCAL', row.local_ordered, row.local_unit_cost],
    ['TOLL_FREE', row.toll_free_ordered, row.toll_free_unit_cost],
    ['KEYWORD', row.keyword_ordered, row.keyword_unit_cost],
  ];
  for (const [kind, ordered, unitCost] of counts) {
    if (ordered > 0) {
      lines[kind] = { ordered, unitCost, fulfilled: fulfilled.filter((f) => f.kind === kind).map((f) => f.asset) };
    }
  }
  return {
    id: Number(row.id),
    accountId: row.account_id,
    status: row.status as OrderStatus,
    createdAt: new Date(row.created_at),
    totalCost: row.total_cost,
    lines,
  };
}
