import { type Expression, type ExpressionBuilder, type Kysely, type RawBuilder, type SqlBool, sql } from 'kysely';
import type { BulkSource, InventoryRepository, InventoryStats, NewInventoryNumber, Page, PageOf, RegionFilter } from '../../app/ports.ts';
import type { AvailableNumber, LeaseInfo, NumberConfiguration, Region } from '../../domain/inventory.ts';
import { nationalFormat, type E164 } from '../../domain/phone-number.ts';
import { hasRegionConditions, prefixRange, REGION_COLUMNS, regionConditions, regionFromRow, regionMatch, type RegionMatch } from '../region-filter.ts';
import { prepared, preparedPerShape } from '../prepared.ts';
import type { Database, NumberTable, RegionTable } from '../schema.ts';
import type { StoreCapabilities } from '../capabilities.ts';
import { insertNumbers } from './number-inserts.ts';
import { groupBy } from '../../app/group-by.ts';

/** Regions per multi-row insert: well under SQLite's and Postgres's bound-parameter limits. */
const INSERT_BATCH = 500;

/**
 * `state`, hidden from SQLite's planner. Reservations re-check `state = 'AVAILABLE'` on rows
 * picked by number; with no statistics SQLite preferred the state index for that check and
 * walked every available number (200 ms per order at 1,000,000 numbers) instead of looking
 * the few numbers up by primary key. `state || ''` is the same value on both databases.
 */
const unindexedState = sql<string>`${sql.ref('state')} || ''`;

/** The prefixes (NPA-NXX blocks) of the regions a match selects. */
function inRegion(eb: ExpressionBuilder<Database & { n: NumberTable }, 'n'>, match: RegionMatch) {
  return eb.selectFrom('regions as r').select('r.prefix').where((rb) => rb.and(regionConditions(rb, match)));
}

/** A filter as an available-number query compares it: the bounds of its prefix, and its region. */
interface AvailableMatch extends RegionMatch {
  prefixFrom?: string;
  prefixTo?: string;
}

function availableMatch(filter: RegionFilter): AvailableMatch {
  const match: AvailableMatch = regionMatch(filter);
  if (filter.prefix) [match.prefixFrom, match.prefixTo] = prefixRange(filter.prefix);
  return match;
}

/**
 * What "available numbers matching a filter" means, for searches and bulk reservations alike:
 * the prefix applies to every number, region fields only to local ones.
 */
function availableConditions(eb: ExpressionBuilder<Database & { n: NumberTable }, 'n'>, match: AvailableMatch, tollFree: boolean, byRegion: boolean): Expression<SqlBool>[] {
  // A literal, not a parameter: it is what matches the query to the partial indexes of available numbers.
  const conditions: Expression<SqlBool>[] = [eb('n.state', '=', sql.lit('AVAILABLE'))];
  // A literal too, as the prepared queries' keys have the kind: a plan Postgres makes without the
  // values (a named statement's generic plan) then still knows which numbers the draw walks.
  const kind = sql.lit(tollFree ? 1 : 0);
  // For a whole kind, a range of one value rather than an equality: see inNumberOrder.
  if (isWholeKind(match, byRegion)) conditions.push(eb('n.toll_free', '>=', kind), eb('n.toll_free', '<=', kind));
  else conditions.push(eb('n.toll_free', '=', kind));
  if (match.prefixFrom !== undefined) conditions.push(eb('n.number', '>=', match.prefixFrom), eb('n.number', '<=', match.prefixTo!));
  if (byRegion) conditions.push(eb('n.prefix', 'in', inRegion(eb, match)));
  return conditions;
}

/** Neither a region nor a prefix: every available number of one kind. */
function isWholeKind(match: AvailableMatch, byRegion: boolean): boolean {
  return !byRegion && match.prefixFrom === undefined;
}

/**
 * Number order. A local number starts with its 7-digit prefix, so for local numbers
 * (prefix, number) is the same order; saying so lets the planner read the blocks of an
 * `n.prefix in (...)` filter one after another from numbers_region_available, with no sort.
 * For a whole kind, (toll_free, number) is the order of numbers_available and of no other index.
 * In plain number order Postgres walked the primary key instead, filtering out every number sold
 * below the first available one (its statistics cannot tell that they cluster there): 1.2 ms a
 * bulk draw after 1,768 orders, and growing with every sale. With an equality on toll_free the
 * column would not count in the order (it is a constant), hence the range of one value in
 * availableConditions. A prefix bounds the walk by itself, in plain number order.
 */
