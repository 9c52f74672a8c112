import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startHarness, type Harness } from '../support/harness.ts';

let h: Harness;
let mine: string[] = [];
let tollFree: string;

before(async () => {
  h = await startHarness();
  const order = await h.call('POST', 'number/order.json', { form: { LocalCount: '3', State: 'IL', TollFreeCount: '1', Keywords: 'OWNEDONE OWNEDTWO' } });
  const { order: done } = await h.waitForOrder(order.json.ResourceReference.Id);
  mine = done.LocalNumbers.Fulfilled.split(' ');
  tollFree = done.TollFreeNumbers.Fulfilled;
});
after(() => h.close());

const numberOf = async (number: string, as?: string) => (await h.call('GET', `number/${number}.json`, { as })).json.Resource.Number;

describe('QueryNumbers and GetNumber', () => {
  test('list only the account\'s own numbers, with status, lease and configuration', async () => {
    const reply = await h.call('GET', 'number.json', { form: { MaxResults: '1000', FirstResult: '0' } });
    const listed = reply.json.ResourceList.Number as any[];
    assert.deepEqual(listed.map((n) => n.Number).sort(), [...mine, tollFree].sort());
    for (const n of listed) {
      assert.equal(n.Status, 'ACTIVE');
      assert.equal(n.LeaseInfo.AutoRenew, true);
      assert.deepEqual(n.NumberConfiguration, { CallFeature: 'ENABLED', TextFeature: 'ENABLED' });
    }
    const bobs = await h.call('GET', 'number.json', { as: 'bob' });
    assert.deepEqual(bobs.json, { ResourceList: { '@totalResults': 0 } });
  });

  test('filter by region fields and page', async () => {
    const reply = await h.call('GET', 'number.json', { form: { State: 'IL', MaxResults: '2' } });
    assert.equal(reply.json.ResourceList['@totalResults'], 3);
    assert.equal(reply.json.ResourceList.Number.length, 2);
    const xml = await h.call('GET', 'number', { form: { Prefix: mine[0]!.slice(0, 7) } });
    assert.match(xml.text, new RegExp(`<Number><Number>${mine[0]}</Number>`));
  });

  test('GetNumber answers the number in XML element order, and 404 for a number the account does not own', async () => {
    const xml = (await h.call('GET', `number/${mine[0]}`)).text;
    assert.match(xml, new RegExp(`^<\\?xml[^>]+\\?>\\n<r:Resource [^>]+><Number><Number>${mine[0]}</Number><NationalFormat>\\(\\d{3}\\) \\d{3}-\\d{4}</NationalFormat><TollFree>false</TollFree><Region>.*</Region><Status>ACTIVE</Status><LeaseInfo><LeaseBegin>\\d{4}-\\d\\d-\\d\\dZ</LeaseBegin><LeaseEnd>\\d{4}-\\d\\d-\\d\\dZ</LeaseEnd><AutoRenew>true</AutoRenew></LeaseInfo><NumberConfiguration>`));
    const tf = await numberOf(tollFree);
    assert.equal(tf.TollFree, true);
    assert.equal(tf.Region, undefined);
    for (const [number, as] of [[mine[0]!, 'bob'], ['13105550000', 'alice']] as const) {
      const reply = await h.call('GET', `number/${number}.json`, { as });
      assert.equal(reply.status, 404);
      assert.match(reply.json.ResourceException.Message, /not in this account/);
    }
    const bad = await h.call('GET', 'number/12345678');
    assert.equal(bad.status, 400);
    assert.match(bad.text, /12345678/);
  });
});

