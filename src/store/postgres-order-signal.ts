import { type Kysely, sql } from 'kysely';
import type { OrderEndSignal } from '../app/order-waits.ts';
import { ORDERS_ENDED_CHANNEL } from './capabilities.ts';
import type { PostgresListener } from './postgres-listener.ts';
import type { Database } from './schema.ts';
import { createSqliteOrderEndSignal } from './sqlite-order-signal.ts';

/** Postgres caps a notification's payload at 8000 bytes; ids go in chunks well below. */
const MAX_PAYLOAD = 7000;

/** The signal that fits the store: LISTEN/NOTIFY where the database has it (a listener), a watch of SQLite's log otherwise. */
export function createOrderEndSignal(db: Kysely<Database>, listener: PostgresListener | null): OrderEndSignal {
  return listener ? createPostgresOrderEndSignal(db, listener) : createSqliteOrderEndSignal(db);
}

/** Orders ended, across processes: the ids, comma-separated, on one channel every API process may listen to. */
function createPostgresOrderEndSignal(db: Kysely<Database>, listener: PostgresListener): OrderEndSignal {
  let pending: number[] = [];
  const send = () => {
    const ids = pending;
    pending = [];
    for (let start = 0; start < ids.length;) {
      let payload = String(ids[start++]);
      while (start < ids.length && payload.length < MAX_PAYLOAD) payload += `,${ids[start++]}`;
      // After the commit, outside it: a lost notification costs a waiting request its recheck, nothing more.
      sql`select pg_notify(${ORDERS_ENDED_CHANNEL}, ${payload})`.execute(db).catch(() => {});
    }
  };
  return {
    publish(orderIds) {
      // The orders a transaction ended are published one by one after its commit: one notification for them all.
      if (pending.length === 0) queueMicrotask(send);
      pending.push(...orderIds);
    },
    subscribe: (onEnded) => listener.listen(ORDERS_ENDED_CHANNEL, (payload) => onEnded(payload === null ? null : payload.split(',').map(Number))),
    // The listener is the process's, closed with it.
    close() {},
  };
}
