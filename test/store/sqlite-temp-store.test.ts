import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { sql } from 'kysely';
import { openDatabase } from '../../src/store/database.ts';
import { isPostgresPass } from '../support/test-database.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'numberd-temp-store-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** Files this process holds open that SQLite created as temporary (it names them etilqs_*). */
function openTemporaryFiles(): string[] {
  const links = readdirSync('/proc/self/fd').map((fd) => {
    try {
      return readlinkSync(`/proc/self/fd/${fd}`);
    } catch {
      return '';
    }
  });
  return links.filter((link) => link.includes('etilqs_'));
}

test('a savepoint journals the pages it changes in memory, not in a temporary file', { skip: (isPostgresPass || process.platform !== 'linux') && 'SQLite on Linux only' }, async () => {
  const database = openDatabase({ url: `sqlite:${path.join(dir, 'journal.db')}` });
  try {
    await database.db.connection().execute(async (connection) => {
      await sql`create table t (id integer primary key, body text)`.execute(connection);
      await sql`with recursive n(i) as (select 1 union all select i + 1 from n where i < 500) insert into t (body) select printf('%.2000c', 'x') from n`.execute(connection);
      await sql`begin`.execute(connection);
      await sql`savepoint joined`.execute(connection);
      // About 250 pages changed inside the savepoint: far past the 64 KiB SQLite keeps in memory before spilling to a file.
      await sql`update t set body = upper(body)`.execute(connection);
      const temporary = openTemporaryFiles();
      await sql`rollback`.execute(connection);
      assert.deepEqual(temporary, []);
    });
  } finally {
    await database.close();
  }
});
