import { NONE, type Operation } from '../operation.ts';

export const unlabelNumber: Operation = {
  name: 'UnlabelNumber',
  async run(services, accountId, params) {
    await services.labels.unlabelNumber(accountId, params.requiredString('Number'), params.string('LabelName'));
    return NONE;
  },
};
