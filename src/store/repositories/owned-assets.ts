import type { Kysely } from 'kysely';
import type { OwnedAssetRepository, Page, PageOf, RegionFilter } from '../../app/ports.ts';
import type {
  InboundType, NumberConfiguration, NumberFeature, NumberStatus, OwnedKeyword, OwnedNumber,
} from '../../domain/inventory.ts';
import { nationalFormat, type E164 } from '../../domain/phone-number.ts';
import { hasRegionConditions, prefixRange, REGION_COLUMNS, regionConditions, regionFromRow, regionMatch } from '../region-filter.ts';
import type { Database, InboundConfigTable, NumberTable, RegionTable } from '../schema.ts';

type OwnedRow = Pick<NumberTable, 'number' | 'toll_free' | 'status' | 'lease_begin' | 'lease_end' | 'auto_renew' | 'call_feature' | 'text_feature' | 'inbound_type'>
  & Partial<RegionTable>
  & { config_id: number | null } & Partial<Omit<InboundConfigTable, 'id' | 'number'>>;

export function createOwnedAssetRepository(db: Kysely<Database>): OwnedAssetRepository {
  function ownedNumbers(accountId: number) {
    return db
      .selectFrom('numbers as n')
      .leftJoin('regions as r', 'r.prefix', 'n.prefix')
      .leftJoin('inbound_configs as c', 'c.number', 'n.number')
      .where('n.account_id', '=', accountId)
      .where('n.state', '=', 'OWNED');
  }
  const columns = [
    'n.number', 'n.toll_free', 'n.status', 'n.lease_begin', 'n.lease_end', 'n.auto_renew',
    'n.call_feature', 'n.text_feature', 'n.inbound_type', ...REGION_COLUMNS,
    'c.id as config_id', 'c.transfer_numbers', 'c.screen', 'c.record', 'c.intro_sound_id',
    'c.whisper_sound_id', 'c.dialplan_xml',
  ] as const;

  return {
    async queryNumbers(accountId: number, filter: RegionFilter, labelName: string | undefined, page: Page): Promise<PageOf<OwnedNumber>> {
      let query = ownedNumbers(accountId);
      if (filter.prefix) {
        const [low, high] = prefixRange(filter.prefix);
        query = query.where('n.number', '>=', low).where('n.number', '<=', high);
      }
      if (hasRegionConditions(filter)) query = query.where((eb) => eb.and(regionConditions(eb as never, regionMatch(filter))));
      if (labelName !== undefined) {
        query = query.where('n.number', 'in', (eb) => eb
          .selectFrom('number_labels as nl')
          .innerJoin('labels as l', 'l.id', 'nl.label_id')
          .select('nl.number')
          .where('l.account_id', '=', accountId)
          .where('l.name', '=', labelName));
      }
      const [rows, count] = await Promise.all([
        query.select(columns).orderBy('n.number').limit(page.maxResults).offset(page.firstResult).execute(),
        query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
      ]);
      return { total: Number(count.n), items: rows.map((row) => ownedNumberFromRow(row as OwnedRow)) };
    },

    async getNumber(accountId: number, number: E164): Promise<OwnedNumber | undefined> {
      const row = await ownedNumbers(accountId).select(columns).where('n.number', '=', number).executeTakeFirst();
      return row ? ownedNumberFromRow(row as OwnedRow) : undefined;
    },

    async configureNumber(accountId: number, number: E164, configuration: NumberConfiguration): Promise<boolean> {
      const patch: Partial<NumberTable> = {};
      if (configuration.callFeature) patch.call_feature = configuration.callFeature;
      if (configuration.textFeature) patch.text_feature = configuration.textFeature;
      if (configuration.inboundType) patch.inbound_type = configuration.inboundType;
      const updated = await db
        .updateTable('numbers')
        .set(Object.keys(patch).length > 0 ? patch : { account_id: accountId })
        .where('number', '=', number)
        .where('account_id', '=', accountId)
        .where('state', '=', 'OWNED')
        .executeTakeFirst();
      if (updated.numUpdatedRows === 0n) return false;
      if (!configuration.inboundType) return true;
      const tracking = configuration.inboundType === 'TRACKING' ? configuration.tracking ?? {} : undefined;
      const ivr = configuration.inboundType === 'IVR' ? configuration.ivr ?? {} : undefined;
      const values = {
        type: configuration.inboundType,
        transfer_numbers: tracking?.transferNumbers?.join(' ') ?? null,
        screen: flag(tracking?.screen),
        record: flag(tracking?.record),
        intro_sound_id: tracking?.introSoundId ?? null,
        whisper_sound_id: tracking?.whisperSoundId ?? null,
        dialplan_xml: ivr?.dialplanXml ?? null,
      };
      // One configuration per number: reconfiguring replaces it and keeps its id.
      await db
        .insertInto('inbound_configs')
        .values({ number, ...values })
        .onConflict((oc) => oc.column('number').doUpdateSet(values))
        .execute();
      return true;
    },

    async queryKeywords(accountId: number, page: Page): Promise<PageOf<OwnedKeyword>> {
      const query = db.selectFrom('keywords').where('account_id', '=', accountId).where('state', '=', 'OWNED');
      const [rows, count] = await Promise.all([
        query.selectAll().orderBy('keyword').limit(page.maxResults).offset(page.firstResult).execute(),
        query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
      ]);
      return {
        total: Number(count.n),
        items: rows.map((row) => ({
          shortCode: row.short_code,
          keyword: row.keyword,
          status: row.status as NumberStatus,
          lease: leaseFromRow(row),
        })),
      };
    },

    async stopNumberRenewal(accountId: number, number: E164): Promise<boolean> {
      const result = await db
        .updateTable('numbers')
        .set({ auto_renew: 0 })
        .where('number', '=', number)
        .where('account_id', '=', accountId)
        .where('state', '=', 'OWNED')
        .executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },

    async stopKeywordRenewal(accountId: number, shortCode: string, keyword: string): Promise<boolean> {
      const result = await db
        .updateTable('keywords')
        .set({ auto_renew: 0 })
        .where('short_code', '=', shortCode)
        .where('keyword', '=', keyword)
        .where('account_id', '=', accountId)
        .where('state', '=', 'OWNED')
        .executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },
  };
}

