import type { OrderRequest } from '../../../app/order-service.ts';
import { parseInteger, type ParamBag } from '../params.ts';
import { readRegion } from '../inputs.ts';
import type { Operation } from '../operation.ts';

export const createNumberOrder: Operation = {
  name: 'CreateNumberOrder',
  async run(services, accountId, params) {
    const id = await services.orders.createOrder(accountId, readOrderRequest(params));
    return { kind: 'created', id };
  },
};

const COUNT_RANGE = { min: 0, max: Number.MAX_SAFE_INTEGER };

/**
 * Bulk counts arrive as `LocalCount`/`TollFreeCount` in any case, or as the C# client's
 * `Count`: two of them mean local then toll-free, a lone one means local. A zero count is
 * "none", as clients with primitive fields send it; range checks happen in the service.
 */
function readOrderRequest(params: ParamBag): OrderRequest {
  const counts = params.all('Count').map((text) => parseInteger(text, 'Count', COUNT_RANGE));
  const localCount = params.integer('LocalCount', COUNT_RANGE) ?? counts[0];
  const tollFreeCount = params.integer('TollFreeCount', COUNT_RANGE) ?? (counts.length > 1 ? counts.at(-1) : undefined);
  return {
    numbers: params.list('Numbers'),
    keywords: params.list('Keywords'),
    bulkLocal: localCount ? { count: localCount, region: readRegion(params) } : undefined,
    bulkTollFree: tollFreeCount ? { count: tollFreeCount } : undefined,
  };
}
