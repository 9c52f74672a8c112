import { NONE, type Operation } from '../operation.ts';

export const labelNumber: Operation = {
  name: 'LabelNumber',
  async run(services, accountId, params) {
    await services.labels.labelNumber(accountId, params.requiredString('Number'), params.string('LabelName'));
    return NONE;
  },
};
