import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { eventually } from '../support/eventually.ts';
import { TEST_INVENTORY } from '../support/harness.ts';
import { startNumberd, type NumberdProcess } from '../support/numberd-process.ts';
import { basicAuth, seedDatabase } from '../support/seed.ts';
import { createTestDatabase, isPostgresPass } from '../support/test-database.ts';

const TOKEN = 'revocation-admin-token';
const running = new Set<NumberdProcess>();
after(async () => {
  for (const process of running) process.child.kill('SIGKILL');
});

describe('revoking a credential on PostgreSQL, with two API processes', { skip: !isPostgresPass && 'needs PostgreSQL (runs in the postgres pass)' }, () => {
  test('a credential another process had just verified and cached is refused there as soon as the revocation reaches it', async () => {
    const database = await createTestDatabase();
    await seedDatabase(database.url, { accounts: ['rosa'], inventory: TEST_INVENTORY, maxLocal: 6, maxTollFree: 2 });
    const env = { DATABASE_URL: database.url, NUMBERD_ADMIN_TOKEN: TOKEN };
    const revoking = await startNumberd('api', env);
    const caching = await startNumberd('api', env);
    running.add(revoking).add(caching);
    const admin = (method: string, path: string, body?: object) => fetch(`${revoking.url}/admin/v1${path}`, {
      method, headers: { authorization: `Bearer ${TOKEN}`, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body && JSON.stringify(body),
    });
    const labels = (authorization: string) => fetch(`${caching.url}/api/1.1/rest/label.json`, { headers: { authorization } }).then((reply) => reply.status);
    try {
      assert.equal((await admin('POST', '/accounts/rosa/credentials', { login: 'rosa-app', password: 'rosa-app-password' })).status, 201);
      const app = `Basic ${Buffer.from('rosa-app:rosa-app-password').toString('base64')}`;
      assert.equal(await labels(app), 200);
      assert.equal(await labels(app), 200);

      assert.equal((await admin('DELETE', '/accounts/rosa/credentials/rosa-app')).status, 200);
      // Its cache would trust the credential for a minute; the revocation reaches it through the database.
      assert.equal(await eventually(() => labels(app), (status) => status !== 200), 401);
      assert.equal(await labels(basicAuth('rosa')), 200, 'the account\'s own credential still works');
    } finally {
      for (const process of [revoking, caching]) {
        await process.kill('SIGTERM');
        running.delete(process);
      }
      await database.drop();
    }
  });
});
