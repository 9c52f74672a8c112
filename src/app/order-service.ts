import { InvalidInputError, NotFoundError } from '../domain/errors.ts';
import { isCarrierKeyword } from '../domain/keyword.ts';
import { isTerminal, MAX_ITEMS, type AssetKind, type UnitPrices } from '../domain/order.ts';
import { isTollFree, type E164 } from '../domain/phone-number.ts';
import { normalizeKeywords, requireNumber } from './number-service.ts';
import { PROCESS_ORDER_JOB } from './order-processor.ts';
import type { Clock, OrderItem, OrderRecord, RegionFilter, Store } from './ports.ts';

/** What a client asks for in one CreateNumberOrder. */
export interface OrderRequest {
  numbers?: readonly string[];
  keywords?: readonly string[];
  bulkLocal?: { count: number; region: RegionFilter };
  bulkTollFree?: { count: number };
}

export const MAX_BULK_COUNT = 1000;
/** Ended orders kept in memory for GetNumberOrder; about 1 KB each. */
const MAX_ENDED_KEPT = 10_000;

export interface OrderServiceOptions {
  shortCode: string;
  /** Default unit prices; an account's own prices override them. */
  prices: UnitPrices;
  /** Called after an order committed, to wake a worker at once instead of at its next poll. */
  onOrderQueued: () => void;
}

export class OrderService {
  /**
   * Orders that ended, by id, most recently read last. An ended order never changes again, and
   * clients keep polling it after the end, so answering from memory is exact, in every process.
   */
  private readonly ended = new Map<number, OrderRecord>();

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly options: OrderServiceOptions,
  ) {}

  /**
   * Validates the request, reserves every asset it can in one transaction, stores the order
   * as NEW and queues its processing. Assets that cannot be reserved stay in the order as
   * unobtainable, so the order ends ADJUSTED or ERRORED rather than being refused.
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
    const ordered: Record<AssetKind, number> = {
      LOCAL: numbers.length - specificTollFree + localCount,
      TOLL_FREE: specificTollFree + tollFreeCount,
      KEYWORD: keywords.length,
    };

    return this.store.transaction(async (tx, afterCommit) => {
      const now = this.clock.now();
      // Read, not locked: creating an order spends nothing (the hold comes when it is processed),
      // and orders of one account must not queue behind each other on its row.
      const billing = await tx.billing.readBilling(accountId);
      const unitCost = { ...this.options.prices, ...billing.prices };
      const orderId = await tx.orders.insert({ accountId, createdAt: now, ordered, unitCost });
      const reservedNumbers = new Set(await tx.inventory.reserveNumbers(numbers, orderId));
      const reservedKeywords = new Set(await tx.inventory.reserveKeywords(this.options.shortCode, keywords, orderId));
      const items: OrderItem[] = [
        ...numbers.map((asset): OrderItem => ({
          kind: isTollFree(asset) ? 'TOLL_FREE' : 'LOCAL', asset, state: reservedNumbers.has(asset) ? 'RESERVED' : 'UNAVAILABLE',
        })),
        ...keywords.map((asset): OrderItem => ({
          kind: 'KEYWORD', asset, state: reservedKeywords.has(asset) ? 'RESERVED' : 'UNAVAILABLE',
        })),
      ];
      if (localCount > 0) {
        const bulk = await tx.inventory.reserveBulk({ kind: 'LOCAL', region: request.bulkLocal!.region }, localCount, orderId);
        items.push(...bulk.map((asset): OrderItem => ({ kind: 'LOCAL', asset, state: 'RESERVED' })));
      }
      if (tollFreeCount > 0) {
        const bulk = await tx.inventory.reserveBulk({ kind: 'TOLL_FREE' }, tollFreeCount, orderId);
        items.push(...bulk.map((asset): OrderItem => ({ kind: 'TOLL_FREE', asset, state: 'RESERVED' })));
      }
      await tx.orders.addItems(orderId, items);
      await tx.jobs.enqueue(PROCESS_ORDER_JOB, { orderId }, now, 10);
      afterCommit(this.options.onOrderQueued);
      return orderId;
    });
  }

  async getOrder(accountId: number, id: number): Promise<OrderRecord> {
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

function dedupe(numbers: E164[]): E164[] {
  return [...new Set(numbers)];
}
