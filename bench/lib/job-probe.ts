import SqliteDatabase from 'better-sqlite3';
import pg from 'pg';

/** Counts the jobs still in the queue, read straight from the database the server uses. */
export interface JobProbe {
  pending(): Promise<number>;
  close(): Promise<void>;
}

export async function openJobProbe(databaseUrl: string): Promise<JobProbe> {
  if (databaseUrl.startsWith('sqlite:')) {
    // Read-only in WAL mode: it never blocks the server's writer.
    const db = new SqliteDatabase(databaseUrl.slice('sqlite:'.length), { readonly: true });
    const statement = db.prepare('select count(*) as n from jobs');
    return {
      pending: async () => Number((statement.get() as { n: number }).n),
      close: async () => { db.close(); },
    };
  }
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  return {
    pending: async () => Number((await client.query<{ n: string }>('select count(*) as n from jobs')).rows[0]!.n),
    close: () => client.end(),
  };
}

/** Polls until the queue is empty; the time it became empty, or null after `timeoutMs`. */
export async function waitForEmptyQueue(probe: JobProbe, timeoutMs: number): Promise<number | null> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    if ((await probe.pending()) === 0) return performance.now();
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return null;
}
