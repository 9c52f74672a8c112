import type { Kysely, Migration, MigrationProvider } from 'kysely';
import type { MigrationContext } from './context.ts';
import * as m0001 from './0001-initial.ts';
import * as m0002 from './0002-billing-and-leases.ts';
import * as m0003 from './0003-search-indexes.ts';
import * as m0004 from './0004-partial-number-indexes.ts';
import * as m0005 from './0005-numbers-without-rowid.ts';

type CtxMigration = { up(db: Kysely<any>, ctx: MigrationContext): Promise<void> };

/** Append-only: a migration that has shipped is never edited, only followed. */
const MIGRATIONS: Record<string, CtxMigration> = {
  '0001-initial': m0001,
  '0002-billing-and-leases': m0002,
  '0003-search-indexes': m0003,
  '0004-partial-number-indexes': m0004,
  '0005-numbers-without-rowid': m0005,
};

export class CtxMigrationProvider implements MigrationProvider {
  constructor(private readonly ctx: MigrationContext) {}

  async getMigrations(): Promise<Record<string, Migration>> {
    const result: Record<string, Migration> = {};
    for (const [name, migration] of Object.entries(MIGRATIONS)) {
      result[name] = { up: (db) => migration.up(db, this.ctx) };
    }
    return result;
  }
}
