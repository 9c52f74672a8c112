import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { AccountService, type RevocationSignal } from '../../src/app/account-service.ts';
import type { Clock, Store } from '../../src/app/ports.ts';
import { createKyselyStore } from '../../src/store/kysely-store.ts';
import { authenticateRequest } from '../../src/wire/basic-auth.ts';
import { migrateToLatest, openDatabase } from '../../src/store/database.ts';
import { eventually } from '../support/eventually.ts';
import { createTestDatabase } from '../support/test-database.ts';

/**
 * `afterLookup`, when given, runs after each credential lookup has read and before it answers;
 * `revocations` stands for the other processes.
 */
async function setup(afterLookup?: () => Promise<void>, revocations?: RevocationSignal, revocationCheckMs?: number) {
  const testDatabase = await createTestDatabase();
  const database = openDatabase({ url: testDatabase.url });
  await migrateToLatest(database);
  const real = createKyselyStore(database);
  let lookups = 0;
  // Counts credential lookups; everything else is the real store.
  const findCredential: Store['accounts']['findCredential'] = async (login) => {
    lookups++;
    const found = await real.accounts.findCredential(login);
    await afterLookup?.();
    return found;
  };
  const store: Store = { ...real, accounts: { ...real.accounts, findCredential } };
  let now = Date.parse('2026-01-01T00:00:00Z');
  const clock: Clock = { now: () => new Date(now) };
  const service = new AccountService(store, clock, { credentialCacheMs: 60_000, revocationCheckMs }, revocations);
  const closeAndDrop = { ...database, close: async () => { service.close(); await database.close(); await testDatabase.drop(); } };
  return { service, store: real, database: closeAndDrop, lookups: () => lookups, advance: (ms: number) => { now += ms; } };
}

