import { type Kysely, sql } from 'kysely';
import { type MigrationContext, withId } from './context.ts';

export async function up(db: Kysely<any>, ctx: MigrationContext): Promise<void> {
  await withId(db.schema.createTable('accounts'), ctx)
    .addColumn('login', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();

  await withId(db.schema.createTable('credentials'), ctx)
    .addColumn('account_id', 'bigint', (c) => c.notNull().references('accounts.id'))
    .addColumn('login', 'text', (c) => c.notNull().unique())
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('revoked_at', 'bigint')
    .execute();

  await db.schema
    .createTable('regions')
    .addColumn('prefix', 'text', (c) => c.primaryKey())
    .addColumn('city', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('zipcode', 'text', (c) => c.notNull())
    .addColumn('country', 'text', (c) => c.notNull())
    .addColumn('lata', 'text', (c) => c.notNull())
    .addColumn('rate_center', 'text', (c) => c.notNull())
    .addColumn('latitude', 'double precision', (c) => c.notNull())
    .addColumn('longitude', 'double precision', (c) => c.notNull())
    .addColumn('time_zone', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('regions_state_city').on('regions').columns(['state', 'city']).execute();
  await db.schema.createIndex('regions_zipcode').on('regions').column('zipcode').execute();

  // One row per number for its whole life, so the primary key alone makes a second owner impossible.
  await db.schema
    .createTable('numbers')
    .addColumn('number', 'text', (c) => c.primaryKey())
    .addColumn('toll_free', 'integer', (c) => c.notNull())
    .addColumn('prefix', 'text', (c) => c.references('regions.prefix'))
    .addColumn('state', 'text', (c) => c.notNull().check(sqlIn('state', ['AVAILABLE', 'RESERVED', 'OWNED', 'AGING'])))
    .addColumn('order_id', 'bigint')
    .addColumn('account_id', 'bigint', (c) => c.references('accounts.id'))
    .addColumn('status', 'text')
    .addColumn('lease_begin', 'text')
    .addColumn('lease_end', 'text')
    .addColumn('auto_renew', 'integer')
    .addColumn('call_feature', 'text')
    .addColumn('text_feature', 'text')
    .addColumn('inbound_type', 'text')
    .execute();
  // Searches read available numbers by prefix range, by region and by toll-free flag.
  await db.schema.createIndex('numbers_available').on('numbers').columns(['state', 'toll_free', 'number']).execute();
  await db.schema.createIndex('numbers_prefix').on('numbers').columns(['prefix', 'state']).execute();
  await db.schema.createIndex('numbers_account').on('numbers').columns(['account_id', 'number']).execute();
  await db.schema.createIndex('numbers_order').on('numbers').column('order_id').execute();

  await withId(db.schema.createTable('inbound_configs'), ctx)
    .addColumn('number', 'text', (c) => c.notNull().unique().references('numbers.number'))
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('transfer_numbers', 'text')
    .addColumn('screen', 'integer')
    .addColumn('record', 'integer')
    .addColumn('intro_sound_id', 'bigint')
    .addColumn('whisper_sound_id', 'bigint')
    .addColumn('dialplan_xml', 'text')
    .execute();

  // Keywords are not a finite stock: a row exists once a keyword was ever reserved or owned.
  await db.schema
    .createTable('keywords')
    .addColumn('short_code', 'text', (c) => c.notNull())
    .addColumn('keyword', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull().check(sqlIn('state', ['AVAILABLE', 'RESERVED', 'OWNED', 'AGING'])))
    .addColumn('order_id', 'bigint')
    .addColumn('account_id', 'bigint', (c) => c.references('accounts.id'))
    .addColumn('status', 'text')
    .addColumn('lease_begin', 'text')
    .addColumn('lease_end', 'text')
    .addColumn('auto_renew', 'integer')
    .addPrimaryKeyConstraint('keywords_pk', ['short_code', 'keyword'])
    .execute();
  await db.schema.createIndex('keywords_account').on('keywords').columns(['account_id', 'keyword']).execute();

  await withId(db.schema.createTable('orders'), ctx)
    .addColumn('account_id', 'bigint', (c) => c.notNull().references('accounts.id'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('total_cost', 'bigint', (c) => c.notNull())
    .addColumn('local_ordered', 'integer', (c) => c.notNull())
    .addColumn('local_unit_cost', 'bigint', (c) => c.notNull())
    .addColumn('toll_free_ordered', 'integer', (c) => c.notNull())
    .addColumn('toll_free_unit_cost', 'bigint', (c) => c.notNull())
    .addColumn('keyword_ordered', 'integer', (c) => c.notNull())
    .addColumn('keyword_unit_cost', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('orders_account').on('orders').columns(['account_id', 'id']).execute();
  await db.schema.createIndex('orders_status').on('orders').columns(['status', 'id']).execute();

  await db.schema
    .createTable('order_items')
    .addColumn('order_id', 'bigint', (c) => c.notNull().references('orders.id'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('asset', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('order_items_pk', ['order_id', 'kind', 'asset'])
    .execute();

  await withId(db.schema.createTable('labels'), ctx)
    .addColumn('account_id', 'bigint', (c) => c.notNull().references('accounts.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addUniqueConstraint('labels_account_name', ['account_id', 'name'])
    .execute();

  await db.schema
    .createTable('number_labels')
    .addColumn('label_id', 'bigint', (c) => c.notNull().references('labels.id'))
    .addColumn('number', 'text', (c) => c.notNull().references('numbers.number'))
    .addPrimaryKeyConstraint('number_labels_pk', ['label_id', 'number'])
    .execute();
  await db.schema.createIndex('number_labels_number').on('number_labels').column('number').execute();

  await withId(db.schema.createTable('jobs'), ctx)
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('run_at', 'bigint', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('max_attempts', 'integer', (c) => c.notNull())
    .addColumn('locked_at', 'bigint')
    .addColumn('locked_by', 'text')
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('jobs_due').on('jobs').columns(['run_at', 'id']).execute();
}

function sqlIn(column: string, values: readonly string[]) {
  // Values are constants of this file, never input.
  return sql.raw(`${column} in (${values.map((v) => `'${v}'`).join(', ')})`);
}
