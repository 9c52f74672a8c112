import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { InvalidInputError } from '../../src/domain/errors.ts';
import { ParamBag, parseInteger } from '../../src/wire/callfire/params.ts';

function bag(...entries: [string, string][]): ParamBag {
  return new ParamBag(entries);
}

/** Asserts an InvalidInputError whose parameter is `parameter` and whose message matches every pattern. */
function invalid(parameter: string, ...patterns: (string | RegExp)[]) {
  return (error: unknown): true => {
    assert.ok(error instanceof InvalidInputError, `expected InvalidInputError, got ${String(error)}`);
    assert.equal(error.parameter, parameter);
    assert.equal(error.code, 'NBD_ERR_INVALID_PARAMETER');
    assert.equal(error.kind, 'invalid');
    for (const pattern of patterns) {
      if (typeof pattern === 'string') assert.ok(error.message.includes(pattern), `"${error.message}" includes "${pattern}"`);
      else assert.match(error.message, pattern);
    }
    return true;
  };
}

const RANGE = { min: 1, max: 100 };

describe('ParamBag names and values', () => {
  test('parameter names are case-insensitive both when given and when read', () => {
    const params = bag(['CountryCode', 'US']);
    assert.equal(params.string('countrycode'), 'US');
    assert.equal(params.string('COUNTRYCODE'), 'US');
    assert.equal(params.string('CountryCode'), 'US');
    assert.equal(params.has('cOuNtRyCoDe'), true);
  });

  test('values keep their case even though names do not', () => {
    assert.equal(bag(['Prefix', 'AbC']).string('prefix'), 'AbC');
  });

  test('keys differing only in case are one parameter, joined in arrival order', () => {
    assert.equal(bag(['Numbers', 'a'], ['NUMBERS', 'b'], ['numbers', 'c']).string('Numbers'), 'a b c');
  });

  test('an empty value counts as absent', () => {
    const params = bag(['Prefix', ''], ['City', 'LA']);
    assert.equal(params.has('Prefix'), false);
    assert.equal(params.string('Prefix'), undefined);
    assert.deepEqual(params.all('Prefix'), []);
    assert.equal(params.list('Prefix'), undefined);
    assert.equal(params.boolean('Prefix'), undefined);
    assert.equal(params.integer('Prefix', RANGE), undefined);
    assert.equal(params.has('City'), true);
  });

  test('a blank value (only whitespace) counts as absent too', () => {
    const params = bag(['Count', ' '], ['Screen', '\t']);
    assert.equal(params.has('Count'), false);
    assert.equal(params.integer('Count', RANGE), undefined);
    assert.equal(params.boolean('Screen'), undefined);
    assert.throws(() => params.requiredString('Count'), /Count is required/);
  });

  test('an empty value among real ones is skipped without leaving a gap', () => {
    assert.equal(bag(['Numbers', 'a'], ['Numbers', ''], ['Numbers', 'b']).string('Numbers'), 'a b');
  });

  test('an empty indexed value is also absent', () => {
    const params = bag(['Numbers[0]', ''], ['Numbers[1]', 'b']);
    assert.deepEqual(params.all('Numbers'), ['b']);
    assert.equal(bag(['Numbers[0]', '']).has('Numbers'), false);
  });

  test('an unknown parameter is absent', () => {
    const params = bag(['Prefix', '310']);
    assert.equal(params.has('City'), false);
    assert.equal(params.string('City'), undefined);
  });

  test('repeated keys are joined with a single space in arrival order', () => {
    assert.equal(bag(['Numbers', '13105551212'], ['Numbers', '13105551213'], ['Numbers', '13105551214']).string('Numbers'), '13105551212 13105551213 13105551214');
    assert.deepEqual(bag(['K', 'z'], ['K', 'a']).all('K'), ['z', 'a']);
  });

  test('string returns the first of several names that is present', () => {
    const params = bag(['Second', '2'], ['Third', '3']);
    assert.equal(params.string('First', 'Second', 'Third'), '2');
    assert.equal(params.string('First', 'Missing'), undefined);
  });

  test('all collects values from every name given, name by name', () => {
    const params = bag(['B', 'b1'], ['A', 'a1'], ['B', 'b2']);
    assert.deepEqual(params.all('A', 'B'), ['a1', 'b1', 'b2']);
    assert.deepEqual(params.all('B', 'A'), ['b1', 'b2', 'a1']);
  });
});

