import type { Kysely } from 'kysely';
import type { LabelRepository, Page, PageOf } from '../../app/ports.ts';
import type { E164 } from '../../domain/phone-number.ts';
import type { Database } from '../schema.ts';

export function createLabelRepository(db: Kysely<Database>): LabelRepository {
  async function labelId(accountId: number, name: string): Promise<number | undefined> {
    const row = await db.selectFrom('labels').select('id').where('account_id', '=', accountId).where('name', '=', name).executeTakeFirst();
    return row ? Number(row.id) : undefined;
  }

  return {
    async attach(accountId: number, name: string, number: E164): Promise<void> {
      await db.insertInto('labels').values({ account_id: accountId, name })
        .onConflict((oc) => oc.columns(['account_id', 'name']).doNothing()).execute();
      const id = await labelId(accountId, name);
      await db.insertInto('number_labels').values({ label_id: id!, number })
        .onConflict((oc) => oc.columns(['label_id', 'number']).doNothing()).execute();
    },

    async detach(accountId: number, name: string, number: E164): Promise<boolean> {
      const id = await labelId(accountId, name);
      if (id === undefined) return false;
      const result = await db.deleteFrom('number_labels').where('label_id', '=', id).where('number', '=', number).executeTakeFirst();
      return result.numDeletedRows > 0n;
    },

    async list(accountId: number, page: Page): Promise<PageOf<string>> {
      const query = db.selectFrom('labels').where('account_id', '=', accountId);
      const [rows, count] = await Promise.all([
        query.select('name').orderBy('name').limit(page.maxResults).offset(page.firstResult).execute(),
        query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
      ]);
      return { total: Number(count.n), items: rows.map((r) => r.name) };
    },

    async delete(accountId: number, name: string): Promise<boolean> {
      const id = await labelId(accountId, name);
      if (id === undefined) return false;
      await db.deleteFrom('number_labels').where('label_id', '=', id).execute();
      await db.deleteFrom('labels').where('id', '=', id).execute();
      return true;
    },
  };
}
