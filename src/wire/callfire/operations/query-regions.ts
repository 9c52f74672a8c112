import { regionTree } from '../entities.ts';
import { readPage, readRegion } from '../inputs.ts';
import { list, type Operation } from '../operation.ts';

export const queryRegions: Operation = {
  name: 'QueryRegions',
  async run(services, _accountId, params) {
    const page = await services.numbers.queryRegions(readRegion(params), readPage(params));
    return list('Region', page.total, page.items.map(regionTree));
  },
};