describe('ConfigureNumber', () => {
  test('call tracking as PHP sends it (1/0 booleans, id under CallTrackingConfig)', async () => {
    const reply = await h.call('PUT', `number/${mine[0]}`, { form: {
      CallFeature: 'ENABLED', TextFeature: 'DISABLED', InboundCallConfigurationType: 'TRACKING',
      TransferNumber: '13105551212 +12135551234', Screen: '1', Record: '', IntroSoundId: '42', CallTrackingConfig: '7',
    } });
    assert.equal(reply.status, 204, reply.text);
    const n = await numberOf(mine[0]!);
    assert.equal(n.NumberConfiguration.TextFeature, 'DISABLED');
    assert.equal(n.NumberConfiguration.InboundCallConfigurationType, 'TRACKING');
    const tracking = n.NumberConfiguration.InboundCallConfiguration.CallTrackingConfig;
    assert.equal(typeof tracking['@id'], 'number');
    assert.equal(tracking.TransferNumber, '13105551212 12135551234');
    assert.equal(tracking.Screen, true);
    assert.equal(tracking.Record, undefined);
    assert.equal(tracking.IntroSoundId, 42);
    const xml = (await h.call('GET', `number/${mine[0]}`)).text;
    assert.match(xml, /<InboundCallConfiguration><CallTrackingConfig id="\d+"><TransferNumber>13105551212 12135551234<\/TransferNumber><Screen>true<\/Screen><IntroSoundId>42<\/IntroSoundId><\/CallTrackingConfig><\/InboundCallConfiguration>/);
  });

  test('call tracking as C# and Java send it (True/False, Number in the body, CallTrackingConfig[id], type inferred)', async () => {
    for (const form of [
      { Number: mine[1]!, TransferNumber: '13105551212', Screen: 'False', Record: 'True', id: '0' },
      { Number: mine[1]!, 'CallTrackingConfig[id]': '5', TransferNumber: '13105551213', Screen: 'true', Record: 'false', WhisperSoundId: '9' },
    ] as Record<string, string>[]) {
      assert.equal((await h.call('PUT', `number/${mine[1]}.json`, { form })).status, 204);
    }
    const tracking = (await numberOf(mine[1]!)).NumberConfiguration.InboundCallConfiguration.CallTrackingConfig;
    assert.deepEqual({ ...tracking, '@id': 0 }, { '@id': 0, TransferNumber: '13105551213', Screen: true, Record: false, WhisperSoundId: 9 });
  });

  test('IVR with a dialplan as a form field, and as a multipart file part (Scala)', async () => {
    const dialplan = '<dialplan name="Root">\r\n\t<play type="tts">Hello & welcome</play>\r\n</dialplan>';
    assert.equal((await h.call('PUT', `number/${mine[2]}`, { form: { InboundCallConfigurationType: 'IVR', DialplanXml: dialplan, 'IvrInboundConfig[id]': '3' } })).status, 204);
    let ivr = (await numberOf(mine[2]!)).NumberConfiguration.InboundCallConfiguration.IvrInboundConfig;
    assert.equal(ivr.DialplanXml, dialplan);
    const xml = (await h.call('GET', `number/${mine[2]}`)).text;
    assert.ok(xml.includes('<DialplanXml>&lt;dialplan name="Root"&gt;'), xml);

    const boundary = 'numberdBoundary';
    const other = '<dialplan name="Other"><hangup/></dialplan>';
    const body = [
      `--${boundary}`, 'Content-Disposition: form-data; name="IvrInboundConfig[id]"', '', '3',
      `--${boundary}`, 'Content-Disposition: form-data; name="DialplanXml"; filename="dialplan.xml"', 'Content-Type: application/xml', '', other,
      `--${boundary}--`, '',
    ].join('\r\n');
    const reply = await h.call('PUT', `number/${mine[2]}`, { body, contentType: `multipart/form-data; boundary=${boundary}` });
    assert.equal(reply.status, 204, reply.text);
    ivr = (await numberOf(mine[2]!)).NumberConfiguration.InboundCallConfiguration.IvrInboundConfig;
    assert.equal(ivr.DialplanXml, other);
    assert.equal((await numberOf(mine[2]!)).NumberConfiguration.InboundCallConfigurationType, 'IVR');
  });

  test('bad configurations are 400s naming the parameter, another account\'s number is 404, and nothing is written', async () => {
    const before = await h.snapshot();
    const cases: [string, Record<string, string>, number, RegExp][] = [
      [mine[0]!, { CallFeature: 'SOMETIMES' }, 400, /CallFeature must be one of UNSUPPORTED, PENDING, DISABLED, ENABLED/],
      [mine[0]!, { TextFeature: 'on' }, 400, /TextFeature/],
      [mine[0]!, { InboundCallConfigurationType: 'FAX' }, 400, /InboundCallConfigurationType must be one of TRACKING, IVR/],
      [mine[0]!, { InboundCallConfigurationType: 'IVR', TransferNumber: '13105551212' }, 400, /does not match/],
      [mine[0]!, { TransferNumber: '555', Screen: 'true' }, 400, /TransferNumber "555"/],
      [mine[0]!, { Screen: 'yes' }, 400, /Screen must be true or false/],
      [mine[0]!, { IntroSoundId: 'loud' }, 400, /IntroSoundId must be a numeric id/],
      [mine[0]!, { TransferNumber: '13105551212', DialplanXml: '<dialplan/>' }, 400, /either/],
      [mine[0]!, { CallFeature: 'ENABLED' }, 404, /not in this account/],
    ];
    for (const [number, form, status, message] of cases) {
      const reply = await h.call('PUT', `number/${number}.json`, { form, as: status === 404 ? 'bob' : 'alice' });
      assert.equal(reply.status, status, JSON.stringify(form));
      assert.match(reply.json.ResourceException.Message, message);
    }
    assert.equal(await h.snapshot(), before);
  });
});

