import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startHarness, type Harness } from '../support/harness.ts';

let h: Harness;
before(async () => { h = await startHarness(); });
after(() => h.close());

const numbersOf = (reply: { json: any }) => (reply.json.ResourceList.Number ?? []) as any[];

describe('QueryRegions', () => {
  test('filters by state and pages with MaxResults and FirstResult, totalResults counting every match', async () => {
    const all = await h.call('GET', 'number/regions.json', { form: { State: 'TX' } });
    const total = all.json.ResourceList['@totalResults'];
    assert.ok(total >= 10, `Texas has ${total} regions`);
    assert.ok(all.json.ResourceList.Region.every((r: any) => r.State === 'TX' && r.Country === 'US' && /^1\d{6}$/.test(r.Prefix)));
    const page = await h.call('GET', 'number/regions.json', { form: { State: 'tx', MaxResults: '2', FirstResult: '1' } });
    assert.equal(page.json.ResourceList['@totalResults'], total);
    assert.deepEqual(page.json.ResourceList.Region, all.json.ResourceList.Region.slice(1, 3));
  });

  test('answers in XML by default, the way C# sends it (form content type on GET, MaxResults and FirstResult always)', async () => {
    const reply = await h.call('GET', 'number/regions', { form: { MaxResults: '1000', FirstResult: '0', City: 'Seattle' }, headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/xml' } });
    assert.equal(reply.status, 200);
    assert.match(reply.text, /<City>SEATTLE<\/City><State>WA<\/State><Zipcode>\d{5}<\/Zipcode><Country>US<\/Country><Lata>674<\/Lata>/);
  });

  test('reads a form body on GET, as the Scala client sends it', async () => {
    const region = (await h.call('GET', 'number/regions.json', { form: { City: 'Seattle', MaxResults: '1' } })).json.ResourceList.Region[0];
    const reply = await h.call('GET', 'number/regions.json', { body: `Zipcode=${region.Zipcode}&MaxResults=1`, contentType: 'application/x-www-form-urlencoded' });
    assert.equal(reply.status, 200);
    assert.deepEqual(reply.json.ResourceList.Region, [region]);
    const all = await h.call('GET', 'number/regions.json', { body: 'MaxResults=1', contentType: null, chunked: true });
    assert.equal(all.json.ResourceList.Region.length, 1);
  });

  test('with no filter lists regions of every kind of data that belongs together', async () => {
    const reply = await h.call('GET', 'number/regions.json', { form: { MaxResults: '1000' } });
    const regions = reply.json.ResourceList.Region as any[];
    assert.ok(new Set(regions.map((r) => `${r.City}/${r.State}`)).size >= 100, 'at least 100 rate centers');
    for (const r of regions) {
      assert.match(r.Zipcode, /^\d{5}$/);
      assert.match(r.Lata, /^\d{3}$/);
      assert.equal(typeof r.Latitude, 'number');
      assert.match(r.TimeZone, /^(America|Pacific)\//);
    }
  });
});

describe('SearchAvailableNumbers', () => {
  test('by prefix: every number starts with it, with or without the country code', async () => {
    const region = (await h.call('GET', 'number/regions.json', { form: { City: 'Boston', MaxResults: '1' } })).json.ResourceList.Region[0];
    for (const prefix of [region.Prefix, region.Prefix.slice(1), region.Prefix.slice(0, 4)]) {
      const reply = await h.call('GET', 'number/search.json', { form: { Prefix: prefix, Count: '3' } });
      assert.equal(reply.status, 200);
      const numbers = numbersOf(reply);
      assert.ok(numbers.length > 0);
      assert.ok(numbers.every((n) => n.Number.startsWith(prefix.startsWith('1') ? prefix : `1${prefix}`)));
    }
  });

  test('by city and state, case-insensitively, with the region of each number and only search fields', async () => {
    const reply = await h.call('GET', 'number/search.json', { form: { city: 'los angeles', state: 'ca', count: '4' } });
    const numbers = numbersOf(reply);
    assert.equal(numbers.length, 4);
    for (const n of numbers) {
      assert.deepEqual(Object.keys(n), ['Number', 'NationalFormat', 'TollFree', 'Region']);
      assert.equal(n.Region.City, 'LOS ANGELES');
      assert.equal(n.TollFree, false);
      assert.equal(n.NationalFormat, `(${n.Number.slice(1, 4)}) ${n.Number.slice(4, 7)}-${n.Number.slice(7)}`);
    }
    assert.equal(reply.json.ResourceList['@totalResults'], 4);
  });

  test('by zip code', async () => {
    const region = (await h.call('GET', 'number/regions.json', { form: { City: 'Miami', MaxResults: '1' } })).json.ResourceList.Region[0];
    const numbers = numbersOf(await h.call('GET', 'number/search.json', { form: { Zipcode: region.Zipcode, Count: '2' } }));
    assert.ok(numbers.length > 0);
    assert.ok(numbers.every((n) => n.Region.Zipcode === region.Zipcode));
  });

  test('toll-free with every boolean spelling clients use, and no Region on toll-free numbers', async () => {
    for (const spelling of ['true', 'True', '1', 'TRUE']) {
      const numbers = numbersOf(await h.call('GET', 'number/search.json', { form: { TollFree: spelling, Count: '2' } }));
      assert.equal(numbers.length, 2);
      for (const n of numbers) {
        assert.equal(n.TollFree, true);
        assert.equal(n.Region, undefined);
        assert.match(n.Number, /^1(800|833|844|855|866|877|888)\d{7}$/);
      }
    }
    for (const spelling of ['false', 'False', '0', '']) {
      const numbers = numbersOf(await h.call('GET', 'number/search.json', { form: { TollFree: spelling, Count: '1' } }));
      assert.equal(numbers[0].TollFree, false);
    }
    const byPrefix = numbersOf(await h.call('GET', 'number/search.json', { form: { TollFree: 'true', Prefix: '1888', Count: '2' } }));
    assert.ok(byPrefix.length > 0 && byPrefix.every((n) => n.Number.startsWith('1888')));
  });

  test('near a latitude and longitude, the closest region comes first', async () => {
    const numbers = numbersOf(await h.call('GET', 'number/search.json', { form: { Latitude: '39.7392', Longitude: '-104.9903', Count: '2' } }));
    assert.equal(numbers[0].Region.City, 'DENVER');
  });

  test('searches of one shape with other values find other numbers, one after another and side by side', async () => {
    const search = async (form: Record<string, string>) => numbersOf(await h.call('GET', 'number/search.json', { form: { ...form, Count: '3' } }));
    const places = [['Boston', 'MA'], ['Seattle', 'WA'], ['Miami', 'FL'], ['Boston', 'MA']] as const;
    const sequential = [];
    for (const [city, state] of places) sequential.push(await search({ City: city, State: state }));
    const together = await Promise.all(places.map(([city, state]) => search({ City: city, State: state })));
    for (const found of [sequential, together]) {
      found.forEach((numbers, i) => {
        assert.ok(numbers.length > 0, places[i]!.join(', '));
        assert.ok(numbers.every((n) => n.Region.City === places[i]![0].toUpperCase() && n.Region.State === places[i]![1]));
      });
    }
    const prefixes = ['1206', '1305', '1617'];
    for (const prefix of prefixes) assert.ok((await search({ Prefix: prefix })).every((n) => n.Number.startsWith(prefix)));
    const near = await Promise.all([['47.6062', '-122.3321'], ['39.7392', '-104.9903']].map(([Latitude, Longitude]) => search({ Latitude: Latitude!, Longitude: Longitude! })));
    assert.deepEqual(near.map((numbers) => numbers[0].Region.City), ['SEATTLE', 'DENVER']);
  });

  test('ignores parameters it does not know, as Java sends FirstResult and MaxResults here', async () => {
    const reply = await h.call('GET', 'number/search.json', { form: { State: 'NV', Count: '1', FirstResult: '0', MaxResults: '1000', Bogus: 'x' } });
    assert.equal(reply.status, 200);
    assert.equal(numbersOf(reply).length, 1);
  });

  test('an empty result is an empty list', async () => {
    const reply = await h.call('GET', 'number/search', { form: { Zipcode: '00000', Count: '5' } });
    assert.equal(reply.status, 200);
    assert.match(reply.text, /<r:ResourceList [^>]*totalResults="0"\/>$/);
  });

  test('bad Count, TollFree, Prefix or coordinates are 400s naming the parameter', async () => {
    const cases: [Record<string, string>, RegExp][] = [
      [{}, /^Count is required$/],
      [{ Count: '' }, /^Count is required$/],
      [{ Count: 'abc' }, /Count must be an integer from 1 to 1000/],
      [{ Count: '0' }, /Count must be an integer from 1 to 1000/],
      [{ Count: '1001' }, /Count must be an integer from 1 to 1000/],
      [{ Count: '1', TollFree: 'maybe' }, /TollFree must be true or false/],
      [{ Count: '1', Prefix: '31O' }, /Prefix "31O"/],
      [{ Count: '1', Latitude: '91' }, /Latitude must be a number from -90 to 90/],
    ];
    for (const [form, message] of cases) {
      const reply = await h.call('GET', 'number/search.json', { form });
      assert.equal(reply.status, 400, JSON.stringify(form));
      assert.match(reply.json.ResourceException.Message, message);
    }
  });
});

describe('SearchAvailableKeywords', () => {
  test('lists the wanted keywords that can be ordered, upper-cased, leaving out carrier words and taken ones', async () => {
    const order = await h.call('POST', 'number/order.json', { form: { Keywords: 'TAKEN' } });
    await h.waitForOrder(order.json.ResourceReference.Id);
    const reply = await h.call('GET', 'number/keyword/search.json', { form: { Keywords: 'moon SUN,taken stop Help info' } });
    assert.deepEqual(reply.json, {
      ResourceList: { '@totalResults': 2, Keyword: [{ ShortCode: '67076', Keyword: 'MOON' }, { ShortCode: '67076', Keyword: 'SUN' }] },
    });
    for (const form of [[['Keywords[0]', 'MOON'], ['Keywords[1]', 'STAR']], [['keywords', 'MOON'], ['keywords', 'STAR']]] as [string, string][][]) {
      const variant = await h.call('GET', 'number/keyword/search.json', { form });
      assert.equal(variant.json.ResourceList['@totalResults'], 2);
    }
    const none = await h.call('GET', 'number/keyword/search', { form: { Keywords: 'STOPALL UNSUBSCRIBE' } });
    assert.match(none.text, /totalResults="0"\/>$/);
  });

  test('a keyword with punctuation or no keywords at all is a 400', async () => {
    for (const [form, message] of [[{ Keywords: 'PIZZA!' }, /Keywords "PIZZA!"/], [{}, /Keywords is required/], [{ Keywords: 'A' }, /Keywords "A"/]] as const) {
      const reply = await h.call('GET', 'number/keyword/search', { form });
      assert.equal(reply.status, 400);
      assert.match(reply.text, message);
    }
  });
});
