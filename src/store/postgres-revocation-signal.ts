import { type Kysely, sql } from 'kysely';
import type { RevocationSignal } from '../app/account-service.ts';
import { CREDENTIALS_REVOKED_CHANNEL } from './capabilities.ts';
import type { PostgresListener } from './postgres-listener.ts';
import type { Database } from './schema.ts';

/** Revoked credentials, across processes: a login per notification, on one channel every process that authenticates listens to. */
export function createRevocationSignal(db: Kysely<Database>, listener: PostgresListener | null): RevocationSignal | null {
  if (!listener) return null;
  return {
    async publish(login) {
      await sql`select pg_notify(${CREDENTIALS_REVOKED_CHANNEL}, ${login})`.execute(db);
    },
    subscribe: (onRevoked) => listener.listen(CREDENTIALS_REVOKED_CHANNEL, onRevoked),
  };
}
