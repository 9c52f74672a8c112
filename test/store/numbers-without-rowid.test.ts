import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { Migrator, sql } from 'kysely';
import { migrateToLatest, openDatabase } from '../../src/store/database.ts';
import { CtxMigrationProvider } from '../../src/store/migrations/index.ts';
import { isPostgresPass } from '../support/test-database.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'numberd-without-rowid-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('migration 0005: numbers without rowid', { skip: isPostgresPass && 'SQLite only' }, () => {
  test('rebuilds a populated table with its rows, indexes and foreign keys as they were', async () => {
    const database = openDatabase({ url: `sqlite:${path.join(dir, 'upgraded.db')}`, backgroundCheckpoints: true });
    try {
      const { db } = database;
      const migrator = new Migrator({ db, provider: new CtxMigrationProvider({ dialect: 'sqlite' }) });
      const { error } = await migrator.migrateTo('0004-partial-number-indexes');
      assert.equal(error, undefined);

      // A database in use: available numbers, and an owned one that a label and an inbound configuration refer to.
      await sql`insert into regions (prefix, city, state, zipcode, country, lata, rate_center, latitude, longitude, time_zone)
        values ('1212555', 'NEW YORK', 'NY', '10001', 'US', '132', 'NWYRCYZN01', 40.75, -73.99, 'America/New_York')`.execute(db);
      await sql`insert into accounts (login, created_at) values ('owner', 0)`.execute(db);
      await sql`insert into numbers (number, toll_free, prefix, state) values ('12125550100', 0, '1212555', 'AVAILABLE'), ('18005550100', 1, null, 'AVAILABLE')`.execute(db);
      await sql`insert into numbers (number, toll_free, prefix, state, order_id, account_id, status, lease_begin, lease_end, auto_renew)
        values ('12125550101', 0, '1212555', 'OWNED', 1, 1, 'ACTIVE', '2026-11-01', '2026-12-01', 1)`.execute(db);
      await sql`insert into labels (account_id, name) values (1, 'support')`.execute(db);
      await sql`insert into number_labels (label_id, number) values (1, '12125550101')`.execute(db);
      await sql`insert into inbound_configs (number, type) values ('12125550101', 'TRANSFER')`.execute(db);
      const rows = async () => (await sql`select * from numbers order by number`.execute(db)).rows;
      const indexes = async () => (await sql<{ sql: string }>`select sql from sqlite_master where type = 'index' and tbl_name = 'numbers' and sql is not null order by name`.execute(db)).rows;
      const withoutRowid = async () => (await sql<{ wr: number }>`select wr from pragma_table_list where name = 'numbers'`.execute(db)).rows[0]!.wr;
      const [rowsBefore, indexesBefore] = [await rows(), await indexes()];
      assert.equal(await withoutRowid(), 0);

      await migrateToLatest(database);

      assert.equal(await withoutRowid(), 1);
      assert.deepEqual(await rows(), rowsBefore);
      assert.equal(indexesBefore.length, 5);
      assert.deepEqual(await indexes(), indexesBefore);
      // Foreign keys are on again, to and from the new table.
      assert.equal((await sql<{ foreign_keys: number }>`pragma foreign_keys`.execute(db)).rows[0]!.foreign_keys, 1);
      await assert.rejects(sql`insert into number_labels (label_id, number) values (1, '19999999999')`.execute(db), /FOREIGN KEY constraint failed/);
      await assert.rejects(sql`insert into numbers (number, toll_free, prefix, state) values ('13135550100', 0, '1313555', 'AVAILABLE')`.execute(db), /FOREIGN KEY constraint failed/);
      await assert.rejects(sql`delete from numbers where number = '12125550101'`.execute(db), /FOREIGN KEY constraint failed/);
    } finally {
      await database.close();
    }
  });
});
