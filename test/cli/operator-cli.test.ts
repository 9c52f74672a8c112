import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { eventually } from '../support/eventually.ts';
import { startNumberd } from '../support/numberd-process.ts';
import { basicAuth } from '../support/seed.ts';

const BIN = fileURLToPath(new URL('../../bin/numberd.js', import.meta.url));
const dir = mkdtempSync(path.join(tmpdir(), 'numberd-operator-'));
const DB = `sqlite:${path.join(dir, 'operator.db')}`;
after(() => rmSync(dir, { recursive: true, force: true }));

function numberd(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, DATABASE_URL: DB, ...env }, timeout: 60_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
const json = (args: string[], env?: Record<string, string>) => {
  const result = numberd([...args, '--json'], env);
  assert.equal(result.status, 0, `${args.join(' ')}: ${result.stderr}`);
  return JSON.parse(result.stdout);
};

const COMMANDS = [
  ['accounts', 'create'], ['accounts', 'list'], ['accounts', 'show'], ['credentials', 'add'], ['credentials', 'revoke'],
  ['funds', 'add'], ['prices', 'set'], ['policy', 'set'], ['orders', 'list'], ['orders', 'approve'], ['orders', 'reject'],
  ['orders', 'cancel'], ['ledger', 'check'], ['inventory', 'import'], ['inventory', 'stats'],
];

