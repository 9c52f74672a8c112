import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { batcher } from '../../src/app/batcher.ts';

/** A run that records its inputs and answers each doubled, once `release` is called (at once by default). */
function recordingRun(options: { hold?: boolean; failOn?: number } = {}) {
  const runs: number[][] = [];
  const held: (() => void)[] = [];
  const run = async (inputs: number[]) => {
    runs.push(inputs);
    if (options.hold) await new Promise<void>((resolve) => held.push(resolve));
    if (options.failOn !== undefined && inputs.includes(options.failOn)) throw new Error(`cannot take ${options.failOn}`);
    return inputs.map((n) => n * 2);
  };
  return { run, runs, releaseAll: () => { for (const release of held.splice(0)) release(); } };
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

describe('batcher', () => {
  test('inputs of the same turn go to one run, and each caller gets its own answer', async () => {
    const { run, runs } = recordingRun();
    const call = batcher(run, { weightOf: () => 1, maxWeight: 100 });
    assert.deepEqual(await Promise.all([1, 2, 3].map(call)), [2, 4, 6]);
    assert.deepEqual(runs, [[1, 2, 3]]);
  });

  test('a run takes inputs up to the most weight, and an input heavier than that alone', async () => {
    const { run, runs } = recordingRun();
    const call = batcher(run, { weightOf: (n) => n, maxWeight: 5 });
    assert.deepEqual(await Promise.all([2, 3, 1, 9, 4].map(call)), [4, 6, 2, 18, 8]);
    assert.deepEqual(runs, [[2, 3], [1], [9], [4]]);
  });

  test('inputs arriving while a run is busy wait, and then go together', async () => {
    const { run, runs, releaseAll } = recordingRun({ hold: true });
    const call = batcher(run, { weightOf: () => 1, maxWeight: 100 });
    const first = call(1);
    await turn();
    const later = [call(2), turn().then(() => call(3))];
    await turn();
    await turn();
    assert.deepEqual(runs, [[1]], 'nothing else starts while a run is busy');
    releaseAll();
    assert.equal(await first, 2);
    await turn();
    releaseAll();
    assert.deepEqual(await Promise.all(later), [4, 6]);
    assert.deepEqual(runs, [[1], [2, 3]]);
  });

  test('when a run of several fails, each input runs alone and only the bad one fails', async () => {
    const { run, runs } = recordingRun({ failOn: 2 });
    const call = batcher(run, { weightOf: () => 1, maxWeight: 100 });
    const outcomes = await Promise.allSettled([1, 2, 3].map(call));
    assert.deepEqual(outcomes.map((o) => (o.status === 'fulfilled' ? o.value : (o.reason as Error).message)), [2, 'cannot take 2', 6]);
    assert.deepEqual(runs, [[1, 2, 3], [1], [2], [3]]);
  });
});