describe('ParamBag PHP-style array keys', () => {
  test('Key[0] and Key[1] arriving in order join in index order', () => {
    assert.equal(bag(['Numbers[0]', 'a'], ['Numbers[1]', 'b']).string('Numbers'), 'a b');
  });

  test('Key[1] arriving before Key[0] is still sorted by index', () => {
    assert.equal(bag(['Numbers[1]', 'b'], ['Numbers[0]', 'a']).string('Numbers'), 'a b');
  });

  test('indexes arriving in any order are sorted numerically, so 10 comes after 2', () => {
    const params = bag(['K[10]', 'ten'], ['K[2]', 'two'], ['K[0]', 'zero'], ['K[1]', 'one']);
    assert.deepEqual(params.all('K'), ['zero', 'one', 'two', 'ten']);
  });

  test('array keys are case-insensitive in their base name', () => {
    assert.deepEqual(bag(['numbers[1]', 'b'], ['NUMBERS[0]', 'a']).all('Numbers'), ['a', 'b']);
  });

  test('Key[] entries keep their arrival order', () => {
    assert.deepEqual(bag(['Keywords[]', 'x'], ['Keywords[]', 'y'], ['Keywords[]', 'z']).all('Keywords'), ['x', 'y', 'z']);
  });

  test('Key[] entries come after numbered ones', () => {
    assert.deepEqual(bag(['K[]', 'last'], ['K[1]', 'one'], ['K[0]', 'zero']).all('K'), ['zero', 'one', 'last']);
  });

  test('an array key is read under its base name and not under its literal name', () => {
    const params = bag(['Numbers[0]', 'a']);
    assert.equal(params.has('Numbers'), true);
    assert.equal(params.has('Numbers[0]'), false);
  });

  test('CallTrackingConfig[id] keeps its literal name instead of becoming an array', () => {
    const params = bag(['CallTrackingConfig[id]', '12345']);
    assert.equal(params.string('CallTrackingConfig[id]'), '12345');
    assert.equal(params.string('calltrackingconfig[ID]'), '12345');
    assert.equal(params.has('CallTrackingConfig'), false);
    assert.equal(params.id('CallTrackingConfig[id]'), 12345);
  });

  test('a numbered array key and a literal bracket key with the same base stay apart', () => {
    const params = bag(['Config[0]', 'zero'], ['Config[id]', '7']);
    assert.deepEqual(params.all('Config'), ['zero']);
    assert.deepEqual(params.all('Config[id]'), ['7']);
  });

  test('list splits array entries that themselves hold several items', () => {
    assert.deepEqual(bag(['Numbers[1]', 'c d'], ['Numbers[0]', 'a,b']).list('Numbers'), ['a', 'b', 'c', 'd']);
  });
});

describe('ParamBag.list', () => {
  const cases: [string, string, string[]][] = [
    ['spaces', 'a b c', ['a', 'b', 'c']],
    ['commas', 'a,b,c', ['a', 'b', 'c']],
    ['commas followed by spaces', 'a, b, c', ['a', 'b', 'c']],
    ['mixed and repeated separators', ' a ,, b  ,c ,  ', ['a', 'b', 'c']],
    ['tabs and newlines', 'a\tb\nc', ['a', 'b', 'c']],
    ['a single item', 'a', ['a']],
  ];
  for (const [why, value, expected] of cases) {
    test(`list splits on ${why}`, () => {
      assert.deepEqual(bag(['Numbers', value]).list('Numbers'), expected);
    });
  }

  test('list merges repeated keys in arrival order', () => {
    assert.deepEqual(bag(['Numbers', 'a b'], ['Numbers', 'c,d']).list('Numbers'), ['a', 'b', 'c', 'd']);
  });

  test('list reads several names in the order given', () => {
    assert.deepEqual(bag(['Number', 'c'], ['Numbers', 'a b']).list('Numbers', 'Number'), ['a', 'b', 'c']);
  });

  test('list is undefined when the parameter is absent', () => {
    assert.equal(bag().list('Numbers'), undefined);
  });

  test('list is undefined when the value holds only separators', () => {
    assert.equal(bag(['Numbers', ' , ,, ']).list('Numbers'), undefined);
  });

  test('list keeps duplicates, leaving deduplication to the caller', () => {
    assert.deepEqual(bag(['Numbers', 'a a']).list('Numbers'), ['a', 'a']);
  });
});

