import type { Kysely } from 'kysely';
import type { AccountRecord, AccountRepository } from '../../app/ports.ts';
import type { Database } from '../schema.ts';

/**
 * Postgres refuses a text parameter holding U+0000 with an error, and no stored login holds one, so
 * a lookup by such a login (a header or a path from anyone) finds nothing instead of failing.
 */
const unstorable = (login: string) => login.includes('\u0000');

export function createAccountRepository(db: Kysely<Database>): AccountRepository {
  const toRecord = (row: { id: number; login: string; created_at: number }): AccountRecord =>
    ({ id: Number(row.id), login: row.login, createdAt: row.created_at });

  return {
    async create(login: string, now: Date): Promise<AccountRecord> {
      const row = await db.insertInto('accounts').values({ login, created_at: now.getTime() })
        .returningAll().executeTakeFirstOrThrow();
      return toRecord(row);
    },

    async findByLogin(login: string): Promise<AccountRecord | undefined> {
      if (unstorable(login)) return undefined;
      const row = await db.selectFrom('accounts').selectAll().where('login', '=', login).executeTakeFirst();
      return row ? toRecord(row) : undefined;
    },

    async findById(id: number): Promise<AccountRecord | undefined> {
      const row = await db.selectFrom('accounts').selectAll().where('id', '=', id).executeTakeFirst();
      return row ? toRecord(row) : undefined;
    },

    async list(): Promise<AccountRecord[]> {
      const rows = await db.selectFrom('accounts').selectAll().orderBy('id').execute();
      return rows.map(toRecord);
    },

    async addCredential(accountId: number, login: string, passwordHash: string, now: Date): Promise<void> {
      await db.insertInto('credentials')
        .values({ account_id: accountId, login, password_hash: passwordHash, created_at: now.getTime(), revoked_at: null })
        .execute();
    },

    async revokeCredential(accountId: number, login: string, now: Date): Promise<boolean> {
      if (unstorable(login)) return false;
      const result = await db.updateTable('credentials').set({ revoked_at: now.getTime() })
        .where('account_id', '=', accountId).where('login', '=', login).where('revoked_at', 'is', null).executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },

    async revokedAmong(logins: readonly string[]) {
      const revoked: string[] = [];
      // In chunks, well under the databases' limits on bound parameters.
      for (let i = 0; i < logins.length; i += 500) {
        const rows = await db.selectFrom('credentials').select('login')
          .where('login', 'in', logins.slice(i, i + 500)).where('revoked_at', 'is not', null).execute();
        revoked.push(...rows.map((row) => row.login));
      }
      return revoked;
    },

    async credentials(accountId: number) {
      const rows = await db.selectFrom('credentials').select(['login', 'created_at'])
        .where('account_id', '=', accountId).where('revoked_at', 'is', null).orderBy('id').execute();
      return rows.map((r) => ({ login: r.login, createdAt: r.created_at }));
    },

    async isLoginTaken(login: string): Promise<boolean> {
      if (await db.selectFrom('accounts').select('id').where('login', '=', login).executeTakeFirst()) return true;
      return (await db.selectFrom('credentials').select('id').where('login', '=', login).executeTakeFirst()) !== undefined;
    },

    async findCredential(login: string) {
      if (unstorable(login)) return undefined;
      const row = await db.selectFrom('credentials').select(['account_id', 'password_hash'])
        .where('login', '=', login).where('revoked_at', 'is', null).executeTakeFirst();
      return row ? { accountId: Number(row.account_id), passwordHash: row.password_hash } : undefined;
    },
  };
}
