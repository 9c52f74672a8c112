import type { Clock } from './ports.ts';

/**
 * Real time plus an offset that only grows. Enabled by NUMBERD_TEST_CLOCK for tests and for
 * sandboxes, where months of renewals should pass in a request.
 */
export class TestClock implements Clock {
  private offsetMs = 0;

  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  advance(ms: number): Date {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError('the clock only moves forward');
    this.offsetMs += ms;
    return this.now();
  }
}
