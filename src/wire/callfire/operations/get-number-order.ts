import { InvalidInputError } from '../../../domain/errors.ts';
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
    const order = await services.orders.getOrder(accountId, Number(text));
    let entity = entities.get(order);
    if (!entity) {
      entity = { name: 'NumberOrder', content: orderTree(order) };
      entities.set(order, entity);
    }
    return { kind: 'entity', entity };
  },
};
