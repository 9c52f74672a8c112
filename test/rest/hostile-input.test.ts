import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { REST_ROUTES } from '../../src/wire/rest/routes.ts';
import { startHarness, type Harness } from '../support/harness.ts';

let h: Harness;
before(async () => { h = await startHarness(); });
after(() => h.close());

const NASTY = ['', ' ', '-1', '0', '1e309', 'NaN', '9'.repeat(40), 'ünïcödé', '<x/>', '%00', "'; drop table numbers; --", 'a'.repeat(5000), '1,2,,3', '[]', '{}', 'true false'];
const NAMES = ['Count', 'Numbers', 'Keywords', 'LocalCount', 'TollFreeCount', 'Count', 'Prefix', 'City', 'State', 'Zipcode', 'Latitude', 'Longitude',
  'TollFree', 'MaxResults', 'FirstResult', 'LabelName', 'Number', 'Keyword', 'CallFeature', 'TextFeature', 'InboundCallConfigurationType',
  'TransferNumber', 'Screen', 'Record', 'IntroSoundId', 'WhisperSoundId', 'DialplanXml', 'CallTrackingConfig[id]', 'Keywords[0]', 'Numbers[x]', 'Id'];

describe('hostile input', () => {
  test('no parameter value on any operation produces a server error', async () => {
    let requests = 0;
    for (const route of REST_ROUTES) {
      const path = route.path.slice(1).replace(':Number', '13105550000').replace(':Id', '1');
      for (const [i, value] of NASTY.entries()) {
        const form: [string, string][] = NAMES.map((name, j) => [name, NASTY[(i + j) % NASTY.length]!]);
        form.push(['Count', value]);
        const reply = await h.call(route.method, `${path}.json`, { form });
        requests++;
        assert.ok(reply.status < 500, `${route.method} ${path} ${value.slice(0, 20)}: ${reply.status} ${reply.text.slice(0, 300)}`);
      }
    }
    assert.ok(requests > 200);
  });

  test('control characters quoted in an XML error come back as U+FFFD, so the answer is still XML', async () => {
    // The harness parses every XML answer and checks it against the schema: a raw U+0001 fails that.
    const reply = await h.call('POST', 'number/order', { form: { Numbers: '1310\u0000555\u0001\u001f\uffff\ud800' } });
    assert.equal(reply.status, 400);
    assert.match(reply.text, /1310\uFFFD555\uFFFD\uFFFD\uFFFD\uFFFD/);
    const search = await h.call('GET', 'number/search', { form: { City: 'A\u0008B' } });
    assert.ok(search.status < 500, search.text);
  });

  test('odd paths and bodies are client errors, never server errors', async () => {
    const cases: [string, string, Parameters<Harness['call']>[2]][] = [
      ['GET', 'number/%E0%A4%A.json', {}],
      ['GET', `number/${'1'.repeat(300)}`, {}],
      ['GET', 'number/order/99999999999999999999', {}],
      ['PUT', 'number/13105550000', { body: '--x\r\nbroken', contentType: 'multipart/form-data; boundary=x' }],
      ['POST', 'number/order', { body: Buffer.alloc(2 * 1024 * 1024, 'a') }],
      ['POST', 'number/order', { body: '%%%=%%%&&&==', contentType: 'application/x-www-form-urlencoded' }],
      ['POST', 'number/order', { body: '{"Numbers": "1"}', contentType: 'application/json' }],
    ];
    for (const [method, url, options] of cases) {
      const reply = await h.call(method, url, options);
      assert.ok(reply.status >= 400 && reply.status < 500, `${method} ${url}: ${reply.status} ${reply.text.slice(0, 200)}`);
    }
  });
});