describe('AccountService.authenticate', () => {
  test('a verified credential is cached: the next request with it pays no lookup or hash, until the cache time passes', async () => {
    const { service, database, lookups, advance } = await setup();
    const account = await service.createAccount('erin', 'erin-password');
    assert.equal(await service.authenticate('erin', 'erin-password'), account.id);
    assert.equal(lookups(), 1);
    // Answered from the cache at once, not as a promise.
    assert.equal(service.authenticate('erin', 'erin-password'), account.id);
    assert.equal(lookups(), 1);
    advance(60_001);
    assert.equal(await service.authenticate('erin', 'erin-password'), account.id);
    assert.equal(lookups(), 2);
    await database.close();
  });

  test('requests arriving together with an uncached credential share one lookup and hash, right or wrong', async () => {
    const { service, database, lookups, advance } = await setup();
    const account = await service.createAccount('hana', 'hana-password');
    const together = await Promise.all(Array.from({ length: 50 }, () => service.authenticate('hana', 'hana-password')));
    assert.deepEqual(new Set(together), new Set([account.id]));
    assert.equal(lookups(), 1);
    const wrong = await Promise.allSettled(Array.from({ length: 20 }, () => service.authenticate('hana', 'hana-passwore')));
    assert.ok(wrong.every((r) => r.status === 'rejected' && r.reason.name === 'UnauthorizedError'));
    assert.equal(lookups(), 2);
    // A failure is not remembered: the next attempt looks again.
    await assert.rejects(async () => service.authenticate('hana', 'hana-passwore'), { name: 'UnauthorizedError' });
    assert.equal(lookups(), 3);
    // At the cache's expiry the same holds: one new verification for all.
    advance(60_001);
    await Promise.all(Array.from({ length: 50 }, () => service.authenticate('hana', 'hana-password')));
    assert.equal(lookups(), 4);
    await database.close();
  });

  test('a credential revoked while a request verifies it is neither cached by that verification nor given to later requests', async () => {
    let looked!: () => void;
    const lookedUp = new Promise<void>((resolve) => { looked = resolve; });
    let release!: () => void;
    const released = new Promise<void>((resolve) => { release = resolve; });
    const { service, store, database } = await setup(async () => {
      looked();
      await released;
    });
    const account = await service.createAccount('kate', 'kate-password');
    // A request reads the credential while it is still active; the revocation commits before its hash ends.
    const during = Promise.allSettled([service.authenticate('kate', 'kate-password')]);
    await lookedUp;
    assert.equal(await store.accounts.revokeCredential(account.id, 'kate', new Date()), true);
    await service.revoked('kate');
    const after = Promise.allSettled([service.authenticate('kate', 'kate-password')]);
    release();
    await during;
    const [late] = await after;
    assert.equal(late!.status, 'rejected');
    assert.equal(service.recall('kate:kate-password'), undefined);
    await assert.rejects(async () => service.authenticate('kate', 'kate-password'), { name: 'UnauthorizedError' });
    await database.close();
  });

  test('with other processes, nothing is cached before their revocations are heard; each one heard is forgotten, and all when some may be lost', async () => {
    let listening!: () => void;
    let heard!: (login: string | null) => void;
    const published: string[] = [];
    const { service, database, lookups } = await setup(undefined, {
      publish: async (login) => { published.push(login); },
      subscribe: (onRevoked) => {
        heard = onRevoked;
        return new Promise<void>((resolve) => { listening = resolve; });
      },
    });
    const lena = await service.createAccount('lena', 'lena-password');
    const mark = await service.createAccount('mark', 'mark-password');
    const first = service.authenticate('lena', 'lena-password');
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(lookups(), 0, 'the first verification reads nothing before this process listens');
    listening();
    assert.equal(await first, lena.id);
    assert.equal(lookups(), 1);
    assert.equal(await service.authenticate('mark', 'mark-password'), mark.id);
    assert.equal(service.recall('lena:lena-password'), lena.id);

    heard('lena');
    assert.equal(service.recall('lena:lena-password'), undefined);
    assert.equal(service.recall('mark:mark-password'), mark.id);
    heard(null);
    assert.equal(service.recall('mark:mark-password'), undefined);

    await service.revoked('mark');
    assert.deepEqual(published, ['mark']);
    await database.close();
  });

  test('without a revocation signal, a credential revoked by another process is forgotten at the next check of the cached logins', async () => {
    const { service, store, database } = await setup(undefined, undefined, 20);
    const nina = await service.createAccount('nina', 'nina-password');
    const omar = await service.createAccount('omar', 'omar-password');
    assert.equal(await service.authenticate('nina', 'nina-password'), nina.id);
    assert.equal(await service.authenticate('omar', 'omar-password'), omar.id);
    // Written to the database only, as the CLI does beside a running server: this process is not told.
    assert.equal(await store.accounts.revokeCredential(nina.id, 'nina', new Date()), true);
    assert.equal(await eventually(() => service.recall('nina:nina-password'), (known) => known === undefined, 5_000), undefined);
    assert.equal(service.recall('omar:omar-password'), omar.id);
    await assert.rejects(async () => service.authenticate('nina', 'nina-password'), { name: 'UnauthorizedError' });
    await database.close();
  });

  test('a credential is recalled only by the exact text it was verified under, and only until the cache time passes', async () => {
    const { service, database, lookups, advance } = await setup();
    const account = await service.createAccount('ivan', 'ivan-password');
    assert.equal(await service.authenticate('ivan', 'ivan-password', 'Basic aXZhbjppdmFuLXBhc3N3b3Jk'), account.id);
    assert.equal(service.recall('Basic aXZhbjppdmFuLXBhc3N3b3Jk'), account.id);
    assert.equal(service.recall('basic aXZhbjppdmFuLXBhc3N3b3Jk'), undefined);
    assert.equal(service.recall('ivan:ivan-password'), undefined);
    // The same login and password under another text are verified again.
    assert.equal(await service.authenticate('ivan', 'ivan-password'), account.id);
    assert.equal(lookups(), 2);
    advance(60_001);
    assert.equal(service.recall('Basic aXZhbjppdmFuLXBhc3N3b3Jk'), undefined);
    await database.close();
  });

  test('a header is remembered as sent only as clients write it; its other spellings share one verification', async () => {
    const { service, database, lookups } = await setup();
    const account = await service.createAccount('judy', 'judy-passwords');
    const token = Buffer.from('judy:judy-passwords').toString('base64');
    assert.match(token, /=$/);
    assert.equal(await authenticateRequest(service, `Basic ${token}`), account.id);
    assert.equal(service.recall(`Basic ${token}`), account.id);
    for (const spelling of [`basic ${token}`, `Basic  ${token}`, `Basic ${token} `, `Basic ${token.replace(/=+$/, '')}`]) {
      assert.equal(await authenticateRequest(service, spelling), account.id, spelling);
      assert.equal(service.recall(spelling), undefined, spelling);
    }
    assert.equal(lookups(), 2);
    await database.close();
  });

  test('the cache never accepts a different password for a cached login', async () => {
    const { service, database } = await setup();
    await service.createAccount('frank', 'frank-password');
    await service.authenticate('frank', 'frank-password');
    await assert.rejects(async () => service.authenticate('frank', 'frank-passwore'), { name: 'UnauthorizedError' });
    await assert.rejects(async () => service.authenticate('frank', ''), { name: 'UnauthorizedError' });
    await database.close();
  });

  test('passwords are stored as scrypt hashes, never in clear', async () => {
    const { service, database } = await setup();
    await service.createAccount('gina', 'gina-password');
    const row = await database.db.selectFrom('credentials').selectAll().executeTakeFirstOrThrow();
    assert.match(row.password_hash, /^scrypt\$16384\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    assert.ok(!row.password_hash.includes('gina-password'));
    await database.close();
  });
});
