import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { systemClock } from '../../src/app/clock.ts';
import { JobRunner, retryDelayMs } from '../../src/app/job-runner.ts';
import type { Store } from '../../src/app/ports.ts';
import { TestClock } from '../../src/app/test-clock.ts';
import { migrateToLatest, openDatabase } from '../../src/store/database.ts';
import { createKyselyStore } from '../../src/store/kysely-store.ts';
import { eventually } from '../support/eventually.ts';
import { createTestDatabase } from '../support/test-database.ts';

async function setup() {
  const testDatabase = await createTestDatabase();
  const database = openDatabase({ url: testDatabase.url });
  await migrateToLatest(database);
  const store = createKyselyStore(database);
  return { store, async close() { await store.close(); await testDatabase.drop(); } };
}

const OPTIONS = { concurrency: 1, batchSize: 1, pollIntervalMs: 600_000, lockTimeoutMs: 60_000 };

/** A runner of `work` jobs with the given batch window, and the `n` of each batch it ran, in order. */
function batchRecorder(store: Store, batchWindowMs: number) {
  const batches: number[][] = [];
  const runner = new JobRunner(store, systemClock, {
    work: async (payloads: { n: number }[]) => { batches.push(payloads.map((p) => p.n)); },
  }, { ...OPTIONS, batchSize: 32, batchWindowMs });
  return { runner, batches };
}

