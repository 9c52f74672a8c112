import { InvalidInputError, NotFoundError } from '../domain/errors.ts';
import { isCarrierKeyword } from '../domain/keyword.ts';
import { isTerminal, MAX_ITEMS, type AssetKind, type UnitPrices } from '../domain/order.ts';
import { isTollFree, type E164 } from '../domain/phone-number.ts';
import { normalizeKeywords, requireNumber } from './number-service.ts';
import { PROCESS_ORDER_JOB } from './order-processor.ts';
import type { Cents } from '../domain/money.ts';
import { batcher } from './batcher.ts';
import { groupBy } from './group-by.ts';
import type { OrderWaits } from './order-waits.ts';
import type { BulkSource, Clock, OrderItem, OrderRecord, RegionFilter, Store } from './ports.ts';

/** What a client asks for in one CreateNumberOrder. */
export interface OrderRequest {
  numbers?: readonly string[];
  keywords?: readonly string[];
  bulkLocal?: { count: number; region: RegionFilter };
  bulkTollFree?: { count: number };
}

export const MAX_BULK_COUNT = 1000;
/** The longest a GetNumberOrder may wait for its order to end: below the idle timeout of common proxies. */
export const MAX_WAIT_SECONDS = 30;
/** Ended orders kept in memory for GetNumberOrder; about 1 KB each. */
const MAX_ENDED_KEPT = 10_000;

export interface OrderServiceOptions {
  shortCode: string;
  /** Default unit prices; an account's own prices override them. */
  prices: UnitPrices;
  /** Called after orders committed, to wake a worker at once instead of at its next poll. */
  onOrdersQueued: (count: number) => void;
  /** Where GetNumberOrder waits for orders to end. */
  waits: OrderWaits;
}

/** A validated CreateNumberOrder, ready to be stored. */
interface PlannedOrder {
  accountId: number;
  numbers: E164[];
  keywords: string[];
  bulk: { source: BulkSource; count: number }[];
  ordered: Record<AssetKind, number>;
}