function inNumberOrder<Q extends { orderBy(ref: 'n.prefix' | 'n.number' | 'n.toll_free'): Q }>(query: Q, match: AvailableMatch, byRegion: boolean): Q {
  if (byRegion) return query.orderBy('n.prefix').orderBy('n.number');
  return isWholeKind(match, byRegion) ? query.orderBy('n.toll_free').orderBy('n.number') : query.orderBy('n.number');
}

/** What a bulk draw looks for, and how many; the key of its prepared queries, values included. */
interface BulkShape {
  filter: RegionFilter;
  tollFree: boolean;
  count: number;
}
const bulkKey = ({ filter, tollFree, count }: BulkShape) => JSON.stringify([filter, tollFree, count]);

/**
 * Available numbers for a bulk reservation, the first `count` in number order. The count is
 * written into the SQL: with `limit ?` SQLite took 80 us for a bulk draw instead of 23, and
 * Postgres planned every draw anew, since a plan that does not know the limit looked dearer than
 * the ones made for it.
 */
function bulkCandidates(db: Kysely<Database>, { filter, tollFree, count }: BulkShape) {
  const byRegion = !tollFree && hasRegionConditions(filter);
  const match = availableMatch(filter);
  const candidates = db.selectFrom('numbers as n').select('n.number').where((eb) => eb.and(availableConditions(eb, match, tollFree, byRegion)));
  return inNumberOrder(candidates, match, byRegion).limit(sql.lit(count));
}
/** SQLite: the first candidates. With one writer nobody can take them before this transaction reserves them. */
const selectBulkCandidates = preparedPerShape(bulkKey, bulkCandidates);
/** Postgres: the candidates no other transaction holds, locked until this one ends. */
const lockBulkCandidates = preparedPerShape(bulkKey, (db, shape) => bulkCandidates(db, shape).forUpdate().skipLocked());

/** The named numbers that are available, in number order (the order rows are locked in, so two orders wanting overlapping numbers queue instead of deadlocking). */
function availableAmong(db: Kysely<Database>, numbers: readonly string[]) {
  return db.selectFrom('numbers').select('number').where('number', 'in', numbers).where(unindexedState, '=', sql.lit('AVAILABLE')).orderBy('number');
}
const selectAvailable = preparedPerShape(String, (db, count: number, ...numbers: string[]) => availableAmong(db, numbers.slice(0, count)));
const lockAvailable = preparedPerShape(String, (db, count: number, ...numbers: string[]) => availableAmong(db, numbers.slice(0, count)).forUpdate());
/**
 * Reserves the named numbers that are still available, each group for its own order. The shape
 * is the size of each group; the slots hold, per group, its order id and then its numbers.
 */
const reserveAvailable = preparedPerShape((groups: number[]) => groups.join(), (db, groups, ...slots: (string | number)[]) => {
  const owners: Owners = [];
  let at = 0;
  for (const size of groups) {
    owners.push({ orderId: slots[at] as number, assets: slots.slice(at + 1, at + 1 + size) as string[] });
    at += 1 + size;
  }
  return db.updateTable('numbers').set({ state: 'RESERVED', order_id: orderIdOf('number', owners) })
    .where('number', 'in', owners.flatMap((o) => o.assets)).where(unindexedState, '=', sql.lit('AVAILABLE')).returning('number');
});

type Owners = { orderId: number; assets: readonly string[] }[];
/** The order each asset in `column` goes to, as one value of an update reserving them. */
function orderIdOf(column: string, owners: Owners): number | RawBuilder<number> {
  if (owners.length === 1) return owners[0]!.orderId;
  return sql<number>`case ${sql.join(owners.map((o) => sql`when ${sql.ref(column)} in (${sql.join(o.assets)}) then cast(${o.orderId} as bigint)`), sql` `)} end`;
}

