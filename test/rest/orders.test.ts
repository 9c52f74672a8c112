import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { XMLParser } from 'fast-xml-parser';
import { referenceDir } from '../support/xml-schema.ts';
import { startHarness, type Harness } from '../support/harness.ts';

let h: Harness;
before(async () => { h = await startHarness({ accounts: ['alice', 'bob', 'carol'] }); });
after(() => h.close());

async function searchNumbers(form: Record<string, string>, count = 3): Promise<string[]> {
  const reply = await h.call('GET', 'number/search.json', { form: { Count: String(count), ...form } });
  assert.equal(reply.status, 200, reply.text);
  return (reply.json.ResourceList.Number ?? []).map((n: { Number: string }) => n.Number);
}

async function createOrder(form: CallForm, options: { as?: string; suffix?: string; contentType?: string | null; chunked?: boolean } = {}) {
  const reply = await h.call('POST', `number/order${options.suffix ?? ''}`, { form, as: options.as, contentType: options.contentType, chunked: options.chunked });
  assert.equal(reply.status, 201, reply.text);
  const id = reply.json ? reply.json.ResourceReference.Id : Number(/<r:Id>(\d+)<\/r:Id>/.exec(reply.text)![1]);
  return { id: id as number, reply };
}
type CallForm = Record<string, string | readonly string[]> | [string, string][];