describe('ParamBag.boolean', () => {
  const accepted: [string, boolean][] = [
    ['true', true], ['True', true], ['TRUE', true], ['1', true],
    ['false', false], ['False', false], ['FALSE', false], ['0', false],
    [' true ', true],
  ];
  for (const [value, expected] of accepted) {
    test(`boolean reads ${JSON.stringify(value)} as ${expected}`, () => {
      assert.equal(bag(['AutoRenew', value]).boolean('AutoRenew'), expected);
    });
  }

  test('boolean is undefined when the parameter is absent', () => {
    assert.equal(bag().boolean('AutoRenew'), undefined);
  });

  for (const value of ['yes', 'no', '2', 't', 'on']) {
    test(`boolean refuses ${JSON.stringify(value)} with an InvalidInputError naming the parameter`, () => {
      assert.throws(() => bag(['AutoRenew', value]).boolean('AutoRenew'), invalid('AutoRenew', 'AutoRenew', `"${value}"`));
    });
  }

  test('boolean refuses a repeated flag, which joins to "true false"', () => {
    assert.throws(() => bag(['AutoRenew', 'true'], ['AutoRenew', 'false']).boolean('AutoRenew'), invalid('AutoRenew'));
  });
});

describe('ParamBag.integer', () => {
  test('integer reads a value inside the range', () => {
    assert.equal(bag(['Count', '42']).integer('Count', RANGE), 42);
  });

  test('integer accepts both ends of the range', () => {
    assert.equal(bag(['Count', '1']).integer('Count', RANGE), 1);
    assert.equal(bag(['Count', '100']).integer('Count', RANGE), 100);
  });

  test('integer trims surrounding whitespace', () => {
    assert.equal(bag(['Count', ' 7 ']).integer('Count', RANGE), 7);
  });

  test('integer accepts a negative value when the range allows it', () => {
    assert.equal(bag(['Offset', '-5']).integer('Offset', { min: -10, max: 10 }), -5);
  });

  test('integer is undefined when the parameter is absent', () => {
    assert.equal(bag().integer('Count', RANGE), undefined);
  });

  test('integer refuses a value just below the range, naming the parameter and the range', () => {
    assert.throws(() => bag(['Count', '0']).integer('Count', RANGE), invalid('Count', 'Count', 'from 1 to 100', '"0"'));
  });

  test('integer refuses a value just above the range, naming the parameter and the range', () => {
    assert.throws(() => bag(['Count', '101']).integer('Count', RANGE), invalid('Count', 'Count', 'from 1 to 100', '"101"'));
  });

  for (const value of ['abc', '1.5', '1e2', '0x10', '+5', '5a', '1 000']) {
    test(`integer refuses the non-integer ${JSON.stringify(value)} naming the parameter`, () => {
      assert.throws(() => bag(['Count', value]).integer('Count', RANGE), invalid('Count', /^Count\b/, `"${value}"`));
    });
  }

  test('integer reads an alias when the main name is absent, still naming the main parameter in errors', () => {
    assert.equal(bag(['MaxResults', '9']).integer('Count', RANGE, 'MaxResults'), 9);
    assert.throws(() => bag(['MaxResults', '0']).integer('Count', RANGE, 'MaxResults'), invalid('Count'));
  });

  test('integer prefers the main name over an alias', () => {
    assert.equal(bag(['MaxResults', '9'], ['Count', '3']).integer('Count', RANGE, 'MaxResults'), 3);
  });

  test('parseInteger applies the same rule directly', () => {
    assert.equal(parseInteger('15', 'Count', RANGE), 15);
    assert.throws(() => parseInteger('x', 'Count', RANGE), invalid('Count'));
  });
});

