import { NONE, type Operation } from '../operation.ts';

export const release: Operation = {
  name: 'Release',
  async run(services, accountId, params) {
    await services.numbers.release(accountId, { number: params.string('Number'), keyword: params.string('Keyword') });
    return NONE;
  },
};
