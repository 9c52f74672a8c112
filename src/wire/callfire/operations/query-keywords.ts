import { keywordTree } from '../entities.ts';
import { readPage } from '../inputs.ts';
import { list, type Operation } from '../operation.ts';

export const queryKeywords: Operation = {
  name: 'QueryKeywords',
  async run(services, accountId, params) {
    const page = await services.numbers.queryKeywords(accountId, readPage(params));
    return list('Keyword', page.total, page.items.map(keywordTree));
  },
};
