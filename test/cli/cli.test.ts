import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { envToConfig } from '../../src/config/config.ts';
import { createContext } from '../../src/context.ts';
import { isPostgresPass } from '../support/test-database.ts';

const BIN = fileURLToPath(new URL('../../bin/numberd.js', import.meta.url));
const dir = mkdtempSync(path.join(tmpdir(), 'numberd-cli-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function numberd(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 60_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

// Its databases are sqlite: files it names itself, so the Postgres pass would only repeat it.
describe('numberd CLI', { skip: isPostgresPass && 'SQLite-only: runs in the sqlite pass' }, () => {
  test('--help lists the commands', () => {
    const result = numberd(['--help']);
    assert.equal(result.status, 0);
    for (const command of ['serve', 'migrate', 'accounts']) assert.match(result.stdout, new RegExp(`\\b${command}\\b`));
    assert.match(numberd(['accounts', 'create', '--help']).stdout, /--login <login>[\s\S]*--password <password>/);
  });

  test('accounts create makes a login that authenticates; bad input exits non-zero with a clear message', async () => {
    const url = `sqlite:${path.join(dir, 'accounts.db')}`;
    const created = numberd(['accounts', 'create', '--login', 'carol', '--password', 'carol-secret', '--json'], { DATABASE_URL: url });
    assert.equal(created.status, 0, created.stderr);
    assert.equal(JSON.parse(created.stdout).login, 'carol');

    const again = numberd(['accounts', 'create', '--login', 'carol', '--password', 'carol-secret'], { DATABASE_URL: url });
    assert.equal(again.status, 1);
    assert.match(again.stderr, /login carol is taken/);
    const short = numberd(['accounts', 'create', '--login', 'dave', '--password', 'short'], { DATABASE_URL: url });
    assert.equal(short.status, 1);
    assert.match(short.stderr, /password must be at least 8 characters/);
    const missing = numberd(['accounts', 'create', '--login', 'dave'], { DATABASE_URL: url });
    assert.notEqual(missing.status, 0);
    assert.match(missing.stderr, /--password/);
    const badUrl = numberd(['accounts', 'create', '--login', 'dave', '--password', 'long-enough'], { DATABASE_URL: 'mysql://x' });
    assert.equal(badUrl.status, 1);
    assert.match(badUrl.stderr, /DATABASE_URL must start with sqlite: or postgres:\/\//);

    const context = await createContext(envToConfig({ DATABASE_URL: url }));
    try {
      assert.equal(typeof (await context.services.accounts.authenticate('carol', 'carol-secret')), 'number');
      await assert.rejects(async () => context.services.accounts.authenticate('carol', 'wrong'), /credentials/);
    } finally {
      await context.close();
    }
  });

  test('serve seeds the demo inventory and account once, answers the demo login, and stops on SIGTERM', async () => {
    const env = { DATABASE_URL: `sqlite:${path.join(dir, 'serve.db')}`, PORT: '0', NUMBERD_DEMO_PASSWORD: 'demo-password' };
    const server = spawn(process.execPath, [BIN, 'serve'], { env: { ...process.env, ...env } });
    let stdout = '';
    server.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString(); });
    server.stderr.on('data', (chunk: Buffer) => { stdout += chunk.toString(); });
    const exited = new Promise<number | null>((resolve) => server.on('exit', resolve));
    try {
      const address = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no listening line in: ${stdout}`)), 60_000);
        const check = () => {
          const match = /listening on (http:\/\/[^\s]+)/.exec(stdout);
          if (match) { clearTimeout(timer); resolve(match[1]!); } else setTimeout(check, 50);
        };
        check();
      });
      assert.match(stdout, /demo inventory of \d+ numbers created/);
      assert.match(stdout, /demo account "demo" created/);
      const auth = { authorization: `Basic ${Buffer.from('demo:demo-password').toString('base64')}` };
      const regions = await (await fetch(`${address}/api/1.1/rest/number/regions.json?MaxResults=1000`, { headers: auth })).json();
      assert.ok(regions.ResourceList['@totalResults'] >= 300);
      const centers = new Set(regions.ResourceList.Region.map((r: any) => `${r.RateCenter}/${r.State}`));
      assert.ok(centers.size >= 100, `${centers.size} rate centers`);
      const tollFree = await (await fetch(`${address}/api/1.1/rest/number/search.json?TollFree=true&Count=1000`, { headers: auth })).json();
      const npas = new Set(tollFree.ResourceList.Number.map((n: any) => n.Number.slice(1, 4)));
      assert.deepEqual([...npas].sort(), ['800']);
      for (const npa of ['833', '844', '855', '866', '877', '888']) {
        const some = await (await fetch(`${address}/api/1.1/rest/number/search.json?TollFree=true&Prefix=1${npa}&Count=1`, { headers: auth })).json();
        assert.equal(some.ResourceList.Number.length, 1, npa);
      }
      const health = await fetch(`${address}/healthz`);
      assert.equal(health.status, 200);
    } finally {
      server.kill('SIGTERM');
    }
    assert.equal(await exited, 0);

    const context = await createContext(envToConfig({ DATABASE_URL: env.DATABASE_URL }));
    try {
      const local = await context.database.db.selectFrom('numbers').select((eb) => eb.fn.countAll<number>().as('n')).where('toll_free', '=', 0).executeTakeFirstOrThrow();
      assert.ok(Number(local.n) >= 50_000, `${local.n} local numbers`);
    } finally {
      await context.close();
    }
    const second = spawn(process.execPath, [BIN, 'serve'], { env: { ...process.env, ...env } });
    let secondOut = '';
    second.stdout.on('data', (chunk: Buffer) => { secondOut += chunk.toString(); });
    second.stderr.on('data', (chunk: Buffer) => { secondOut += chunk.toString(); });
    const secondExit = new Promise<number | null>((resolve) => second.on('exit', resolve));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`second start never listened: ${secondOut}`)), 60_000);
      second.on('exit', () => reject(new Error(`second start exited: ${secondOut}`)));
      const check = () => (/listening on/.test(secondOut) ? (clearTimeout(timer), resolve()) : setTimeout(check, 50));
      check();
    });
    second.kill('SIGTERM');
    assert.equal(await secondExit, 0);
    assert.doesNotMatch(secondOut, /demo inventory|demo account/, 'seeding happens once');
  });
});
