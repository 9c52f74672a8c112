import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { dayOf, leaseEndFor, nextDay } from '../../src/domain/lease.ts';

/** Independent calendar arithmetic, so the properties below do not reuse the code under test. */
function isLeap(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}
function daysIn(year: number, month: number): number {
  return [31, isLeap(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;
}
function day(year: number, month: number, dayOfMonth: number): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(dayOfMonth).padStart(2, '0')}`;
}
function parts(text: string): [number, number, number] {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  assert.ok(match, `"${text}" is a YYYY-MM-DD day`);
  return [Number(match[1]), Number(match[2]), Number(match[3])];
}
function daysBetween(a: string, b: string): number {
  return (Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000;
}
function everyDayOf(years: readonly number[]): string[] {
  const days: string[] = [];
  for (const year of years) {
    for (let month = 1; month <= 12; month++) {
      for (let d = 1; d <= daysIn(year, month); d++) days.push(day(year, month, d));
    }
  }
  return days;
}

describe('leaseEndFor', () => {
  const examples: [string, string, string][] = [
    ['2016-04-20', '2016-05-19', 'an ordinary mid-month start ends the day before the same day next month'],
    ['2016-01-31', '2016-02-28', 'a January 31 start in a leap year clamps to February 29 and ends February 28'],
    ['2015-01-31', '2015-02-27', 'a January 31 start in a common year clamps to February 28 and ends February 27'],
    ['2016-12-15', '2017-01-14', 'a December start ends in January of the next year'],
    ['2016-03-31', '2016-04-29', 'a March 31 start clamps to April 30 and ends April 29'],
    ['2016-02-29', '2016-03-28', 'a leap-day start ends March 28'],
    ['2016-01-01', '2016-01-31', 'a lease starting on the first ends on the last day of the same month'],
    ['2016-12-31', '2017-01-30', 'a December 31 start ends January 30 of the next year'],
    ['2016-01-30', '2016-02-28', 'a January 30 start in a leap year clamps to February 29 and ends February 28'],
    ['2016-01-29', '2016-02-28', 'a January 29 start in a leap year needs no clamping and ends February 28'],
    ['2015-01-29', '2015-02-27', 'a January 29 start in a common year clamps to February 28 and ends February 27'],
    ['2016-05-31', '2016-06-29', 'a May 31 start clamps to June 30 and ends June 29'],
    ['2016-07-31', '2016-08-30', 'a July 31 start needs no clamping since August has 31 days'],
    ['2000-01-31', '2000-02-28', 'the year 2000 is a leap year (divisible by 400)'],
    ['2100-01-31', '2100-02-27', 'the year 2100 is not a leap year (divisible by 100)'],
  ];
  for (const [begin, end, why] of examples) {
    test(`leaseEndFor(${begin}) is ${end}: ${why}`, () => {
      assert.equal(leaseEndFor(begin), end);
    });
  }

  test('for every day of 2016 and 2017 the lease ends after it begins and within 31 days', () => {
    for (const begin of everyDayOf([2016, 2017])) {
      const end = leaseEndFor(begin);
      parts(end);
      const length = daysBetween(begin, end);
      assert.ok(end > begin, `${begin} -> ${end} ends after it begins`);
      assert.ok(length >= 1 && length <= 31, `${begin} -> ${end} is ${length} days`);
    }
  });

  test('for every day of 2016 and 2017 the next period begins on the same day next month, clamped to that month\'s last day', () => {
    // Per the doc comment: end = (same day next month, clamped to next month's last day) - 1 day,
    // so nextDay(end) is always in the month immediately following the start month.
    for (const begin of everyDayOf([2016, 2017])) {
      const [y, m, d] = parts(begin);
      const nextYear = m === 12 ? y + 1 : y;
      const nextMonth = m === 12 ? 1 : m + 1;
      const expected = day(nextYear, nextMonth, Math.min(d, daysIn(nextYear, nextMonth)));
      assert.equal(nextDay(leaseEndFor(begin)), expected, `lease beginning ${begin}`);
    }
  });

  test('consecutive leases chained from a month-end start never drift into a later month', () => {
    let begin = '2016-01-31';
    const starts: string[] = [begin];
    for (let i = 0; i < 13; i++) {
      begin = nextDay(leaseEndFor(begin));
      starts.push(begin);
    }
    assert.deepEqual(starts.map((s) => s.slice(0, 7)), [
      '2016-01', '2016-02', '2016-03', '2016-04', '2016-05', '2016-06', '2016-07',
      '2016-08', '2016-09', '2016-10', '2016-11', '2016-12', '2017-01', '2017-02',
    ]);
  });
});

describe('nextDay', () => {
  const examples: [string, string, string][] = [
    ['2016-04-20', '2016-04-21', 'within a month'],
    ['2016-04-30', '2016-05-01', 'across the end of a 30-day month'],
    ['2016-05-31', '2016-06-01', 'across the end of a 31-day month'],
    ['2016-12-31', '2017-01-01', 'across a year boundary'],
    ['2016-02-28', '2016-02-29', 'into a leap day'],
    ['2016-02-29', '2016-03-01', 'out of a leap day'],
    ['2015-02-28', '2015-03-01', 'across February in a common year'],
    ['2100-02-28', '2100-03-01', 'across February in a century common year'],
    ['2000-02-28', '2000-02-29', 'into the leap day of a 400-divisible year'],
  ];
  for (const [from, to, why] of examples) {
    test(`nextDay(${from}) is ${to} (${why})`, () => {
      assert.equal(nextDay(from), to);
    });
  }

  test('nextDay walks every day of 2016 and 2017 in order without skipping or repeating', () => {
    const days = everyDayOf([2016, 2017]);
    for (let i = 0; i + 1 < days.length; i++) assert.equal(nextDay(days[i]!), days[i + 1]);
    assert.equal(days.length, 366 + 365);
  });
});

describe('dayOf', () => {
  test('dayOf gives the UTC calendar day of an instant', () => {
    assert.equal(dayOf(new Date('2016-04-20T12:34:56Z')), '2016-04-20');
  });

  test('dayOf uses UTC even when the instant was written with a negative offset', () => {
    assert.equal(dayOf(new Date('2016-04-20T23:30:00-02:00')), '2016-04-21');
  });

  test('dayOf uses UTC even when the instant was written with a positive offset', () => {
    assert.equal(dayOf(new Date('2016-04-21T00:30:00+02:00')), '2016-04-20');
  });

  test('dayOf keeps the last millisecond of a day on that day', () => {
    assert.equal(dayOf(new Date('2016-12-31T23:59:59.999Z')), '2016-12-31');
    assert.equal(dayOf(new Date('2017-01-01T00:00:00.000Z')), '2017-01-01');
  });
});
