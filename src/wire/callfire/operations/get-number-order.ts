import { InvalidInputError } from '../../../domain/errors.ts';
import { orderTree } from '../entities.ts';
import type { Operation } from '../operation.ts';

export const getNumberOrder: Operation = {
  name: 'GetNumberOrder',
  async run(services, accountId, params) {
    const text = params.requiredString('Id').trim();
    if (!/^\d{1,15}$/.test(text)) throw new InvalidInputError(`Id must be a numeric order id, got "${text}"`, 'Id');
    const order = await services.orders.getOrder(accountId, Number(text));
    return { kind: 'entity', entity: { name: 'NumberOrder', content: orderTree(order) } };
  },
};