describe('ParamBag.enumeration', () => {
  const ALLOWED = ['ALWAYS', 'NEVER'] as const;

  for (const value of ['ALWAYS', 'always', 'Always', ' never ']) {
    test(`enumeration accepts ${JSON.stringify(value)} case-insensitively and returns the canonical upper case`, () => {
      assert.equal(bag(['Mode', value]).enumeration('Mode', ALLOWED), value.trim().toUpperCase());
    });
  }

  test('enumeration is undefined when the parameter is absent', () => {
    assert.equal(bag().enumeration('Mode', ALLOWED), undefined);
  });

  test('enumeration refuses SOMETIMES, listing the allowed values and the parameter', () => {
    assert.throws(
      () => bag(['Mode', 'SOMETIMES']).enumeration('Mode', ALLOWED),
      invalid('Mode', 'Mode', 'ALWAYS, NEVER', '"SOMETIMES"'),
    );
  });
});

describe('ParamBag.float', () => {
  const R = { min: 0, max: 10 };

  for (const [value, expected] of [['1.5', 1.5], ['3', 3], ['0', 0], ['10', 10], [' 2.25 ', 2.25]] as const) {
    test(`float reads ${JSON.stringify(value)} as ${expected}`, () => {
      assert.equal(bag(['Price', value]).float('Price', R), expected);
    });
  }

  test('float accepts a negative number when the range allows it', () => {
    assert.equal(bag(['Lat', '-33.5']).float('Lat', { min: -90, max: 90 }), -33.5);
  });

  test('float is undefined when the parameter is absent', () => {
    assert.equal(bag().float('Price', R), undefined);
  });

  for (const value of ['10.01', '-0.5']) {
    test(`float refuses the out-of-range ${value} naming the parameter and range`, () => {
      assert.throws(() => bag(['Price', value]).float('Price', R), invalid('Price', 'Price', 'from 0 to 10', `"${value}"`));
    });
  }

  for (const value of ['abc', '1e1', '.5', '5.', '1,5', 'NaN', 'Infinity']) {
    test(`float refuses the malformed ${JSON.stringify(value)}`, () => {
      assert.throws(() => bag(['Price', value]).float('Price', R), invalid('Price', 'Price'));
    });
  }
});

describe('ParamBag.id', () => {
  test('id reads a numeric identifier', () => {
    assert.equal(bag(['SoundId', '123456789']).id('SoundId'), 123456789);
  });

  test('id accepts fifteen digits', () => {
    assert.equal(bag(['SoundId', '123456789012345']).id('SoundId'), 123456789012345);
  });

  test('id is undefined when absent', () => {
    assert.equal(bag().id('SoundId'), undefined);
  });

  test('id reads the first present of several names', () => {
    assert.equal(bag(['Id', '5']).id('SoundId', 'Id'), 5);
  });

  for (const value of ['abc', '-1', '1.5', '1234567890123456', '12a']) {
    test(`id refuses ${JSON.stringify(value)} naming the first parameter name`, () => {
      assert.throws(() => bag(['Id', value]).id('SoundId', 'Id'), invalid('SoundId', 'SoundId must be a numeric id', `"${value}"`));
    });
  }
});

describe('ParamBag required values', () => {
  test('requiredString returns a present value', () => {
    assert.equal(bag(['Name', 'home']).requiredString('Name'), 'home');
  });

  test('requiredString says "<Name> is required" when absent', () => {
    assert.throws(() => bag().requiredString('Name'), invalid('Name', /^Name is required$/));
  });

  test('requiredString treats an empty value as missing', () => {
    assert.throws(() => bag(['Name', '']).requiredString('Name'), invalid('Name', /^Name is required$/));
  });

  test('requiredInteger returns a present value', () => {
    assert.equal(bag(['Count', '5']).requiredInteger('Count', RANGE), 5);
  });

  test('requiredInteger says "<Name> is required" when absent', () => {
    assert.throws(() => bag().requiredInteger('Count', RANGE), invalid('Count', /^Count is required$/));
  });

  test('requiredInteger still checks the range of a present value', () => {
    assert.throws(() => bag(['Count', '500']).requiredInteger('Count', RANGE), invalid('Count', 'from 1 to 100'));
  });
});
