import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { centsToNumber, formatAmount, formatCallfireFloat, parseAmount } from '../../src/domain/money.ts';

describe('parseAmount', () => {
  const accepted: [string, number][] = [
    ['25', 2500],
    ['25.5', 2550],
    ['25.00', 2500],
    ['25.05', 2505],
    ['25.50', 2550],
    ['0', 0],
    ['0.01', 1],
    ['0.1', 10],
    ['007', 700],
    [' 25.5 ', 2550],
    ['999999999.99', 99999999999],
  ];
  for (const [text, cents] of accepted) {
    test(`parseAmount(${JSON.stringify(text)}) is ${cents} cents`, () => {
      assert.equal(parseAmount(text), cents);
    });
  }

  const rejected: [string, string][] = [
    ['1.234', 'three decimals'],
    ['-1', 'a negative amount'],
    ['abc', 'letters'],
    ['', 'the empty string'],
    ['   ', 'only whitespace'],
    ['25.', 'a trailing decimal point'],
    ['.5', 'a missing whole part'],
    ['1,000', 'a thousands separator'],
    ['1e3', 'exponent notation'],
    ['+1', 'a plus sign'],
    ['$25', 'a currency symbol'],
    ['1000000000', 'more than nine whole digits'],
    ['25 .5', 'an inner space'],
  ];
  for (const [text, why] of rejected) {
    test(`parseAmount rejects ${why} (${JSON.stringify(text)})`, () => {
      assert.equal(parseAmount(text), undefined);
    });
  }

  test('every parsed amount is an integer number of cents', () => {
    for (let whole = 0; whole < 3; whole++) {
      for (let fraction = 0; fraction < 100; fraction++) {
        const text = `${whole}.${String(fraction).padStart(2, '0')}`;
        const cents = parseAmount(text);
        assert.equal(cents, whole * 100 + fraction, text);
        assert.ok(Number.isInteger(cents), text);
      }
    }
  });
});

describe('formatAmount', () => {
  const examples: [number, string][] = [
    [2500, '25.00'],
    [2550, '25.50'],
    [2505, '25.05'],
    [0, '0.00'],
    [1, '0.01'],
    [99, '0.99'],
    [100, '1.00'],
    [123456, '1234.56'],
    [-150, '-1.50'],
    [-5, '-0.05'],
  ];
  for (const [cents, text] of examples) {
    test(`formatAmount(${cents}) is "${text}"`, () => {
      assert.equal(formatAmount(cents), text);
    });
  }

  test('formatAmount and parseAmount round-trip every amount from 0 to 100.00', () => {
    for (let cents = 0; cents <= 10_000; cents++) assert.equal(parseAmount(formatAmount(cents)), cents);
  });
});

describe('formatCallfireFloat', () => {
  const examples: [number, string][] = [
    [150, '1.5'],
    [300, '3.0'],
    [825, '8.25'],
    [0, '0.0'],
    [1000, '10.0'],
    [550, '5.5'],
    [5, '0.05'],
    [10, '0.1'],
    [100, '1.0'],
    [1005, '10.05'],
    [1010, '10.1'],
  ];
  for (const [cents, text] of examples) {
    test(`formatCallfireFloat(${cents}) is "${text}"`, () => {
      assert.equal(formatCallfireFloat(cents), text);
    });
  }

  test('every CallFire float has one or two decimals, no trailing zero beyond the first, and reads back as the same value', () => {
    for (let cents = 0; cents <= 10_000; cents++) {
      const text = formatCallfireFloat(cents);
      assert.match(text, /^\d+\.(\d|\d[1-9])$/, text);
      assert.equal(Math.round(Number(text) * 100), cents, text);
    }
  });
});

describe('centsToNumber', () => {
  test('centsToNumber converts cents to a decimal number of dollars', () => {
    assert.equal(centsToNumber(825), 8.25);
    assert.equal(centsToNumber(0), 0);
    assert.equal(centsToNumber(1000), 10);
  });
});
