import type { Kysely } from 'kysely';
import type { LeaseDue, LeaseRepository } from '../../app/ports.ts';
import type { CalendarDay } from '../../domain/lease.ts';
import type { AssetKind } from '../../domain/order.ts';
import type { Database } from '../schema.ts';

/**
 * Lease bookkeeping for owned numbers and keywords. Every change is conditional on the row
 * still being as it was read (same lease_end and status), so two sweepers never both act.
 */
export function createLeaseRepository(db: Kysely<Database>): LeaseRepository {
  const whereSame = <Q extends { where: any }>(query: Q, due: LeaseDue): Q => query
    .where('account_id', '=', due.accountId)
    .where('state', '=', 'OWNED')
    .where('lease_end', '=', due.leaseEnd)
    .where('status', '=', due.status)
    .where(due.type === 'NUMBER' ? 'number' : 'keyword', '=', due.asset);

  async function changed(due: LeaseDue, patch: Record<string, unknown>): Promise<boolean> {
    const table = due.type === 'NUMBER' ? 'numbers' : 'keywords';
    const result = await whereSame(db.updateTable(table).set(patch), due).executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  return {
    async ended(today: CalendarDay, limit: number): Promise<LeaseDue[]> {
      const numbers = await db.selectFrom('numbers')
        .select(['number', 'toll_free', 'account_id', 'status', 'lease_begin', 'lease_end', 'auto_renew', 'hold_until'])
        .where('state', '=', 'OWNED').where('lease_end', '<', today)
        .orderBy('lease_end').orderBy('number').limit(limit).execute();
      const keywords = await db.selectFrom('keywords')
        .select(['keyword', 'short_code', 'account_id', 'status', 'lease_begin', 'lease_end', 'auto_renew', 'hold_until'])
        .where('state', '=', 'OWNED').where('lease_end', '<', today)
        .orderBy('lease_end').orderBy('keyword').limit(limit).execute();
      return [
        ...numbers.map((r): LeaseDue => ({
          type: 'NUMBER', asset: r.number, shortCode: null, accountId: Number(r.account_id), kind: (r.toll_free ? 'TOLL_FREE' : 'LOCAL') as AssetKind,
          status: r.status!, leaseBegin: r.lease_begin!, leaseEnd: r.lease_end!, autoRenew: r.auto_renew === 1, holdUntil: r.hold_until,
        })),
        ...keywords.map((r): LeaseDue => ({
          type: 'KEYWORD', asset: r.keyword, shortCode: r.short_code, accountId: Number(r.account_id), kind: 'KEYWORD',
          status: r.status!, leaseBegin: r.lease_begin!, leaseEnd: r.lease_end!, autoRenew: r.auto_renew === 1, holdUntil: r.hold_until,
        })),
      ];
    },

    renew: (due, begin, end) => changed(due, { lease_begin: begin, lease_end: end, status: 'ACTIVE', hold_until: null }),

    suspend: (due, graceUntil) => changed(due, { status: 'UNAVAILABLE', hold_until: graceUntil }),

    async release(due: LeaseDue, availableOn: CalendarDay): Promise<boolean> {
      const released = await changed(due, { state: 'AGING', status: 'RELEASED', hold_until: availableOn, auto_renew: 0 });
      if (released && due.type === 'NUMBER') {
        // A number leaves its owner's labels and configuration behind.
        await db.deleteFrom('number_labels').where('number', '=', due.asset).execute();
        await db.deleteFrom('inbound_configs').where('number', '=', due.asset).execute();
      }
      return released;
    },

    async returnAged(today: CalendarDay): Promise<number> {
      const back = {
        state: 'AVAILABLE' as const, account_id: null, status: null, lease_begin: null, lease_end: null,
        auto_renew: null, hold_until: null, order_id: null,
      };
      // Ageing numbers keep their lease end; saying so lets the query use numbers_lease_end, which holds only leased numbers.
      const numbers = await db.updateTable('numbers')
        .set({ ...back, call_feature: null, text_feature: null, inbound_type: null })
        .where('state', '=', 'AGING').where('lease_end', 'is not', null).where('hold_until', '<=', today).executeTakeFirst();
      const keywords = await db.updateTable('keywords').set(back)
        .where('state', '=', 'AGING').where('hold_until', '<=', today).executeTakeFirst();
      return Number(numbers.numUpdatedRows + keywords.numUpdatedRows);
    },
  };
}
