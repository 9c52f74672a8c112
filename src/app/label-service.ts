import { InvalidInputError, NotFoundError } from '../domain/errors.ts';
import { requireNumber } from './number-service.ts';
import type { Page, PageOf, Store } from './ports.ts';

const MAX_LABEL_LENGTH = 128;

export class LabelService {
  constructor(private readonly store: Store) {}

  /** Labels a number of the account, creating the label on first use. */
  async labelNumber(accountId: number, number: string, labelName: string | undefined): Promise<void> {
    const name = requireLabelName(labelName);
    const e164 = requireNumber(number, 'Number');
    await this.store.transaction(async (tx) => {
      if (!(await tx.owned.getNumber(accountId, e164))) throw new NotFoundError(`number ${e164} is not in this account`);
      await tx.labels.attach(accountId, name, e164);
    });
  }

  /** Removes the label from the number; the label itself stays. */
  async unlabelNumber(accountId: number, number: string, labelName: string | undefined): Promise<void> {
    const name = requireLabelName(labelName);
    const e164 = requireNumber(number, 'Number');
    if (!(await this.store.labels.detach(accountId, name, e164))) {
      throw new NotFoundError(`no label ${name} on number ${e164}`, 'NBD_ERR_NO_LABEL');
    }
  }

  async queryLabels(accountId: number, page: Page): Promise<PageOf<string>> {
    return this.store.labels.list(accountId, page);
  }

  async deleteLabel(accountId: number, labelName: string | undefined): Promise<void> {
    const name = requireLabelName(labelName);
    if (!(await this.store.transaction((tx) => tx.labels.delete(accountId, name)))) {
      throw new NotFoundError(`no label ${name} in this account`, 'NBD_ERR_NO_LABEL');
    }
  }
}

function requireLabelName(name: string | undefined): string {
  if (name === undefined || name.trim() === '') throw new InvalidInputError('LabelName is required', 'LabelName');
  if (name.length > MAX_LABEL_LENGTH) throw new InvalidInputError(`LabelName may have at most ${MAX_LABEL_LENGTH} characters`, 'LabelName');
  return name;
}