type Owner = [accountId: number, leaseBegin: string | null, leaseEnd: string | null, autoRenew: number];
// `state = 'RESERVED'` as a literal: with a parameter there, SQLite took 52 us for the update instead of 13.
// The slots hold the owner, the features, then the order ids.
const assignNumbers = preparedPerShape(String, (db, count: number, ...[accountId, leaseBegin, leaseEnd, autoRenew, callFeature, textFeature, ...orderIds]: [...Owner, string | null, string | null, ...number[]]) =>
  db.updateTable('numbers')
    .set({
      state: 'OWNED', order_id: null, account_id: accountId, status: 'ACTIVE', lease_begin: leaseBegin, lease_end: leaseEnd, auto_renew: autoRenew,
      call_feature: callFeature, text_feature: textFeature, inbound_type: null,
    })
    .where('order_id', 'in', orderIds.slice(0, count))
    .where('state', '=', sql.lit('RESERVED'))
    .returning('number'));
const assignKeywords = preparedPerShape(String, (db, count: number, ...[accountId, leaseBegin, leaseEnd, autoRenew, ...orderIds]: [...Owner, ...number[]]) =>
  db.updateTable('keywords')
    .set({ state: 'OWNED', order_id: null, account_id: accountId, status: 'ACTIVE', lease_begin: leaseBegin, lease_end: leaseEnd, auto_renew: autoRenew })
    .where('order_id', 'in', orderIds.slice(0, count))
    .where('state', '=', sql.lit('RESERVED'))
    .returning('keyword'));

/** A search compares its filter's values and, when it has a point, orders by distance from it. */
interface SearchMatch extends AvailableMatch {
  nearLatitude?: number;
  nearLongitude?: number;
}

/** What decides a search's SQL: the fields it compares (their values go in slots) and what is written into it. */
interface SearchShape {
  fields: (keyof SearchMatch)[];
  tollFree: boolean;
  byRegion: boolean;
  nearby: boolean;
  count: number;
}

/**
 * Searches, prepared per shape: Kysely took about 70 us to build and compile a search, half as
 * long as SQLite took to run it on 1,000,000 numbers. The count is written into the SQL: SQLite
 * ran a search in 112 us with `limit ?` and in 62 with `limit 10`.
 */
const searchQuery = preparedPerShape(
  ({ fields, tollFree, byRegion, nearby, count }: SearchShape) => `${fields.join(',')}|${tollFree}|${byRegion}|${nearby}|${count}`,
  (db, { fields, tollFree, byRegion, nearby, count }, ...values: unknown[]) => {
    const match = Object.fromEntries(fields.map((field, i) => [field, values[i]])) as SearchMatch;
    let query = db
      .selectFrom('numbers as n')
      .leftJoin('regions as r', 'r.prefix', 'n.prefix')
      .select(['n.number', 'n.toll_free', ...REGION_COLUMNS])
      .where((eb) => eb.and(availableConditions(eb, match, tollFree, byRegion)));
    if (nearby) {
      const { nearLatitude: latitude, nearLongitude: longitude } = match;
      query = query.orderBy(sql`(r.latitude - ${latitude}) * (r.latitude - ${latitude}) + (r.longitude - ${longitude}) * (r.longitude - ${longitude})`);
    }
    return inNumberOrder(query, match, byRegion).limit(sql.lit(count));
  },
);