describe('operator CLI, straight to the database', () => {
  before(() => {
    json(['accounts', 'create', '--login', 'olga', '--password', 'olga-password']);
  });

  test('every command has --help mentioning --json', () => {
    for (const command of COMMANDS) {
      const result = numberd([...command, '--help']);
      assert.equal(result.status, 0, command.join(' '));
      assert.match(result.stdout, /--json/, command.join(' '));
    }
  });

  test('accounts, credentials, funds, prices, policy and the ledger check, in text and JSON', () => {
    assert.deepEqual(json(['accounts', 'list']).map((a: any) => a.login), ['olga']);
    assert.match(numberd(['accounts', 'show', '--login', 'olga']).stdout, /account olga \(id \d+\)\n {2}balance 0\.00, held 0\.00, available 0\.00/);
    assert.equal(json(['funds', 'add', '--login', 'olga', '--amount', '25.00']).balance, '25.00');
    assert.deepEqual(json(['policy', 'set', '--login', 'olga', '--tier-one', '100.00', '--tier-two', '1000.00']).policy, { tierOne: '100.00', tierTwo: '1000.00', creditLimit: null });
    assert.deepEqual(json(['prices', 'set', '--login', 'olga', '--local', '1.25', '--toll-free', '2.75']).prices, { local: '1.25', tollFree: '2.75', keyword: '5.50' });
    assert.deepEqual(json(['credentials', 'add', '--login', 'olga', '--credential', 'olga-app', '--password', 'app-password']).credentials, ['olga', 'olga-app']);
    assert.deepEqual(json(['credentials', 'revoke', '--login', 'olga', '--credential', 'olga-app']).credentials, ['olga']);
    assert.deepEqual(json(['ledger', 'check']), { balanced: true, mismatches: [] });
    assert.match(numberd(['ledger', 'check']).stdout, /ledger balanced/);
    assert.deepEqual(json(['orders', 'list']), []);
  });

  test('bad input exits non-zero with a message naming the problem', () => {
    const cases: [string[], RegExp][] = [
      [['funds', 'add', '--login', 'olga', '--amount', 'lots'], /amount must be an amount like "25.00"/],
      [['funds', 'add', '--login', 'nobody', '--amount', '1.00'], /no account nobody/],
      [['funds', 'add', '--login', 'olga'], /required option '--amount <amount>'/],
      [['policy', 'set', '--login', 'olga', '--tier-two', '5.00'], /tierTwo needs a tierOne/],
      [['prices', 'set', '--login', 'olga', '--local', 'free'], /local must be an amount/],
      [['orders', 'approve', 'abc', '--approver', 'x'], /order id must be a number/],
      [['orders', 'approve', '42', '--approver', 'x'], /order 42 does not exist/],
      [['orders', 'list', '--status', 'LOST'], /status must be one of/],
      [['credentials', 'revoke', '--login', 'olga', '--credential', 'ghost'], /no active credential ghost/],
      [['inventory', 'import', path.join(dir, 'missing.csv')], /ENOENT|no such file/],
      [['accounts', 'show', '--login', 'olga', '--url', 'http://127.0.0.1:9'], /admin token/],
    ];
    for (const [args, message] of cases) {
      const result = numberd(args);
      assert.notEqual(result.status, 0, args.join(' '));
      assert.match(result.stderr, message, args.join(' '));
    }
  });

  test('inventory import adds rows, counts duplicates, rejects bad lines with reasons, and stats count them', () => {
    const file = path.join(dir, 'inventory.csv');
    writeFileSync(file, [
      'number,city,state,zipcode,lata,rate_center,latitude,longitude,time_zone',
      '13125550100,CHICAGO,IL,60601,358,CHICAGO,41.8781,-87.6298,America/Chicago',
      '13125550101,CHICAGO,IL,60601,358,CHICAGO,41.8781,-87.6298,America/Chicago',
      '18885550100,,,,,,,,',
      '13125550100,CHICAGO,IL,60601,358,CHICAGO,41.8781,-87.6298,America/Chicago',
      '555,CHICAGO,IL,60601,358,CHICAGO,41.8781,-87.6298,America/Chicago',
      '16305550100,NAPERVILLE,IL,60540,358,NAPERVILLE,north,-88.1,America/Chicago',
      '',
    ].join('\n'));
    const result = numberd(['inventory', 'import', file, '--json']);
    assert.equal(result.status, 3, result.stderr);
    const report = JSON.parse(result.stdout);
    assert.equal(report.rows, 6);
    assert.equal(report.added, 3);
    assert.equal(report.duplicates, 1);
    assert.deepEqual(report.rejected, [
      { line: 6, reason: '"555" is not an 11-digit North American number' },
      { line: 7, reason: 'latitude "north" is not a number from -90 to 90' },
    ]);
    const again = numberd(['inventory', 'import', file]);
    assert.match(again.stdout, /6 rows: 0 added, 4 duplicates, 2 rejected\n {2}line 6: /);
    const stats = json(['inventory', 'stats']);
    assert.equal(stats.regions, 1);
    assert.deepEqual(stats.numbers, [{ state: 'AVAILABLE', tollFree: false, count: 2 }, { state: 'AVAILABLE', tollFree: true, count: 1 }]);
    const wrongHeader = path.join(dir, 'wrong.csv');
    writeFileSync(wrongHeader, 'phone,city\n13125550199,CHICAGO\n');
    const bad = numberd(['inventory', 'import', wrongHeader]);
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /the first line must be the header number,city/);
  });

  test('inventory import reads every field of rows that repeat the row above, across the reader thread\'s messages', () => {
    // Every row starts a new region with the fields of the row above; from row 1,500 the latitude
    // is bad, then good again on the last row. A field read wrong anywhere shows in the report.
    const chicago = 'CHICAGO,IL,60601,358,CHICAGO,41.8781,-87.6298,America/Chicago';
    const lines = Array.from({ length: 2001 }, (_, i) => {
      const number = `1${['312', '630', '773'][Math.floor(i / 700)]}${200 + (i % 700)}0100`;
      return `${number},${i >= 1500 && i < 2000 ? chicago.replace('41.8781', 'north') : chicago}`;
    });
    const file = path.join(dir, 'repeated.csv');
    writeFileSync(file, ['number,city,state,zipcode,lata,rate_center,latitude,longitude,time_zone', ...lines].join('\n'));
    const env = { DATABASE_URL: `sqlite:${path.join(dir, 'repeated.db')}` };
    const result = numberd(['inventory', 'import', file, '--json'], env);
    assert.equal(result.status, 3, result.stderr);
    const report = JSON.parse(result.stdout);
    assert.equal(report.added, 1501);
    assert.deepEqual(report.rejected, Array.from({ length: 500 }, (_, i) => ({ line: 1502 + i, reason: 'latitude "north" is not a number from -90 to 90' })));
    assert.equal(json(['inventory', 'stats'], env).regions, 1501);
  });
});

