import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CARRIER_KEYWORDS, DEFAULT_SHORT_CODE, isCarrierKeyword, normalizeKeyword } from '../../src/domain/keyword.ts';

const CARRIER_WORDS = ['STOP', 'HELP', 'END', 'QUIT', 'CANCEL', 'UNSUBSCRIBE', 'STOPALL', 'INFO'];

describe('normalizeKeyword', () => {
  test('a lower-case keyword is upper-cased', () => {
    assert.equal(normalizeKeyword('pizza'), 'PIZZA');
  });

  test('a mixed-case keyword is upper-cased', () => {
    assert.equal(normalizeKeyword('PiZzA'), 'PIZZA');
  });

  test('an upper-case keyword is unchanged', () => {
    assert.equal(normalizeKeyword('PIZZA'), 'PIZZA');
  });

  test('digits are allowed and kept', () => {
    assert.equal(normalizeKeyword('deal2day'), 'DEAL2DAY');
    assert.equal(normalizeKeyword('42'), '42');
  });

  test('surrounding spaces, tabs and newlines are trimmed', () => {
    assert.equal(normalizeKeyword('  pizza  '), 'PIZZA');
    assert.equal(normalizeKeyword('\tpizza\n'), 'PIZZA');
  });

  test('a two-character keyword is the shortest accepted', () => {
    assert.equal(normalizeKeyword('ab'), 'AB');
  });

  test('a one-character keyword is rejected', () => {
    assert.equal(normalizeKeyword('a'), undefined);
  });

  test('a one-character keyword padded with spaces is still rejected', () => {
    assert.equal(normalizeKeyword(' a '), undefined);
  });

  test('a 64-character keyword is the longest accepted', () => {
    assert.equal(normalizeKeyword('k'.repeat(64)), 'K'.repeat(64));
  });

  test('a 65-character keyword is rejected', () => {
    assert.equal(normalizeKeyword('k'.repeat(65)), undefined);
  });

  test('the empty string and whitespace alone are rejected', () => {
    assert.equal(normalizeKeyword(''), undefined);
    assert.equal(normalizeKeyword('   '), undefined);
  });

  for (const bad of ['piz za', 'pizza!', 'pi-zza', 'pizza.', 'piz_za', 'pizza,', "pizza's", 'pizza#1', 'café', 'pi\tzza']) {
    test(`a keyword containing punctuation or an inner space is rejected (${JSON.stringify(bad)})`, () => {
      assert.equal(normalizeKeyword(bad), undefined);
    });
  }
});

describe('carrier keywords', () => {
  test('the reserved set holds exactly the eight carrier words', () => {
    assert.deepEqual([...CARRIER_KEYWORDS].sort(), [...CARRIER_WORDS].sort());
  });

  for (const word of CARRIER_WORDS) {
    test(`${word} is flagged as a carrier keyword in upper, lower and mixed case`, () => {
      assert.equal(isCarrierKeyword(word), true);
      assert.equal(isCarrierKeyword(word.toLowerCase()), true);
      const mixed = [...word].map((c, i) => (i % 2 === 0 ? c.toLowerCase() : c)).join('');
      assert.equal(isCarrierKeyword(mixed), true, mixed);
    });
  }

  for (const word of ['PIZZA', 'STOPS', 'HELPME', 'ST', 'UNSUBSCRIB', 'INFOS', 'ALLSTOP']) {
    test(`${word} is not a carrier keyword`, () => {
      assert.equal(isCarrierKeyword(word), false);
    });
  }

  test('a normalized carrier word is still flagged', () => {
    const normalized = normalizeKeyword('  stop ');
    assert.equal(normalized, 'STOP');
    assert.equal(isCarrierKeyword(normalized!), true);
  });

  test('the default short code is 67076', () => {
    assert.equal(DEFAULT_SHORT_CODE, '67076');
  });
});
