import { InvalidInputError, NotFoundError } from '../domain/errors.ts';
import type {
  AvailableNumber, NumberConfiguration, OwnedKeyword, OwnedNumber, Region,
} from '../domain/inventory.ts';
import { isCarrierKeyword, normalizeKeyword } from '../domain/keyword.ts';
import { normalizeNumber, normalizePrefix, type E164 } from '../domain/phone-number.ts';
import type { Page, PageOf, RegionFilter, Store } from './ports.ts';

export interface NumberServiceOptions {
  shortCode: string;
}

export interface AvailableKeyword {
  shortCode: string;
  keyword: string;
}

/** Search, inspection and configuration of numbers and keywords: one service under every protocol. */
export class NumberService {
  constructor(
    private readonly store: Store,
    private readonly options: NumberServiceOptions,
  ) {}

  async queryRegions(filter: RegionFilter, page: Page): Promise<PageOf<Region>> {
    return this.store.inventory.queryRegions(normalizeFilter(filter), page);
  }

  /** Up to `count` numbers nobody owns or holds, matching the filter. */
  async searchAvailableNumbers(filter: RegionFilter, tollFree: boolean, count: number): Promise<AvailableNumber[]> {
    return this.store.inventory.searchAvailable(normalizeFilter(filter), tollFree, count);
  }

  /** The subset of `keywords` that can be ordered now; malformed ones are a 400, carrier words simply absent. */
  async searchAvailableKeywords(keywords: readonly string[]): Promise<AvailableKeyword[]> {
    const wanted = normalizeKeywords(keywords, 'Keywords');
    const taken = await this.store.inventory.unavailableKeywords(this.options.shortCode, wanted);
    return wanted
      .filter((keyword) => !isCarrierKeyword(keyword) && !taken.has(keyword))
      .map((keyword) => ({ shortCode: this.options.shortCode, keyword }));
  }

  async queryNumbers(accountId: number, filter: RegionFilter, labelName: string | undefined, page: Page): Promise<PageOf<OwnedNumber>> {
    return this.store.owned.queryNumbers(accountId, normalizeFilter(filter), labelName, page);
  }

  async getNumber(accountId: number, number: string): Promise<OwnedNumber> {
    const e164 = requireNumber(number, 'Number');
    const owned = await this.store.owned.getNumber(accountId, e164);
    if (!owned) throw new NotFoundError(`number ${e164} is not in this account`);
    return owned;
  }

  async configureNumber(accountId: number, number: string, configuration: NumberConfiguration): Promise<void> {
    const e164 = requireNumber(number, 'Number');
    const tracking = configuration.tracking;
    if (tracking?.transferNumbers) {
      tracking.transferNumbers = tracking.transferNumbers.map((n) => requireNumber(n, 'TransferNumber'));
    }
    if (!(await this.store.owned.configureNumber(accountId, e164, configuration))) {
      throw new NotFoundError(`number ${e164} is not in this account`);
    }
  }

  async queryKeywords(accountId: number, page: Page): Promise<PageOf<OwnedKeyword>> {
    return this.store.owned.queryKeywords(accountId, page);
  }

  /**
   * Stops renewal of a number or keyword the account owns. The asset stays the account's
   * until its lease ends. Releasing twice is harmless.
   */
  async release(accountId: number, target: { number?: string; keyword?: string }): Promise<void> {
    if (target.number === undefined && target.keyword === undefined) {
      throw new InvalidInputError('Number or Keyword is required', 'Number');
    }
    if (target.number !== undefined) {
      const e164 = requireNumber(target.number, 'Number');
      if (!(await this.store.owned.stopNumberRenewal(accountId, e164))) {
        throw new NotFoundError(`number ${e164} is not in this account`);
      }
    }
    if (target.keyword !== undefined) {
      const [keyword] = normalizeKeywords([target.keyword], 'Keyword') as [string];
      if (!(await this.store.owned.stopKeywordRenewal(accountId, this.options.shortCode, keyword))) {
        throw new NotFoundError(`keyword ${keyword} is not in this account`);
      }
    }
  }
}

export function requireNumber(text: string, parameter: string): E164 {
  const e164 = normalizeNumber(text);
  if (!e164) throw new InvalidInputError(`${parameter} "${text}" is not an 11-digit North American number`, parameter);
  return e164;
}

export function normalizeKeywords(keywords: readonly string[], parameter: string): string[] {
  const result: string[] = [];
  for (const text of keywords) {
    const keyword = normalizeKeyword(text);
    if (!keyword) throw new InvalidInputError(`${parameter} "${text}" must be 2 to 64 letters or digits`, parameter);
    if (!result.includes(keyword)) result.push(keyword);
  }
  return result;
}

function normalizeFilter(filter: RegionFilter): RegionFilter {
  if (filter.prefix === undefined) return filter;
  const prefix = normalizePrefix(filter.prefix);
  if (!prefix) throw new InvalidInputError(`Prefix "${filter.prefix}" must be 1 to 11 digits`, 'Prefix');
  return { ...filter, prefix };
}