describe('operator CLI against a running server', () => {
  test('the same commands work through the admin API with --url and the token', async () => {
    const env = { ...process.env, DATABASE_URL: `sqlite:${path.join(dir, 'served.db')}`, PORT: '0', NUMBERD_ADMIN_TOKEN: 'cli-token', NUMBERD_DEMO: '0' };
    const server = spawn(process.execPath, [BIN, 'serve'], { env });
    let out = '';
    server.stdout.on('data', (chunk: Buffer) => { out += chunk.toString(); });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(out)), 60_000);
        const check = () => { const m = /listening on (\S+)/.exec(out); if (m) { clearTimeout(timer); resolve(m[1]!); } else setTimeout(check, 50); };
        check();
      });
      const remote = { NUMBERD_URL: url, NUMBERD_ADMIN_TOKEN: 'cli-token' };
      assert.equal(json(['accounts', 'create', '--login', 'remote', '--password', 'remote-password'], remote).login, 'remote');
      assert.equal(json(['funds', 'add', '--login', 'remote', '--amount', '3.00'], remote).balance, '3.00');
      assert.deepEqual(json(['ledger', 'check'], remote), { balanced: true, mismatches: [] });
      const wrong = numberd(['funds', 'add', '--login', 'remote', '--amount', '1.00'], { ...remote, NUMBERD_ADMIN_TOKEN: 'nope' });
      assert.equal(wrong.status, 1);
      assert.match(wrong.stderr, /admin bearer token/);
      const file = path.join(dir, 'remote.csv');
      writeFileSync(file, 'number,city,state,zipcode,lata,rate_center,latitude,longitude,time_zone\n18445550100,,,,,,,,\n');
      assert.equal(json(['inventory', 'import', file], remote).added, 1);
      assert.deepEqual(json(['inventory', 'stats'], remote).numbers, [{ state: 'AVAILABLE', tollFree: true, count: 1 }]);
    } finally {
      server.kill('SIGTERM');
    }
  });
});

describe('operator CLI straight to the database of a busy server', () => {
  test('the CLI and the server write to one file at once: each waits for the other instead of failing with "database is locked"', async () => {
    const url = `sqlite:${path.join(dir, 'busy.db')}`;
    json(['accounts', 'create', '--login', 'busy', '--password', 'busy-password'], { DATABASE_URL: url });
    const server = await startNumberd('all', { DATABASE_URL: url });
    // Orders keep the server writing (each creates, then processes, in its own transactions) while
    // the CLI, another process, writes to the same file.
    let writing = true;
    const load = Array.from({ length: 8 }, async () => {
      while (writing) {
        const answer = await fetch(`${server.url}/api/1.1/rest/number/order.json`, {
          method: 'POST', headers: { authorization: basicAuth('busy'), 'content-type': 'application/x-www-form-urlencoded' }, body: 'LocalCount=1',
        });
        assert.equal(answer.status, 201, await answer.text());
      }
    });
    try {
      const runs: { status: number | null; stderr: string }[] = [];
      for (let i = 0; i < 10; i++) runs.push(await cliAsync(['funds', 'add', '--login', 'busy', '--amount', '1.00'], { DATABASE_URL: url }));
      writing = false;
      // Every order answered 201 meanwhile, and every CLI run succeeded.
      await Promise.all(load);
      assert.deepEqual(runs.filter((run) => run.status !== 0), []);
      assert.equal(json(['accounts', 'show', '--login', 'busy'], { DATABASE_URL: url }).balance, '10.00');
    } finally {
      writing = false;
      await Promise.allSettled(load);
      await server.kill('SIGTERM');
    }
  });

  test('a credential the CLI revokes in the file is refused by the running server within its next check, though the server had cached it', async () => {
    const url = `sqlite:${path.join(dir, 'revoked.db')}`;
    json(['accounts', 'create', '--login', 'pia', '--password', 'pia-password'], { DATABASE_URL: url });
    json(['credentials', 'add', '--login', 'pia', '--credential', 'pia-app', '--password', 'pia-app-password'], { DATABASE_URL: url });
    const server = await startNumberd('all', { DATABASE_URL: url });
    const labels = (login: string, password: string) => fetch(`${server.url}/api/1.1/rest/label.json`, {
      headers: { authorization: `Basic ${Buffer.from(`${login}:${password}`).toString('base64')}` },
    }).then((answer) => answer.status);
    try {
      assert.equal(await labels('pia-app', 'pia-app-password'), 200);
      assert.equal((await cliAsync(['credentials', 'revoke', '--login', 'pia', '--credential', 'pia-app'], { DATABASE_URL: url })).status, 0);
      // The server's cache would trust the credential for a minute; it checks cached logins every second.
      assert.equal(await eventually(() => labels('pia-app', 'pia-app-password'), (status) => status !== 200), 401);
      assert.equal(await labels('pia', 'pia-password'), 200);
    } finally {
      await server.kill('SIGTERM');
    }
  });
});

/** The CLI without blocking this process's event loop (spawnSync would stop the load above). */
function cliAsync(args: string[], env: Record<string, string>): Promise<{ status: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, ...env } });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
    child.on('exit', (status) => resolve({ status, stderr }));
  });
}
