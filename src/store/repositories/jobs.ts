import { type Kysely, type QueryCreator, type RawBuilder, sql } from 'kysely';
import type { JobRecord, JobRepository } from '../../app/ports.ts';
import { JOBS_CHANNEL, type StoreCapabilities } from '../capabilities.ts';
import { preparedPerShape } from '../prepared.ts';
import type { Database } from '../schema.ts';

/*
 * The job queue. The lock is data (locked_by/locked_at), not an open transaction, so a
 * crashed worker's job is taken over once its lock is stale; attempts count at claim time.
 */

/** A job per payload, the first `count` of them, all of one kind, time and number of attempts. */
function newJobs(db: QueryCreator<Database>, count: number, kind: string, runAt: number, maxAttempts: number, payloads: string[]) {
  return db.insertInto('jobs').values(payloads.slice(0, count).map((payload) => ({
    kind, payload, run_at: runAt, attempts: 0, max_attempts: maxAttempts, locked_at: null, locked_by: null, last_error: null, created_at: runAt,
  })));
}
const insertJobs = preparedPerShape(String, (db, count: number, kind: string, runAt: number, maxAttempts: number, ...payloads: string[]) =>
  newJobs(db, count, kind, runAt, maxAttempts, payloads));
/** Notifies once per statement, not per row: the last slot holds the channel. */
const insertJobsAndNotify = preparedPerShape(String, (db, count: number, kind: string, runAt: number, maxAttempts: number, ...payloadsAndChannel: string[]) =>
  db.with('added', (w) => newJobs(w, count, kind, runAt, maxAttempts, payloadsAndChannel).returning('id'))
    .selectNoFrom(sql<void>`pg_notify(${payloadsAndChannel[count]}, ${kind})`.as('notified')));
/**
 * The statements that find, lock and remove jobs are not named statements on Postgres: the queue
 * is small while it keeps up, so a plan kept from then scans the whole table, and would go on doing
 * so through a backlog of thousands until autovacuum's next analyze. Planned each time, they follow its size.
 */
const UNNAMED = { named: false };
const deleteJobs = preparedPerShape(String, (db, count: number, workerId: string, ...ids: number[]) =>
  db.deleteFrom('jobs').where('id', 'in', ids.slice(0, count)).where('locked_by', '=', workerId), UNNAMED);

/** Due jobs no live worker holds, oldest first; those past their last attempt too, to be given up. */
function dueJobs(db: QueryCreator<Database>, now: number, staleBefore: number, limit: RawBuilder<number>) {
  return db.selectFrom('jobs').select('id')
    .where('run_at', '<=', now)
    .where((eb) => eb.or([eb('locked_at', 'is', null), eb('locked_at', '<', staleBefore)]))
    .orderBy('run_at').orderBy('id').limit(limit);
}
/** What a claim writes into each job it takes. */
function claimedBy(workerId: string, now: number) {
  return { locked_by: workerId, locked_at: now, attempts: sql<number>`attempts + 1` };
}
// The batch size is written into the SQL: SQLite runs `limit ?` in a subquery several times slower.
// SQLite: one writer at a time, and a single write statement takes the write lock at once
// (a read-then-write transaction could fail to upgrade while another process writes).
const claimDue = preparedPerShape(String, (db, limit: number, workerId: string, now: number, staleBefore: number) =>
  db.updateTable('jobs').set(claimedBy(workerId, now)).where('id', 'in', dueJobs(db, now, staleBefore, sql.lit(limit))).returningAll());
// Postgres: lock due rows, skipping rows other workers hold, and update those. The pick is a
// materialized CTE, run once: a LIMIT subquery inside the UPDATE itself may be re-run by the
// recheck of a concurrently updated row and pick other jobs. One statement, so a claim needs no
// transaction of its own: one round trip instead of four (begin, pick, update, commit).
const claimDueSkippingLocked = preparedPerShape(String, (db, limit: number, workerId: string, now: number, staleBefore: number) =>
  db.with((cte) => cte('picked').materialized(), (w) => dueJobs(w, now, staleBefore, sql.lit(limit)).forUpdate().skipLocked())
    .updateTable('jobs').set(claimedBy(workerId, now))
    .from('picked').whereRef('jobs.id', '=', 'picked.id')
    .returningAll('jobs'), UNNAMED);

export function createJobRepository(db: Kysely<Database>, caps: StoreCapabilities): JobRepository {
  return {
    async enqueue(kind: string, payloads: readonly unknown[], runAt: Date, maxAttempts: number): Promise<void> {
      if (payloads.length === 0) return;
      const texts = payloads.map((payload) => JSON.stringify(payload));
      // The notification is delivered at commit, and only if the transaction commits: workers in
      // every process look at once. Sent by the insert itself, which spares a round trip.
      if (caps.supportsListenNotify) await insertJobsAndNotify(db, texts.length, kind, runAt.getTime(), maxAttempts, ...texts, JOBS_CHANNEL);
      else await insertJobs(db, texts.length, kind, runAt.getTime(), maxAttempts, ...texts);
    },

    async claim(workerId: string, now: Date, staleBefore: Date, limit: number): Promise<JobRecord[]> {
      const { rows } = await (caps.supportsSkipLocked ? claimDueSkippingLocked : claimDue)(db, limit, workerId, now.getTime(), staleBefore.getTime());
      return rows
        .map((row) => ({ id: Number(row.id), kind: row.kind, payload: JSON.parse(row.payload), attempts: row.attempts, maxAttempts: row.max_attempts, runAt: row.run_at }))
        .sort((a, b) => a.runAt - b.runAt || a.id - b.id)
        .map(({ runAt: _, ...job }) => job);
    },

    async complete(ids: readonly number[], workerId: string): Promise<number> {
      if (ids.length === 0) return 0;
      const result = await deleteJobs(db, ids.length, workerId, ...ids);
      return Number(result.numAffectedRows!);
    },
    async fail(id: number, workerId: string, error: string, retryAt: Date): Promise<void> {
      await db.updateTable('jobs')
        .set({ last_error: error, run_at: retryAt.getTime(), locked_at: null, locked_by: null })
        .where('id', '=', id).where('locked_by', '=', workerId).execute();
    },
  };
}