describe('JobRunner', () => {
  test('stop() takes no new job and waits for the one in progress to finish and be completed', async () => {
    const { store, close } = await setup();
    try {
      let release!: () => void;
      const started: number[] = [];
      const runner = new JobRunner(store, systemClock, {
        slow: async ([payload]: { n: number }[]) => {
          started.push(payload!.n);
          await new Promise<void>((resolve) => { release = resolve; });
        },
      }, OPTIONS);
      await store.jobs.enqueue('slow', [{ n: 1 }], new Date(), 3);
      await store.jobs.enqueue('slow', [{ n: 2 }], new Date(), 3);
      runner.start();
      while (started.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
      let stopped = false;
      const stopping = runner.stop().then(() => { stopped = true; });
      await new Promise((resolve) => setImmediate(resolve));
      assert.equal(stopped, false, 'stop waits for the job in progress');
      release();
      await stopping;
      assert.deepEqual(started, [1], 'no job is taken after stop()');
      const [left] = await store.jobs.claim('inspector', new Date(), new Date(0), 10);
      assert.deepEqual(left?.payload, { n: 2 }, 'the first job completed; the second is still queued, unlocked');
    } finally {
      await close();
    }
  });

  test('workers claiming at once never take the same job, and each claim counts one attempt', async () => {
    const { store, close } = await setup();
    try {
      const JOBS = 400;
      await store.jobs.enqueue('work', Array.from({ length: JOBS }, (_, n) => ({ n })), new Date(), 3);
      // Eight workers claiming small batches until none is left (on Postgres each on a connection of
      // its own): half with a statement alone, as the runner claims on Postgres, half in a
      // transaction, as it claims on SQLite.
      const claimed = await Promise.all(Array.from({ length: 8 }, async (_, w) => {
        const mine: { n: number; attempts: number }[] = [];
        const claim = (jobs: typeof store.jobs) => jobs.claim(`worker-${w}`, new Date(), new Date(0), 7);
        for (;;) {
          const jobs = await (w % 2 === 0 ? claim(store.jobs) : store.transaction((tx) => claim(tx.jobs)));
          if (jobs.length === 0) return mine;
          mine.push(...jobs.map((job) => ({ n: (job.payload as { n: number }).n, attempts: job.attempts })));
        }
      }));
      const all = claimed.flat();
      assert.equal(all.length, JOBS, 'every job claimed once');
      assert.deepEqual(new Set(all.map((job) => job.n)).size, JOBS, 'no job claimed twice');
      assert.ok(all.every((job) => job.attempts === 1));
      assert.ok(claimed.filter((mine) => mine.length > 0).length > 1, 'the claims ran side by side');
    } finally {
      await close();
    }
  });

  test('a job locked by a worker that died is taken over once the lock is older than the timeout, counting the attempt', async () => {
    const { store, close } = await setup();
    try {
      const t0 = new Date('2026-01-01T00:00:00Z');
      await store.jobs.enqueue('any', [{}], t0, 5);
      const [first] = await store.transaction((tx) => tx.jobs.claim('dead-worker', t0, new Date(t0.getTime() - 60_000), 10));
      assert.equal(first?.attempts, 1);
      const early = new Date(t0.getTime() + 59_000);
      assert.deepEqual(await store.transaction((tx) => tx.jobs.claim('heir', early, new Date(early.getTime() - 60_000), 10)), [], 'a fresh lock is respected');
      const late = new Date(t0.getTime() + 61_000);
      const [taken] = await store.transaction((tx) => tx.jobs.claim('heir', late, new Date(late.getTime() - 60_000), 10));
      assert.equal(taken?.id, first!.id);
      assert.equal(taken?.attempts, 2);
      // The dead worker's late completion must not remove a job it no longer holds.
      assert.equal(await store.jobs.complete([first!.id], 'dead-worker'), 0);
      const everythingStale = new Date(late.getTime() + 1);
      const [still] = await store.transaction((tx) => tx.jobs.claim('auditor', late, everythingStale, 10));
      assert.equal(still?.id, first!.id, 'the job survived the stale completion');
      assert.equal(await store.jobs.complete([first!.id], 'auditor'), 1);
      assert.deepEqual(await store.transaction((tx) => tx.jobs.claim('anyone', late, everythingStale, 10)), []);
    } finally {
      await close();
    }
  });

  test('one claim takes a batch, oldest first, into one call; when the batch fails each job runs alone, and only the failing one is retried later', async () => {
    const { store, close } = await setup();
    try {
      const calls: number[][] = [];
      const failedBatches: [string, number[]][] = [];
      const runner = new JobRunner(store, systemClock, {
        step: async (payloads: { n: number }[], tx) => {
          calls.push(payloads.map((p) => p.n));
          for (const { n } of payloads) {
            // Work done in the jobs' transaction: a marker job that must vanish if the job fails.
            await tx.jobs.enqueue('marker', [{ of: n }], new Date(Date.now() + 3_600_000), 1);
            if (n === 2) throw new Error('job 2 fails');
          }
        },
        marker: async () => {},
      }, { ...OPTIONS, batchSize: 3, onBatchFailed: (error, jobs) => failedBatches.push([String(error), jobs.map((job) => (job.payload as { n: number }).n)]) });
      const t0 = Date.now() - 10_000;
      for (const n of [3, 1, 2, 4]) await store.jobs.enqueue('step', [{ n }], new Date(t0 + n), 3);
      assert.equal(await runner.runOnce(), 4);
      // Alone, jobs run side by side (on Postgres each on its own connection), so those calls have no order.
      assert.deepEqual(calls[0], [1, 2, 3], 'the oldest three in one call');
      assert.deepEqual(calls.slice(1, 4).sort(), [[1], [2], [3]], 'after the batch failed, each of its jobs alone');
      assert.deepEqual(calls.slice(4), [[4]], 'the fourth in the next batch');
      assert.deepEqual(failedBatches, [['Error: job 2 fails', [1, 2, 3]]], 'the failed batch is reported once');
      const left = await store.transaction((tx) => tx.jobs.claim('inspector', new Date(Date.now() + 7_200_000), new Date(0), 10));
      assert.deepEqual(left.map((job) => job.payload as { n?: number; of?: number }).sort((a, b) => (a.n ?? a.of)! - (b.n ?? b.of)!),
        [{ of: 1 }, { n: 2 }, { of: 3 }, { of: 4 }], 'the failed job stays for a retry, without the marker its work wrote');
      assert.equal(left.find((job) => job.kind === 'step')?.attempts, 2, 'the failed attempt counted');
    } finally {
      await close();
    }
  });

  test('a job that fails its last attempt is given up at once: its kind\'s give-up runs in the transaction that removes it, and is retried if it fails', async () => {
    const { store, close } = await setup();
    try {
      const clock = new TestClock();
      const attempts: number[] = [];
      const givenUp: unknown[] = [];
      const outcomes: string[] = [];
      let giveUpFails = true;
      const runner = new JobRunner(store, clock, {
        doomed: async () => { throw new Error('never works'); },
        plain: async () => { throw new Error('never works either'); },
      }, {
        ...OPTIONS,
        giveUp: {
          doomed: async (payloads: { n: number }[], tx) => {
            attempts.push(-1);
            // Written in the give-up's transaction: it must vanish when the give-up fails.
            await tx.jobs.enqueue('marker', payloads, new Date(clock.now().getTime() + 86_400_000), 1);
            if (giveUpFails) throw new Error('the give-up fails once');
            givenUp.push(...payloads);
          },
        },
        onError: (_error, job) => { if (job.kind === 'doomed' && job.attempts <= job.maxAttempts) attempts.push(job.attempts); },
        onRunEnded: (job, outcome) => outcomes.push(`${job.kind} ${outcome}`),
      });
      await store.jobs.enqueue('doomed', [{ n: 7 }], clock.now(), 3);
      await store.jobs.enqueue('plain', [{ n: 8 }], clock.now(), 1);
      const pending = async () => (await store.transaction((tx) => tx.jobs.claim('inspector', new Date(clock.now().getTime() + 365 * 86_400_000), new Date(0), 10)))
        .map((job) => `${job.kind} ${job.attempts - 1}`).sort();

      await runner.runOnce();
      assert.deepEqual(attempts, [1], 'the first attempt failed and waits for its retry');
      clock.advance(retryDelayMs(1));
      await runner.runOnce();
      clock.advance(retryDelayMs(2));
      await runner.runOnce();
      assert.deepEqual(attempts, [1, 2, 3, -1], 'after the third and last attempt, the give-up ran at once');
      assert.deepEqual(givenUp, [], 'the give-up failed, and nothing it wrote stayed');
      clock.advance(retryDelayMs(1));
      giveUpFails = false;
      await runner.runOnce();
      assert.deepEqual(givenUp, [{ n: 7 }], 'the give-up was retried, with the job\'s payload');
      assert.deepEqual(outcomes.filter((o) => o.startsWith('doomed')), ['doomed failed', 'doomed failed', 'doomed failed', 'doomed failed', 'doomed gave_up']);
      assert.deepEqual(outcomes.filter((o) => o.startsWith('plain')), ['plain failed', 'plain gave_up'], 'a kind without a give-up is just removed after its last attempt');
      await runner.runOnce();
      assert.deepEqual(givenUp, [{ n: 7 }], 'given up once');
      assert.deepEqual(await pending(), ['marker 0'], 'both jobs are gone; the marker of the give-up that committed stays');
    } finally {
      await close();
    }
  });

  test('under a stream of jobs a loop gathers them for the batch window; after a batch of one or a pause it claims at once', async () => {
    const { store, close } = await setup();
    const { runner, batches } = batchRecorder(store, 400);
    const queue = async (n: number) => {
      await store.jobs.enqueue('work', [{ n }], new Date(), 3);
      runner.wake();
    };
    const ran = (count: number) => eventually(() => batches.length, (length) => length >= count, 5000);
    try {
      await store.jobs.enqueue('work', [{ n: 1 }, { n: 2 }], new Date(), 3);
      runner.start();
      await ran(1);
      // Three jobs queued one by one, each with its wake-up, right after a batch of two.
      for (const n of [3, 4, 5]) {
        await queue(n);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      await ran(2);
      assert.deepEqual(batches, [[1, 2], [3, 4, 5]], 'the three went in one batch, claimed after the window');

      // Idle again: two jobs queued together and one wake-up make a batch of two, claimed at once.
      // After it, past the window, a job is claimed at once, and so is one queued right after that batch of one.
      await new Promise((resolve) => setTimeout(resolve, 500));
      await store.jobs.enqueue('work', [{ n: 6 }, { n: 7 }], new Date(), 3);
      let started = performance.now();
      runner.wake();
      await ran(3);
      const idleClaim = performance.now() - started;
      await new Promise((resolve) => setTimeout(resolve, 500));
      started = performance.now();
      await queue(8);
      await ran(4);
      await queue(9);
      await ran(5);
      const afterPause = performance.now() - started;
      assert.deepEqual(batches.slice(2), [[6, 7], [8], [9]]);
      assert.ok(idleClaim < 400, `an idle loop waited ${Math.round(idleClaim)} ms, as long as a window`);
      assert.ok(afterPause < 400, `the jobs after a pause waited ${Math.round(afterPause)} ms, as long as a window`);
    } finally {
      await runner.stop();
      await close();
    }
  });

  test('stop() does not wait out a batch window', async () => {
    const { store, close } = await setup();
    const { runner, batches } = batchRecorder(store, 60_000);
    try {
      await store.jobs.enqueue('work', [{ n: 1 }, { n: 2 }], new Date(), 3);
      runner.start();
      await eventually(() => batches.length, (length) => length === 1, 5000);
      await store.jobs.enqueue('work', [{ n: 3 }], new Date(), 3);
      runner.wake();
      await new Promise((resolve) => setTimeout(resolve, 50));
      const stopped = await Promise.race([runner.stop().then(() => 'stopped'), new Promise((resolve) => setTimeout(resolve, 2000, 'still waiting'))]);
      assert.equal(stopped, 'stopped');
      assert.deepEqual(batches, [[1, 2]], 'the job queued during the window was left for later');
    } finally {
      await runner.stop();
      await close();
    }
  });
});
