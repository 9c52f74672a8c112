import { InvalidInputError } from '../../../domain/errors.ts';
import { keywordTree } from '../entities.ts';
import { list, type Operation } from '../operation.ts';

export const searchAvailableKeywords: Operation = {
  name: 'SearchAvailableKeywords',
  async run(services, _accountId, params) {
    const keywords = params.list('Keywords');
    if (!keywords) throw new InvalidInputError('Keywords is required', 'Keywords');
    const available = await services.numbers.searchAvailableKeywords(keywords);
    return list('Keyword', available.length, available.map(keywordTree));
  },
};
