import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startHarness, type Harness } from '../support/harness.ts';

let h: Harness;
before(async () => { h = await startHarness(); });
after(() => h.close());

describe('authentication', () => {
  test('no credentials: 401 with a Basic challenge and a ResourceException, in XML or JSON', async () => {
    const xml = await h.call('GET', 'number/regions', { as: null });
    assert.equal(xml.status, 401);
    assert.match(String(xml.headers['www-authenticate']), /^Basic realm="[^"]+"/);
    assert.match(xml.text, /<r:ResourceException [^>]+><r:HttpStatus>401<\/r:HttpStatus><r:Message>[^<]+<\/r:Message><\/r:ResourceException>$/);
    const json = await h.call('POST', 'number/order.json', { as: null, form: { TollFreeCount: '1' } });
    assert.equal(json.status, 401);
    assert.equal(json.json.ResourceException.HttpStatus, 401);
  });

  test('a wrong password, an unknown login or a malformed header is refused, also after a good request was cached', async () => {
    const good = `Basic ${Buffer.from('alice:alice-password').toString('base64')}`;
    assert.equal((await h.call('GET', 'label.json', { as: null, headers: { authorization: good } })).status, 200);
    for (const authorization of [
      `Basic ${Buffer.from('alice:wrong').toString('base64')}`,
      `Basic ${Buffer.from('alice:alice-password ').toString('base64')}`,
      `Basic ${Buffer.from('mallory:alice-password').toString('base64')}`,
      `Basic ${Buffer.from('alice').toString('base64')}`,
      // Postgres cannot take U+0000 in a text parameter; no login holds one, so it is just wrong.
      `Basic ${Buffer.from('\u0000:alice-password').toString('base64')}`,
      'Bearer abc',
      'Basic !!!',
    ]) {
      const reply = await h.call('GET', 'label.json', { as: null, headers: { authorization } });
      assert.equal(reply.status, 401, authorization);
      assert.ok(reply.headers['www-authenticate']);
    }
  });

  test('a credential revoked through the admin API is refused at once, though it was just cached, however its header was spelled', async () => {
    assert.equal((await h.admin('POST', '/accounts/bob/credentials', { login: 'bob-app', password: 'bob-app-password' })).status, 201);
    const token = Buffer.from('bob-app:bob-app-password').toString('base64');
    // Two spellings of one credential: each header text is cached on its own.
    const spellings = [`Basic ${token}`, `basic  ${token}`];
    for (const authorization of spellings) {
      assert.equal((await h.call('GET', 'label.json', { as: null, headers: { authorization } })).status, 200, authorization);
    }
    assert.equal((await h.admin('DELETE', '/accounts/bob/credentials/bob-app')).status, 200);
    for (const authorization of spellings) {
      assert.equal((await h.call('GET', 'label.json', { as: null, headers: { authorization } })).status, 401, authorization);
    }
    assert.equal((await h.call('GET', 'label.json', { as: 'bob' })).status, 200, 'the account\'s other credential still works');
  });

  test('a credential login Basic authentication could never carry is refused, naming the login, and writes nothing', async () => {
    const before = await h.snapshot();
    for (const login of ['bob:app', 'bob app', '', 'x'.repeat(65)]) {
      const reply = await h.admin('POST', '/accounts/bob/credentials', { login, password: 'bob-app-password' });
      assert.equal(reply.status, 400, login);
      assert.match(JSON.stringify(reply.json), /login must be 1 to 64 letters, digits or \._@-/, login);
    }
    assert.equal(await h.snapshot(), before);
  });

  test('a login already used, even by a revoked credential, is refused with 409 and writes nothing', async () => {
    assert.equal((await h.admin('POST', '/accounts/bob/credentials', { login: 'bob-old', password: 'bob-old-password' })).status, 201);
    assert.equal((await h.admin('DELETE', '/accounts/bob/credentials/bob-old')).status, 200);
    const before = await h.snapshot();
    for (const [account, login] of [['bob', 'bob-old'], ['alice', 'bob-old'], ['alice', 'bob']]) {
      const reply = await h.admin('POST', `/accounts/${account}/credentials`, { login, password: 'new-password' });
      assert.equal(reply.status, 409, `${account} ${login}: ${JSON.stringify(reply.json)}`);
      assert.match(JSON.stringify(reply.json), new RegExp(`login ${login} is taken`));
    }
    const account = await h.admin('POST', '/accounts', { login: 'bob-old', password: 'new-password' });
    assert.equal(account.status, 409, JSON.stringify(account.json));
    assert.equal(await h.snapshot(), before);
  });

  test('a refused request writes nothing', async () => {
    const before = await h.snapshot();
    const reply = await h.call('POST', 'number/order', { as: null, headers: { authorization: `Basic ${Buffer.from('alice:nope').toString('base64')}` }, form: { TollFreeCount: '1' } });
    assert.equal(reply.status, 401);
    assert.equal(await h.snapshot(), before);
  });

  test('an unknown path under the REST base is a 404 ResourceException', async () => {
    const reply = await h.call('GET', 'number/nowhere/else.json');
    assert.equal(reply.status, 404);
    assert.match(reply.json.ResourceException.Message, /no operation GET/);
    const wrongMethod = await h.call('POST', 'number/search');
    assert.equal(wrongMethod.status, 404);
  });
});
