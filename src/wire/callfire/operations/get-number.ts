import { numberTree } from '../entities.ts';
import type { Operation } from '../operation.ts';

export const getNumber: Operation = {
  name: 'GetNumber',
  async run(services, accountId, params) {
    const number = await services.numbers.getNumber(accountId, params.requiredString('Number'));
    return { kind: 'entity', entity: { name: 'Number', content: numberTree(number) } };
  },
};
