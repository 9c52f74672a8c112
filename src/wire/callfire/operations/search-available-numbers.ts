import { numberTree } from '../entities.ts';
import { MAX_RESULTS, readRegion } from '../inputs.ts';
import { list, type Operation } from '../operation.ts';

export const searchAvailableNumbers: Operation = {
  name: 'SearchAvailableNumbers',
  async run(services, _accountId, params) {
    const count = params.requiredInteger('Count', { min: 1, max: MAX_RESULTS });
    const numbers = await services.numbers.searchAvailableNumbers(readRegion(params), params.boolean('TollFree') ?? false, count);
    return list('Number', numbers.length, numbers.map(numberTree));
  },
};