export class OrderService {
  /**
   * Orders that ended, by id, most recently read last. An ended order never changes again, and
   * clients keep polling it after the end, so answering from memory is exact, in every process.
   */
  private readonly ended = new Map<number, OrderRecord>();
  private readonly create: (order: PlannedOrder) => Promise<number>;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly options: OrderServiceOptions,
  ) {
    // One transaction of orders at a time; those arriving meanwhile go together in the next, one
    // statement per step for all of them. On Postgres two at once made the batches smaller and
    // took about a tenth fewer orders a second (measured); SQLite has one writer anyway.
    this.create = batcher((orders) => this.createAll(orders), {
      // At most as many items as one order may hold, so statements stay as large as one order's.
      maxWeight: MAX_ITEMS,
      weightOf: (order) => order.ordered.LOCAL + order.ordered.TOLL_FREE + order.ordered.KEYWORD,
    });
  }

  /**
   * Validates the request and stores the order as NEW with every asset it could reserve, its
   * processing queued. Assets that cannot be reserved stay in the order as unobtainable, so the
   * order ends ADJUSTED or ERRORED rather than being refused.
   */
  async createOrder(accountId: number, request: OrderRequest): Promise<number> {
    const numbers = dedupe((request.numbers ?? []).map((n) => requireNumber(n, 'Numbers')));
    const keywords = normalizeKeywords(request.keywords ?? [], 'Keywords');
    for (const keyword of keywords) {
      if (isCarrierKeyword(keyword)) {
        throw new InvalidInputError(`Keywords: ${keyword} is reserved by carriers and can never be ordered`, 'Keywords');
      }
    }
    const localCount = checkCount(request.bulkLocal?.count, 'LocalCount');
    const tollFreeCount = checkCount(request.bulkTollFree?.count, 'TollFreeCount');
    const total = numbers.length + keywords.length + localCount + tollFreeCount;
    if (total === 0) {
      throw new InvalidInputError('nothing to order: give Numbers, Keywords, LocalCount or TollFreeCount', 'Numbers', 'NBD_ERR_NOTHING_TO_ORDER');
    }
    if (total > MAX_ITEMS) throw new InvalidInputError(`an order may hold at most ${MAX_ITEMS} items, this one has ${total}`, 'Numbers');

    const specificTollFree = numbers.filter(isTollFree).length;
    const bulk: PlannedOrder['bulk'] = [];
    if (localCount > 0) bulk.push({ source: { kind: 'LOCAL', region: request.bulkLocal!.region }, count: localCount });
    if (tollFreeCount > 0) bulk.push({ source: { kind: 'TOLL_FREE' }, count: tollFreeCount });
    return this.create({
      accountId, numbers, keywords, bulk,
      ordered: { LOCAL: numbers.length - specificTollFree + localCount, TOLL_FREE: specificTollFree + tollFreeCount, KEYWORD: keywords.length },
    });
  }

  /**
   * Stores orders that arrived together in one transaction, each as if created after the ones
   * before it, with one exception: assets named by orders are claimed before any bulk request of
   * the batch draws. A named asset goes to the first order that names it; the others find it taken.
   */
  private createAll(orders: PlannedOrder[]): Promise<number[]> {
    return this.store.transaction(async (tx, afterCommit) => {
      const now = this.clock.now();
      const unitCosts = new Map<number, Record<AssetKind, Cents>>();
      for (const { accountId } of orders) {
        if (unitCosts.has(accountId)) continue;
        // Read, not locked: creating an order spends nothing (the hold comes when it is processed),
        // and orders of one account must not queue behind each other on its row.
        const billing = await tx.billing.readBilling(accountId);
        unitCosts.set(accountId, { ...this.options.prices, ...billing.prices });
      }
      const ids = await tx.orders.insert(orders.map(({ accountId, ordered }) => ({ accountId, ordered, unitCost: unitCosts.get(accountId)! })), now);
      const numberOwner = firstClaims(orders.map((order) => order.numbers), ids);
      const keywordOwner = firstClaims(orders.map((order) => order.keywords), ids);
      const reservedNumbers = new Set<string>(await tx.inventory.reserveNumbers(numberOwner));
      const reservedKeywords = new Set(await tx.inventory.reserveKeywords(this.options.shortCode, keywordOwner));
      const items = orders.map((order, i): OrderItem[] => {
        const state = (reserved: Set<string>, owner: Map<string, number>, asset: string) =>
          (reserved.has(asset) && owner.get(asset) === ids[i] ? 'RESERVED' : 'UNAVAILABLE');
        return [
          ...order.numbers.map((asset): OrderItem => ({ kind: isTollFree(asset) ? 'TOLL_FREE' : 'LOCAL', asset, state: state(reservedNumbers, numberOwner, asset) })),
          ...order.keywords.map((asset): OrderItem => ({ kind: 'KEYWORD', asset, state: state(reservedKeywords, keywordOwner, asset) })),
        ];
      });
      // Orders drawing from the same source draw together, dealt out in turn.
      const bySource = groupBy(orders.flatMap((order, i) => order.bulk.map((want) => ({ ...want, i }))), (want) => JSON.stringify(want.source));
      for (const wants of bySource.values()) {
        const taken = await tx.inventory.reserveBulk(wants[0]!.source, wants.map(({ i, count }) => ({ orderId: ids[i]!, count })));
        wants.forEach(({ i, source }, w) => items[i]!.push(...taken[w]!.map((asset): OrderItem => ({ kind: source.kind, asset, state: 'RESERVED' }))));
      }
      await tx.orders.addItems(ids.map((orderId, i) => ({ orderId, items: items[i]! })));
      await tx.jobs.enqueue(PROCESS_ORDER_JOB, ids.map((orderId) => ({ orderId })), now, 10);
      afterCommit(() => this.options.onOrdersQueued(orders.length));
      return ids;
    });
  }

  /**
   * The order; with `waitMs`, not before it ended or that time passed, so a client asks once
   * instead of polling. Another account's order is refused at once, without waiting.
   */
  getOrder(accountId: number, id: number, waitMs = 0): Promise<OrderRecord> {
    const order = this.readOrder(accountId, id);
    // Without a wait, the read's own promise: GetNumberOrder is the hottest path there is.
    return waitMs > 0 ? order.then((first) => this.waitForEnd(accountId, first, waitMs)) : order;
  }

  private async waitForEnd(accountId: number, first: OrderRecord, waitMs: number): Promise<OrderRecord> {
    const { id } = first;
    let order = first;
    // A request timeout, not business time: the monotonic clock, not the Clock port.
    const deadline = performance.now() + waitMs;
    let waiting = true;
    while (waiting && !isTerminal(order.status) && performance.now() < deadline) {
      waiting = await this.options.waits.next(id, deadline - performance.now());
      order = await this.readOrder(accountId, id);
    }
    return order;
  }

  private async readOrder(accountId: number, id: number): Promise<OrderRecord> {
    const kept = this.ended.get(id);
    if (kept) {
      this.ended.delete(id);
      this.ended.set(id, kept);
      if (kept.accountId === accountId) return kept;
      throw new NotFoundError(`order ${id} does not exist`);
    }
    const order = await this.store.orders.get(id, accountId);
    if (!order) throw new NotFoundError(`order ${id} does not exist`);
    if (isTerminal(order.status)) {
      if (this.ended.size >= MAX_ENDED_KEPT) this.ended.delete(this.ended.keys().next().value!);
      this.ended.set(id, order);
    }
    return order;
  }
}

function checkCount(count: number | undefined, parameter: string): number {
  if (count === undefined) return 0;
  if (!Number.isInteger(count) || count < 1 || count > MAX_BULK_COUNT) {
    throw new InvalidInputError(`${parameter} must be an integer from 1 to ${MAX_BULK_COUNT}`, parameter);
  }
  return count;
}

/** Which order each asset goes to: the first that names it. */
function firstClaims<T extends string>(assetsByOrder: readonly (readonly T[])[], ids: readonly number[]): Map<T, number> {
  const owner = new Map<T, number>();
  assetsByOrder.forEach((assets, i) => {
    for (const asset of assets) if (!owner.has(asset)) owner.set(asset, ids[i]!);
  });
  return owner;
}

function dedupe(numbers: E164[]): E164[] {
  return [...new Set(numbers)];
}