describe('QueryKeywords and Release', () => {
  test('QueryKeywords lists the account\'s keywords with status and lease', async () => {
    const reply = await h.call('GET', 'number/keyword.json', { form: { MaxResults: '1', FirstResult: '1' } });
    assert.equal(reply.json.ResourceList['@totalResults'], 2);
    const [keyword] = reply.json.ResourceList.Keyword;
    assert.equal(keyword.Keyword, 'OWNEDTWO');
    assert.equal(keyword.ShortCode, '67076');
    assert.equal(keyword.Status, 'ACTIVE');
    assert.equal(keyword.LeaseInfo.AutoRenew, true);
    assert.deepEqual((await h.call('GET', 'number/keyword.json', { as: 'bob' })).json, { ResourceList: { '@totalResults': 0 } });
    const xml = await h.call('GET', 'number/keyword', { form: { MaxResults: '1000', FirstResult: '0' } });
    assert.match(xml.text, /totalResults="2"><Keyword><ShortCode>67076<\/ShortCode><Keyword>OWNEDONE<\/Keyword><Status>ACTIVE<\/Status><LeaseInfo><LeaseBegin>[^<]+Z<\/LeaseBegin><LeaseEnd>[^<]+Z<\/LeaseEnd><AutoRenew>true<\/AutoRenew><\/LeaseInfo><\/Keyword>/);
  });

  test('Release turns auto-renewal off and answers 204 with no body; the asset stays active until its lease ends', async () => {
    const reply = await h.call('PUT', 'number/release', { form: { Number: mine[0]! } });
    assert.equal(reply.status, 204);
    assert.equal(reply.text, '');
    const n = await numberOf(mine[0]!);
    assert.equal(n.LeaseInfo.AutoRenew, false);
    assert.equal(n.Status, 'ACTIVE');
    assert.equal((await h.call('PUT', 'number/release.json', { form: { Number: mine[0]! } })).status, 204, 'releasing twice is harmless');

    // zeep must send an empty Number with a keyword; Java sends both keys.
    assert.equal((await h.call('PUT', 'number/release.json', { form: { Number: '', Keyword: 'ownedone' } })).status, 204);
    const keywords = (await h.call('GET', 'number/keyword.json')).json.ResourceList.Keyword;
    assert.equal(keywords.find((k: any) => k.Keyword === 'OWNEDONE').LeaseInfo.AutoRenew, false);
  });

  test('the Node SDK\'s release path with " <id>" appended still releases', async () => {
    const reply = await h.call('PUT', `number/release%20${mine[1]}`, { form: { number: mine[1]! }, contentType: null });
    assert.equal(reply.status, 204, reply.text);
    assert.equal((await numberOf(mine[1]!)).LeaseInfo.AutoRenew, false);
  });

  test('releasing nothing, a malformed number or someone else\'s asset is refused and writes nothing', async () => {
    const before = await h.snapshot();
    const cases: [Record<string, string>, string, number, RegExp][] = [
      [{}, 'alice', 400, /Number or Keyword is required/],
      [{ Number: '999' }, 'alice', 400, /Number "999"/],
      [{ Keyword: 'NO WAY!' }, 'alice', 400, /Keyword/],
      [{ Number: mine[2]! }, 'bob', 404, /not in this account/],
      [{ Keyword: 'OWNEDTWO' }, 'bob', 404, /keyword OWNEDTWO is not in this account/],
    ];
    for (const [form, as, status, message] of cases) {
      const reply = await h.call('PUT', 'number/release', { form, as });
      assert.equal(reply.status, status, JSON.stringify(form));
      assert.match(reply.text, message);
    }
    assert.equal(await h.snapshot(), before);
  });
});
