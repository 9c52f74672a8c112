import { type Kysely, sql } from 'kysely';
import type { Repositories, Store } from '../app/ports.ts';
import { capabilitiesOf, type StoreCapabilities } from './capabilities.ts';
import type { DatabaseHandle } from './database.ts';
import { createAccountRepository } from './repositories/accounts.ts';
import { createBillingRepository } from './repositories/billing.ts';
import { createLeaseRepository } from './repositories/leases.ts';
import { createInventoryRepository } from './repositories/inventory.ts';
import { createJobRepository } from './repositories/jobs.ts';
import { createLabelRepository } from './repositories/labels.ts';
import { createOrderRepository } from './repositories/orders.ts';
import { createOwnedAssetRepository } from './repositories/owned-assets.ts';
import { groupCommit } from './group-commit.ts';
import type { Database } from './schema.ts';

function repositoriesFor(db: Kysely<Database>, caps: StoreCapabilities): Repositories {
  return {
    accounts: createAccountRepository(db),
    billing: createBillingRepository(db, caps),
    leases: createLeaseRepository(db),
    inventory: createInventoryRepository(db, caps),
    owned: createOwnedAssetRepository(db),
    orders: createOrderRepository(db),
    labels: createLabelRepository(db),
    jobs: createJobRepository(db, caps),
  };
}

/** The Store port over Kysely; the same code serves SQLite and Postgres. */
export function createKyselyStore(handle: DatabaseHandle): Store {
  const caps = capabilitiesOf(handle.dialect);
  // Postgres runs transactions side by side on its pool; SQLite has one writer, so they share commits.
  const grouped = caps.supportsRowLocks ? null : groupCommit(handle.db, (trx) => repositoriesFor(trx, caps));
  return {
    ...repositoriesFor(handle.db, caps),
    commitsTogether: grouped !== null,

    async transaction(fn) {
      if (grouped) return grouped(fn);
      const effects: (() => void)[] = [];
      const result = await handle.db.transaction().execute((trx) => fn(repositoriesFor(trx, caps), (effect) => effects.push(effect)));
      for (const effect of effects) effect();
      return result;
    },

    async ping() {
      try {
        await sql`select 1`.execute(handle.db);
        return true;
      } catch {
        return false;
      }
    },

    close: () => handle.close(),
  };
}
