import { InvalidInputError } from '../../../domain/errors.ts';
import { MAX_WAIT_SECONDS } from '../../../app/order-service.ts';
import { orderTree } from '../entities.ts';
import type { Operation } from '../operation.ts';
import type { Entity } from '../tree.ts';
import type { OrderRecord } from '../../../app/ports.ts';

/**
 * The service hands back the same record for an ended order each time it is asked; so is its
 * entity, which lets the renderers keep its text too (see render.ts).
 */
const entities = new WeakMap<OrderRecord, Entity>();

export const getNumberOrder: Operation = {
  name: 'GetNumberOrder',
  async run(services, accountId, params) {
    const text = params.requiredString('Id').trim();
    if (!/^\d{1,15}$/.test(text)) throw new InvalidInputError(`Id must be a numeric order id, got "${text}"`, 'Id');
    // numberd's own: seconds to wait for the order to end before answering.
    const wait = params.integer('Wait', { min: 0, max: MAX_WAIT_SECONDS }) ?? 0;
    const order = await services.orders.getOrder(accountId, Number(text), wait * 1000);
    let entity = entities.get(order);
    if (!entity) {
      entity = { name: 'NumberOrder', content: orderTree(order) };
      entities.set(order, entity);
    }
    return { kind: 'entity', entity };
  },
};