function flag(value: boolean | undefined): number | null {
  return value === undefined ? null : value ? 1 : 0;
}

function leaseFromRow(row: { lease_begin: string | null; lease_end: string | null; auto_renew: number | null }) {
  return {
    leaseBegin: row.lease_begin ?? undefined,
    leaseEnd: row.lease_end ?? undefined,
    autoRenew: row.auto_renew === 1,
  };
}

function ownedNumberFromRow(row: OwnedRow): OwnedNumber {
  const configuration: NumberConfiguration = {
    callFeature: (row.call_feature ?? undefined) as NumberFeature | undefined,
    textFeature: (row.text_feature ?? undefined) as NumberFeature | undefined,
    inboundType: (row.inbound_type ?? undefined) as InboundType | undefined,
  };
  if (row.config_id !== null && row.inbound_type === 'TRACKING') {
    configuration.tracking = {
      id: row.config_id,
      transferNumbers: row.transfer_numbers ? row.transfer_numbers.split(' ') : undefined,
      screen: row.screen === null || row.screen === undefined ? undefined : row.screen === 1,
      record: row.record === null || row.record === undefined ? undefined : row.record === 1,
      introSoundId: row.intro_sound_id ?? undefined,
      whisperSoundId: row.whisper_sound_id ?? undefined,
    };
  } else if (row.config_id !== null && row.inbound_type === 'IVR') {
    configuration.ivr = { id: row.config_id, dialplanXml: row.dialplan_xml ?? undefined };
  }
  return {
    number: row.number,
    nationalFormat: nationalFormat(row.number),
    tollFree: row.toll_free === 1,
    region: row.prefix ? regionFromRow(row as RegionTable) : undefined,
    status: row.status as NumberStatus,
    lease: leaseFromRow(row),
    configuration,
  };
}
