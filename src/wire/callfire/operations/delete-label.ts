import { NONE, type Operation } from '../operation.ts';

export const deleteLabel: Operation = {
  name: 'DeleteLabel',
  async run(services, accountId, params) {
    await services.labels.deleteLabel(accountId, params.string('LabelName'));
    return NONE;
  },
};
