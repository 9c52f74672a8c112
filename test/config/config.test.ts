import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ConfigError, envToConfig } from '../../src/config/config.ts';

describe('configuration from the environment', () => {
  test('the job batch window is 5 ms on PostgreSQL and off on SQLite unless NUMBERD_JOB_BATCH_WINDOW_MS says otherwise', () => {
    assert.equal(envToConfig({ DATABASE_URL: 'postgres://numberd@db/numberd' }).worker.batchWindowMs, 5);
    assert.equal(envToConfig({ DATABASE_URL: 'postgresql://numberd@db/numberd' }).worker.batchWindowMs, 5);
    assert.equal(envToConfig({ DATABASE_URL: 'sqlite:./data/numberd.db' }).worker.batchWindowMs, 0);
    assert.equal(envToConfig({}).worker.batchWindowMs, 0, 'the default database is a SQLite file');
    assert.equal(envToConfig({ DATABASE_URL: 'sqlite:x.db', NUMBERD_JOB_BATCH_WINDOW_MS: '20' }).worker.batchWindowMs, 20);
    assert.equal(envToConfig({ DATABASE_URL: 'postgres://db/n', NUMBERD_JOB_BATCH_WINDOW_MS: '0' }).worker.batchWindowMs, 0);
  });

  test('a batch window that is not a whole number of milliseconds from 0 to 1000 is refused by name', () => {
    for (const bad of ['-1', '1001', '2.5', 'soon']) {
      assert.throws(() => envToConfig({ NUMBERD_JOB_BATCH_WINDOW_MS: bad }),
        (error: unknown) => error instanceof ConfigError && new RegExp(`NUMBERD_JOB_BATCH_WINDOW_MS must be an integer from 0 to 1000, got "${bad}"`).test(error.message));
    }
  });
});