describe('CreateNumberOrder and GetNumberOrder', () => {
  test('an order for one toll-free number reproduces the documented GetNumberOrder answer', async () => {
    const { id, reply } = await createOrder({ TollFreeCount: '1' });
    assert.match(reply.headers['content-type']!, /^application\/xml/);
    assert.match(reply.text, new RegExp(`<r:Location>${h.baseUrl}/api/1.1/rest/number/order/${id}</r:Location>`));
    await h.waitForOrder(id);
    const xml = (await h.call('GET', `number/order/${id}`)).text;

    const seed = readFileSync(path.join(referenceDir, '../../reference/seed/000_55dd968ea1fe70c6.txt'), 'utf8');
    const documented = seed.slice(seed.indexOf('<?xml'), seed.indexOf('</r:Resource>') + '</r:Resource>'.length);
    const parser = new XMLParser({ ignoreAttributes: false, preserveOrder: true, trimValues: true });
    const mask = (tree: unknown): unknown => JSON.parse(JSON.stringify(tree, (key, value) => {
      if (key === '@_id') return 'ID';
      if (key === '#text' && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/.test(value)) return 'DATE';
      if (key === '#text' && /^1(8\d\d)\d{7}$/.test(value)) return 'TOLLFREE';
      return value;
    }));
    assert.deepEqual(mask(parser.parse(xml)), mask(parser.parse(documented)));
  });

  test('specific numbers, keywords and bulk local by region complete FINISHED with what was bought, in XML and JSON', async () => {
    const [specific] = await searchNumbers({ State: 'TX', City: 'Dallas' }, 1);
    const { id } = await createOrder({ Numbers: specific!, Keywords: 'PIZZA sunrise', LocalCount: '2', State: 'WA' });
    const { order } = await h.waitForOrder(id);
    assert.equal(order.Status, 'FINISHED');
    assert.equal(order.TotalCost, 15.5);
    assert.equal(order.LocalNumbers.Ordered, 3);
    assert.equal(order.LocalNumbers.UnitCost, 1.5);
    const local = order.LocalNumbers.Fulfilled.split(' ');
    assert.equal(local[0], specific);
    assert.equal(local.length, 3);
    assert.deepEqual(order.Keywords, { Ordered: 2, UnitCost: 5.5, Fulfilled: 'PIZZA SUNRISE' });
    assert.equal(order.TollFreeNumbers, undefined);

    for (const number of local.slice(1)) {
      const owned = (await h.call('GET', `number/${number}.json`)).json.Resource.Number;
      assert.equal(owned.Region.State, 'WA');
      assert.equal(owned.Status, 'ACTIVE');
      assert.equal(owned.LeaseInfo.AutoRenew, true);
      assert.match(owned.LeaseInfo.LeaseBegin, /^\d{4}-\d\d-\d\dZ$/);
    }
    const xml = (await h.call('GET', `number/order/${id}.xml`)).text;
    assert.match(xml, /<Status>FINISHED<\/Status><Created>[^<]+<\/Created><TotalCost>15\.5<\/TotalCost><LocalNumbers><Ordered>3<\/Ordered><UnitCost>1\.5<\/UnitCost>/);
  });

  test('each real client\'s way of sending an order is understood', async (t) => {
    const cases: { client: string; form: () => Promise<CallForm>; options?: Parameters<typeof createOrder>[1]; expect: { local?: number; tollFree?: number; keywords?: number } }[] = [
      { client: 'PHP: LocalCount, region fields, TollFreeCount, space-joined lists', form: async () => ({ LocalCount: '1', State: 'CA', TollFreeCount: '1', Keywords: 'PHPWORD1 PHPWORD2' }), expect: { local: 1, tollFree: 1, keywords: 2 } },
      { client: 'Java: .json, lower-case counts, always-sent empty Numbers= and Keywords=', form: async () => ({ Numbers: '', Keywords: '', localCount: '2', tollFreeCount: '1', City: 'CHICAGO' }), options: { suffix: '.json' }, expect: { local: 2, tollFree: 1 } },
      { client: 'C#: Count twice, first local then toll-free', form: async () => [['Count', '1'], ['State', 'NY'], ['Count', '2']], expect: { local: 1, tollFree: 2 } },
      { client: 'C#: a lone Count is local', form: async () => [['Count', '1'], ['City', 'Denver']], expect: { local: 1 } },
      { client: 'Node: no Content-Type, chunked, camelCase, repeated keys', form: async () => [['keywords', 'NODEONE'], ['keywords', 'NODETWO'], ['localCount', '1']], options: { contentType: null, chunked: true }, expect: { local: 1, keywords: 2 } },
      { client: 'Scala: comma-joined Numbers', form: async () => ({ Numbers: (await searchNumbers({ State: 'FL' }, 2)).join(',') }), expect: { local: 2 } },
      { client: 'PHP GET-style Key[n] arrays in a body', form: async () => [['Keywords[1]', 'ARRAYTWO'], ['Keywords[0]', 'ARRAYONE']], expect: { keywords: 2 } },
      { client: 'numbers with + and in national form', form: async () => {
        const [a, b] = await searchNumbers({ State: 'OH' }, 2);
        return { Numbers: `+${a} ${b!.slice(1)}` };
      }, expect: { local: 2 } },
    ];
    for (const c of cases) {
      await t.test(c.client, async () => {
        const { id } = await createOrder(await c.form(), c.options);
        const { order } = await h.waitForOrder(id);
        assert.equal(order.Status, 'FINISHED', JSON.stringify(order));
        assert.equal(order.LocalNumbers?.Fulfilled.split(' ').length, c.expect.local);
        assert.equal(order.TollFreeNumbers?.Fulfilled.split(' ').length, c.expect.tollFree);
        assert.equal(order.Keywords?.Fulfilled.split(' ').length, c.expect.keywords);
      });
    }
    const arrayOrder = await h.call('GET', 'number/keyword.json');
    const owned = arrayOrder.json.ResourceList.Keyword.map((k: { Keyword: string }) => k.Keyword);
    assert.ok(owned.includes('ARRAYONE') && owned.includes('ARRAYTWO'));
  });

  test('an order that gets only part of what it asked for ends ADJUSTED and costs only that part', async () => {
    const [mine] = await searchNumbers({ State: 'GA' }, 1);
    const first = await createOrder({ Numbers: mine! }, { as: 'bob' });
    await h.waitForOrder(first.id, 'bob');
    const [free] = await searchNumbers({ State: 'GA' }, 1);
    const { id } = await createOrder({ Numbers: `${mine} ${free}`, Keywords: 'PIZZA' });
    const { order } = await h.waitForOrder(id);
    assert.equal(order.Status, 'ADJUSTED');
    assert.deepEqual(order.LocalNumbers, { Ordered: 2, UnitCost: 1.5, Fulfilled: free });
    assert.deepEqual(order.Keywords, { Ordered: 1, UnitCost: 5.5 }, 'PIZZA was bought by an earlier order');
    assert.equal(order.TotalCost, 1.5);
  });

  test('a bulk count larger than the region holds ends ADJUSTED with everything the region had', async () => {
    const available = await searchNumbers({ City: 'Anchorage', State: 'AK' }, 1000);
    const { id } = await createOrder({ LocalCount: String(available.length + 5), City: 'Anchorage', State: 'AK' });
    const { order } = await h.waitForOrder(id);
    assert.equal(order.Status, 'ADJUSTED');
    assert.equal(order.LocalNumbers.Ordered, available.length + 5);
    assert.deepEqual(order.LocalNumbers.Fulfilled.split(' ').sort(), available.sort());
    assert.deepEqual(await searchNumbers({ City: 'Anchorage', State: 'AK' }), []);
  });

  test('an order that gets nothing ends ERRORED and costs nothing', async () => {
    const { id } = await createOrder({ LocalCount: '2', Zipcode: '00000' });
    const { order } = await h.waitForOrder(id);
    assert.equal(order.Status, 'ERRORED');
    assert.equal(order.TotalCost, 0);
    assert.deepEqual(order.LocalNumbers, { Ordered: 2, UnitCost: 1.5 });
  });

  test('the worker is woken by the commit, not by its poll: with the poll ten minutes away, orders still complete', async () => {
    // The harness polls every ten minutes, so every order in this suite finishing proves the wake-up path.
    assert.equal(h.context.config.worker.pollIntervalMs, 600_000);
    const { id } = await createOrder({ TollFreeCount: '2', Keywords: 'QUICKONE' });
    const { order } = await h.waitForOrder(id);
    assert.equal(order.Status, 'FINISHED');
  });

  test('another account\'s order is 404, an unknown one too, and a malformed id is 400', async () => {
    const { id } = await createOrder({ TollFreeCount: '1' });
    // The first read of the order, so it comes from the database, not from the ended orders in memory.
    assert.equal((await h.call('GET', `number/order/${id}.json`, { as: 'bob' })).status, 404);
    // Read to its end by its owner first, so the server has it in memory as an ended order.
    assert.equal((await h.waitForOrder(id)).order.Status, 'FINISHED');
    assert.equal((await h.call('GET', `number/order/${id}.json`, { as: 'alice' })).status, 200);
    for (const [url, as, status] of [[`number/order/${id}`, 'bob', 404], [`number/order/${id}.json`, 'bob', 404], ['number/order/999999', 'alice', 404], ['number/order/abc.json', 'alice', 400]] as const) {
      const reply = await h.call('GET', url, { as });
      assert.equal(reply.status, status, reply.text);
    }
    const reply = await h.call('GET', `number/order/${id}.json`, { as: 'bob' });
    assert.deepEqual(reply.json, { ResourceException: { HttpStatus: 404, Message: `order ${id} does not exist` } });
  });

  test('bad orders get a 400 naming the problem, in the format asked for, and write nothing', async () => {
    const before = await h.snapshot();
    const cases: [CallForm, RegExp][] = [
      [{}, /nothing to order/],
      [{ Numbers: '', Keywords: '' }, /nothing to order/],
      [{ Numbers: '12345678' }, /Numbers "12345678"/],
      [{ Numbers: '13105551212 abc' }, /Numbers "abc"/],
      [{ Keywords: 'PIZZA!' }, /Keywords "PIZZA!"/],
      [{ Keywords: 'STOP' }, /STOP is reserved by carriers/],
      [{ Keywords: 'x' }, /Keywords "x"/],
      [{ LocalCount: 'ten' }, /LocalCount must be an integer/],
      [{ LocalCount: '1001' }, /LocalCount must be an integer from 1 to 1000/],
      [{ LocalCount: '-1' }, /LocalCount must be an integer/],
      [{ TollFreeCount: '2.5' }, /TollFreeCount must be an integer/],
      [{ LocalCount: '1', Latitude: 'north' }, /Latitude must be a number/],
    ];
    for (const [form, message] of cases) {
      for (const suffix of ['', '.json']) {
        const reply = await h.call('POST', `number/order${suffix}`, { form });
        assert.equal(reply.status, 400, `${JSON.stringify(form)}: ${reply.text}`);
        const text = suffix ? reply.json.ResourceException.Message : reply.text;
        assert.match(text, message);
        if (suffix) assert.equal(reply.json.ResourceException.HttpStatus, 400);
      }
    }
    assert.equal(await h.snapshot(), before);
  });
});