export function createInventoryRepository(db: Kysely<Database>, caps: StoreCapabilities): InventoryRepository {
  /**
   * Reserves numbers the caller already selected (and, on Postgres, locked), for the order each
   * maps to. Not in the selecting statement, on purpose: `UPDATE ... WHERE number IN (SELECT ...
   * LIMIT n FOR UPDATE SKIP LOCKED)` may re-run the subquery when a concurrent update forces a
   * recheck, and then takes more than n rows.
   */
  async function reserve(numbers: readonly E164[], orderOf: (number: E164) => number): Promise<E164[]> {
    if (numbers.length === 0) return [];
    const groups = [...groupBy(numbers, orderOf)];
    const { rows } = await reserveAvailable(db, groups.map(([, group]) => group.length), ...groups.flatMap(([orderId, group]) => [orderId, ...group]));
    return rows.map((r) => r.number);
  }

  return {
    async queryRegions(filter: RegionFilter, page: Page): Promise<PageOf<Region>> {
      let query = db.selectFrom('regions as r').where((eb) => eb.and(regionConditions(eb, regionMatch(filter))));
      if (filter.prefix) {
        const prefix = filter.prefix;
        // A short prefix selects every region under it; a long one (a whole NPA-NXX-X...) its one region.
        query = prefix.length <= 7
          ? query.where('r.prefix', '>=', prefixRange(prefix)[0]).where('r.prefix', '<=', prefixRange(prefix)[1].slice(0, 7))
          : query.where('r.prefix', '=', prefix.slice(0, 7));
      }
      const [rows, count] = await Promise.all([
        query.selectAll('r').orderBy('r.prefix').limit(page.maxResults).offset(page.firstResult).execute(),
        query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
      ]);
      return { total: Number(count.n), items: rows.map(regionFromRow) };
    },

    async searchAvailable(filter: RegionFilter, tollFree: boolean, count: number): Promise<AvailableNumber[]> {
      const match: SearchMatch = availableMatch(filter);
      const nearby = !tollFree && filter.latitude !== undefined && filter.longitude !== undefined;
      if (nearby) [match.nearLatitude, match.nearLongitude] = [filter.latitude, filter.longitude];
      const fields = (Object.keys(match) as (keyof SearchMatch)[]).filter((field) => match[field] !== undefined);
      const shape = { fields, tollFree, byRegion: !tollFree && hasRegionConditions(filter), nearby, count };
      const { rows } = await searchQuery(db, shape, ...fields.map((field) => match[field]));
      return rows.map((row) => ({
        number: row.number,
        nationalFormat: nationalFormat(row.number),
        tollFree: row.toll_free === 1,
        region: row.prefix ? regionFromRow(row as RegionTable) : undefined,
      }));
    },

    async reserveNumbers(orderOf: ReadonlyMap<E164, number>): Promise<E164[]> {
      if (orderOf.size === 0) return [];
      const { rows } = await (caps.supportsRowLocks ? lockAvailable : selectAvailable)(db, orderOf.size, ...orderOf.keys());
      return reserve(rows.map((r) => r.number), (number) => orderOf.get(number)!);
    },

    async reserveBulk(source: BulkSource, wants: readonly { orderId: number; count: number }[]): Promise<E164[][]> {
      const shape = { filter: source.kind === 'LOCAL' ? source.region : {}, tollFree: source.kind === 'TOLL_FREE' };
      const taken = wants.map((): E164[] => []);
      // Candidates for all the orders at once, dealt out in order: two statements for the batch.
      // On Postgres a pass may lose some candidates to another transaction; look again for the rest.
      for (;;) {
        const missing = wants.reduce((sum, want, i) => sum + want.count - taken[i]!.length, 0);
        if (missing === 0) break;
        const { rows } = await (caps.supportsSkipLocked ? lockBulkCandidates : selectBulkCandidates)(db, { ...shape, count: missing });
        const wantOf = new Map<E164, number>();
        let next = 0;
        for (const [i, want] of wants.entries()) {
          for (let n = taken[i]!.length; n < want.count && next < rows.length; n++) wantOf.set(rows[next++]!.number, i);
        }
        const reserved = await reserve([...wantOf.keys()], (number) => wants[wantOf.get(number)!]!.orderId);
        if (reserved.length === 0) break;
        for (const number of reserved) taken[wantOf.get(number)!]!.push(number);
      }
      // In number order, whatever order the update returned them in.
      return taken.map((numbers) => numbers.sort());
    },

    async unavailableKeywords(shortCode: string, keywords: readonly string[]): Promise<Set<string>> {
      if (keywords.length === 0) return new Set();
      const rows = await db
        .selectFrom('keywords')
        .select('keyword')
        .where('short_code', '=', shortCode)
        .where('keyword', 'in', keywords)
        .where('state', '!=', 'AVAILABLE')
        .execute();
      return new Set(rows.map((r) => r.keyword));
    },

    async reserveKeywords(shortCode: string, orderOf: ReadonlyMap<string, number>): Promise<string[]> {
      if (orderOf.size === 0) return [];
      // Sorted, so concurrent orders lock overlapping keywords in the same order and never deadlock.
      const keywords = [...orderOf.keys()].sort();
      // A keyword row exists once it was ever wanted. Not an upsert taking the row if available:
      // that locks the row even where it is taken, and the worker finishing its owner's order,
      // which locks that order's keywords in table order, could deadlock with this transaction.
      await db.insertInto('keywords')
        .values(keywords.map((keyword) => ({
          short_code: shortCode, keyword, state: 'AVAILABLE' as const, order_id: null,
          account_id: null, status: null, lease_begin: null, lease_end: null, auto_renew: null,
        })))
        .onConflict((oc) => oc.columns(['short_code', 'keyword']).doNothing())
        .execute();
      const owners = [...groupBy(keywords, (keyword) => orderOf.get(keyword)!)].map(([orderId, assets]) => ({ orderId, assets }));
      const rows = await db
        .with('available', (qb) => qb.selectFrom('keywords').select('keyword')
          .where('short_code', '=', shortCode).where('keyword', 'in', keywords).where('state', '=', 'AVAILABLE')
          .orderBy('keyword').$if(caps.supportsRowLocks, (q) => q.forUpdate()))
        .updateTable('keywords')
        .from('available')
        .set({ state: 'RESERVED', order_id: orderIdOf('keywords.keyword', owners) })
        .where('keywords.short_code', '=', shortCode)
        .whereRef('keywords.keyword', '=', 'available.keyword')
        .returning('keywords.keyword')
        .execute();
      return rows.map((r) => r.keyword);
    },

    async assignReserved(orderIds: readonly number[], accountId: number, lease: LeaseInfo, configuration: NumberConfiguration, kinds: { numbers: boolean; keywords: boolean }): Promise<{ numbers: E164[]; keywords: string[] }> {
      const owner: Owner = [accountId, lease.leaseBegin ?? null, lease.leaseEnd ?? null, lease.autoRenew ? 1 : 0];
      const features = [configuration.callFeature ?? null, configuration.textFeature ?? null] as const;
      const numbers = kinds.numbers ? (await assignNumbers(db, orderIds.length, ...owner, ...features, ...orderIds)).rows : [];
      const keywords = kinds.keywords ? (await assignKeywords(db, orderIds.length, ...owner, ...orderIds)).rows : [];
      return { numbers: numbers.map((r) => r.number as E164), keywords: keywords.map((r) => r.keyword) };
    },

    async releaseReservations(orderId: number): Promise<void> {
      const free = { state: 'AVAILABLE' as const, order_id: null };
      await db.updateTable('numbers').set(free).where('order_id', '=', orderId).where('state', '=', sql.lit('RESERVED')).execute();
      await db.updateTable('keywords').set(free).where('order_id', '=', orderId).where('state', '=', sql.lit('RESERVED')).execute();
    },

    async add(regions: readonly Required<Region>[], numbers: readonly NewInventoryNumber[]): Promise<number> {
      for (let i = 0; i < regions.length; i += INSERT_BATCH) {
        await db.insertInto('regions').values(regions.slice(i, i + INSERT_BATCH).map((r) => ({
          prefix: r.prefix, city: r.city.toUpperCase(), state: r.state.toUpperCase(), zipcode: r.zipcode, country: r.country.toUpperCase(),
          lata: r.lata, rate_center: r.rateCenter.toUpperCase(), latitude: r.latitude, longitude: r.longitude, time_zone: r.timeZone,
        }))).onConflict((oc) => oc.column('prefix').doNothing()).execute();
      }
      // In number order every index on numbers grows at a few places instead of all over.
      const sorted = [...numbers].sort((a, b) => (a.number < b.number ? -1 : a.number > b.number ? 1 : 0));
      return insertNumbers(db, caps, sorted);
    },

    async stats(): Promise<InventoryStats> {
      const regions = await db.selectFrom('regions').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      const numbers = await db.selectFrom('numbers').select(['state', 'toll_free', (eb) => eb.fn.countAll<number>().as('n')])
        .groupBy(['state', 'toll_free']).orderBy('state').orderBy('toll_free').execute();
      const keywords = await db.selectFrom('keywords').select(['state', (eb) => eb.fn.countAll<number>().as('n')])
        .groupBy('state').orderBy('state').execute();
      return {
        regions: Number(regions.n),
        numbers: numbers.map((r) => ({ state: r.state, tollFree: r.toll_free === 1, count: Number(r.n) })),
        keywords: keywords.map((r) => ({ state: r.state, count: Number(r.n) })),
      };
    },

    async isEmpty(): Promise<boolean> {
      return (await db.selectFrom('numbers').select('number').limit(1).executeTakeFirst()) === undefined;
    },
  };
}
