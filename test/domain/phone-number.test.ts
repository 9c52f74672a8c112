import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { RATE_CENTERS } from '../../src/store/demo/rate-centers.ts';
import { TOLL_FREE_NPAS, isTollFree, nationalFormat, normalizeNumber, normalizePrefix } from '../../src/domain/phone-number.ts';

describe('normalizeNumber', () => {
  const accepted: [string, string, string][] = [
    ['13105551212', '13105551212', 'an 11-digit number with country code 1 is kept as is'],
    ['+13105551212', '13105551212', 'a leading plus is dropped'],
    ['3105551212', '13105551212', 'a 10-digit national number gains country code 1'],
    ['  13105551212  ', '13105551212', 'surrounding whitespace is trimmed'],
    [' +13105551212\n', '13105551212', 'whitespace around a plus form is trimmed'],
    ['18005551212', '18005551212', 'a toll-free number is accepted'],
    ['2125550000', '12125550000', 'the lowest valid area-code digit 2 is accepted'],
    ['9995550000', '19995550000', 'the highest area-code digit 9 is accepted'],
  ];
  for (const [input, expected, why] of accepted) {
    test(`normalizeNumber(${JSON.stringify(input)}) is ${expected}: ${why}`, () => {
      assert.equal(normalizeNumber(input), expected);
    });
  }

  const rejected: [string, string][] = [
    ['31055512', 'eight digits'],
    ['310555121', 'nine digits'],
    ['131055512121', 'twelve digits'],
    ['', 'the empty string'],
    ['   ', 'only whitespace'],
    ['+', 'a lone plus'],
    ['310555CALL', 'letters in the number'],
    ['1310555121a', 'a trailing letter'],
    ['abcdefghij', 'only letters'],
    ['0105551212', 'a 10-digit number whose area code starts with 0'],
    ['1105551212', 'a 10-digit number whose area code starts with 1'],
    ['10105551212', 'an 11-digit number whose area code starts with 0'],
    ['11105551212', 'an 11-digit number whose area code starts with 1'],
    ['23105551212', 'an 11-digit number with country code 2'],
    ['++13105551212', 'two leading pluses'],
    ['(310) 555-1212', 'punctuation and spaces inside the number'],
    ['310-555-1212', 'dashes inside the number'],
    ['1 310 555 1212', 'spaces inside the number'],
    ['13105551212+', 'a trailing plus'],
  ];
  for (const [input, why] of rejected) {
    test(`normalizeNumber rejects ${why} (${JSON.stringify(input)})`, () => {
      assert.equal(normalizeNumber(input), undefined);
    });
  }

  test('normalizeNumber rejects a central-office code starting with 0 or 1, which NANP never assigns', () => {
    assert.equal(normalizeNumber('3100551212'), undefined);
    assert.equal(normalizeNumber('13101551212'), undefined);
  });

  test('normalizeNumber does not read a plus followed by ten digits as a North American number', () => {
    assert.equal(normalizeNumber('+3105551212'), undefined);
  });
});

describe('isTollFree', () => {
  test('the module lists exactly the seven toll-free NPAs', () => {
    assert.deepEqual([...TOLL_FREE_NPAS].sort(), ['800', '833', '844', '855', '866', '877', '888']);
  });

  for (const npa of ['800', '833', '844', '855', '866', '877', '888']) {
    test(`a number in NPA ${npa} is toll-free`, () => {
      assert.equal(isTollFree(`1${npa}5551212`), true);
    });
  }

  for (const npa of ['310', '212', '811', '899', '822', '880', '188']) {
    test(`a number in NPA ${npa} is not toll-free`, () => {
      assert.equal(isTollFree(`1${npa}5551212`), false);
    });
  }

  test('isTollFree looks at the area code, not at an 800 appearing later in the number', () => {
    assert.equal(isTollFree('13108001212'), false);
    assert.equal(isTollFree('13105558000'), false);
  });
});

describe('nationalFormat', () => {
  test('a local number is formatted "(NPA) NXX-XXXX"', () => {
    assert.equal(nationalFormat('13105551212'), '(310) 555-1212');
  });

  test('a toll-free number is formatted the same way', () => {
    assert.equal(nationalFormat('18005551212'), '(800) 555-1212');
  });

  test('a Canadian number (country code 1) is formatted nationally too', () => {
    assert.equal(nationalFormat('14165551234'), '(416) 555-1234');
  });

  test('trailing zeros in the subscriber number are preserved', () => {
    assert.equal(nationalFormat('12125550000'), '(212) 555-0000');
  });

  test('text that is not an 11-digit number is returned unchanged', () => {
    assert.equal(nationalFormat('1'), '1');
    assert.equal(nationalFormat('131055512'), '131055512');
  });

  test('the same text as libphonenumber-js for valid numbers of every area code it knows in the inventory', () => {
    const areaCodes = [...new Set([...RATE_CENTERS.flatMap((r) => r.npas), ...TOLL_FREE_NPAS])];
    for (const npa of areaCodes) {
      for (const line of ['0000', '1212', '9999']) {
        const number = `1${npa}555${line}`;
        const parsed = parsePhoneNumberFromString(`+${number}`);
        assert.ok(parsed, number);
        assert.equal(nationalFormat(number), parsed.formatNational(), number);
      }
    }
  });
});

describe('normalizePrefix', () => {
  const accepted: [string, string, string][] = [
    ['1310555', '1310555', 'a prefix already starting with country code 1 is kept'],
    ['310555', '1310555', 'a national prefix gains country code 1'],
    ['+1310', '1310', 'a leading plus is dropped'],
    ['310', '1310', 'a bare area code gains country code 1'],
    ['1', '1', 'the country code alone is a prefix'],
    ['3', '13', 'a single national digit gains country code 1'],
    [' 310 ', '1310', 'surrounding whitespace is trimmed'],
    ['3105551212', '13105551212', 'a full 10-digit national number becomes full E.164'],
    ['1310555121', '1310555121', 'ten digits starting with 1 are kept'],
    ['13105551212', '13105551212', 'a whole E.164 number is a prefix of itself'],
  ];
  for (const [input, expected, why] of accepted) {
    test(`normalizePrefix(${JSON.stringify(input)}) is ${expected}: ${why}`, () => {
      assert.equal(normalizePrefix(input), expected);
    });
  }

  const rejected: [string, string][] = [
    ['', 'the empty string'],
    ['   ', 'only whitespace'],
    ['+', 'a lone plus'],
    ['31a', 'letters'],
    ['310-555', 'a dash'],
    ['310 555', 'an inner space'],
    ['131055512121', 'twelve digits'],
    ['23105551212', 'eleven digits not starting with country code 1'],
  ];
  for (const [input, why] of rejected) {
    test(`normalizePrefix rejects ${why} (${JSON.stringify(input)})`, () => {
      assert.equal(normalizePrefix(input), undefined);
    });
  }
});
