import { labelTree } from '../entities.ts';
import { readPage } from '../inputs.ts';
import { list, type Operation } from '../operation.ts';

export const queryLabels: Operation = {
  name: 'QueryLabels',
  async run(services, accountId, params) {
    const page = await services.labels.queryLabels(accountId, readPage(params));
    return list('Label', page.total, page.items.map(labelTree));
  },
};
