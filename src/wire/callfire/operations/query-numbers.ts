import { numberTree } from '../entities.ts';
import { readPage, readRegion } from '../inputs.ts';
import { list, type Operation } from '../operation.ts';

export const queryNumbers: Operation = {
  name: 'QueryNumbers',
  async run(services, accountId, params) {
    const page = await services.numbers.queryNumbers(accountId, readRegion(params), params.string('LabelName'), readPage(params));
    return list('Number', page.total, page.items.map(numberTree));
  },
};
