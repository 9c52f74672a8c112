import { randomBytes } from 'node:crypto';
import pg from 'pg';

export interface TestDatabase {
  url: string;
  /** Removes the database (Postgres) once every connection to it is closed or forced off. */
  drop(): Promise<void>;
}

/** The Postgres server of this test pass, when there is one (set by test/run.ts). */
export const TEST_POSTGRES_URL = process.env.NUMBERD_TEST_DATABASE_URL;

export const isPostgresPass = TEST_POSTGRES_URL !== undefined && TEST_POSTGRES_URL !== '';

/**
 * A fresh, empty database for one harness or test: an in-memory SQLite database, or on the
 * Postgres pass a new database on the shared server, so test files never see each other's rows.
 */
export async function createTestDatabase(sqliteUrl = 'sqlite::memory:'): Promise<TestDatabase> {
  if (!isPostgresPass) return { url: sqliteUrl, drop: async () => {} };
  const name = `numberd_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  await adminQuery(`create database ${name}`);
  const url = new URL(TEST_POSTGRES_URL!);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => adminQuery(`drop database if exists ${name} with (force)`),
  };
}

async function adminQuery(text: string): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_POSTGRES_URL });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}
