import type { Kysely } from 'kysely';
import type { OrderEndSignal } from '../app/order-waits.ts';
import { TERMINAL_STATUSES } from '../domain/order.ts';
import type { Database } from './schema.ts';
import { ForeignCommitWatch } from './sqlite-foreign-commits.ts';

/** Waited orders per query, well under SQLite's bound-parameter limit. */
const IDS_PER_QUERY = 500;

/**
 * Ended orders on a SQLite file, for a `--role api` process whose orders a `--role worker` process
 * ends. Nothing is published: the worker's commit is the news. After each commit of another
 * connection, one query asks which of the waited orders have ended, so a waiting request reads
 * its order again only once it has. A process with its own worker does not watch: its worker wakes
 * its waits directly, and an order the CLI cancels is answered at the wait's recheck.
 */
export function createSqliteOrderEndSignal(db: Kysely<Database>): OrderEndSignal {
  const watch = new ForeignCommitWatch(db);
  return {
    publish() {},
    async subscribe(onEnded, { waited, localWorker }) {
      if (localWorker) return;
      await watch.start(() => {
        endedAmong(db, waited()).then((ids) => { if (ids.length > 0) onEnded(ids); }, () => {});
      });
    },
    close: () => watch.close(),
  };
}

async function endedAmong(db: Kysely<Database>, ids: readonly number[]): Promise<number[]> {
  const ended: number[] = [];
  for (let start = 0; start < ids.length; start += IDS_PER_QUERY) {
    const rows = await db.selectFrom('orders').select('id')
      .where('id', 'in', ids.slice(start, start + IDS_PER_QUERY)).where('status', 'in', [...TERMINAL_STATUSES]).execute();
    for (const { id } of rows) ended.push(id);
  }
  return ended;
}
