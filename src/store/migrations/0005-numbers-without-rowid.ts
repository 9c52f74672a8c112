import { type Kysely, sql } from 'kysely';
import type { MigrationContext } from './context.ts';

/**
 * SQLite only: `numbers` becomes a WITHOUT ROWID table, its rows kept in the b-tree of its primary
 * key, the number. A rowid table kept every number twice, in the table under a rowid and in the
 * index of its primary key, so each insert went into one b-tree more and each lookup by number
 * searched two. An import now fills three b-trees instead of four. Postgres keeps tables apart
 * from their indexes whatever the declaration, so there is nothing to change there.
 *
 * SQLite cannot alter a table into this form, so the table is rebuilt: created anew from its own
 * stored definition plus the clause, filled, swapped in under the old name, its indexes made again.
 * Other tables refer to `numbers`, so foreign keys are off meanwhile (outside any transaction, where
 * the pragma takes effect) and checked before the commit.
 */
export async function up(db: Kysely<any>, ctx: MigrationContext): Promise<void> {
  if (ctx.dialect !== 'sqlite') return;
  const { rows: [table] } = await sql<{ sql: string }>`select sql from sqlite_master where type = 'table' and name = 'numbers'`.execute(db);
  const { rows: indexes } = await sql<{ sql: string }>`select sql from sqlite_master where type = 'index' and tbl_name = 'numbers' and sql is not null`.execute(db);
  const definition = table!.sql.replace(/^CREATE TABLE "numbers"/, 'CREATE TABLE "numbers_rebuilt"');
  if (definition === table!.sql) throw new Error(`unexpected definition of numbers: ${table!.sql}`);
  await sql`pragma foreign_keys = off`.execute(db);
  try {
    await db.transaction().execute(async (trx) => {
      await sql.raw(`${definition} WITHOUT ROWID`).execute(trx);
      await sql`insert into numbers_rebuilt select * from numbers order by number`.execute(trx);
      await sql`drop table numbers`.execute(trx);
      await sql`alter table numbers_rebuilt rename to numbers`.execute(trx);
      for (const index of indexes) await sql.raw(index.sql).execute(trx);
      const { rows: broken } = await sql`pragma foreign_key_check`.execute(trx);
      if (broken.length > 0) throw new Error(`rebuilding numbers would break ${broken.length} foreign keys`);
    });
  } finally {
    await sql`pragma foreign_keys = on`.execute(db);
  }
}
