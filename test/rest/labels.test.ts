import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startHarness, type Harness } from '../support/harness.ts';

let h: Harness;
let mine: string[] = [];
before(async () => {
  h = await startHarness();
  const order = await h.call('POST', 'number/order.json', { form: { LocalCount: '3', State: 'OR' } });
  mine = (await h.waitForOrder(order.json.ResourceReference.Id)).order.LocalNumbers.Fulfilled.split(' ');
});
after(() => h.close());

const labelled = async (name: string, as = 'alice') =>
  ((await h.call('GET', 'number.json', { form: { LabelName: name }, as })).json.ResourceList.Number ?? []).map((n: any) => n.Number);

describe('labels', () => {
  test('LabelNumber creates the label on first use; QueryNumbers by LabelName finds the labelled numbers', async () => {
    assert.equal((await h.call('POST', `label/number/${mine[0]}`, { form: { LabelName: 'support line' } })).status, 204);
    // C# and Java also send Number in the body; labelling twice is harmless.
    assert.equal((await h.call('POST', `label/number/${mine[1]}.json`, { form: { Number: mine[1]!, LabelName: 'support line' } })).status, 204);
    assert.equal((await h.call('POST', `label/number/${mine[1]}.json`, { form: { LabelName: 'support line' } })).status, 204);
    assert.equal((await h.call('POST', `label/number/${mine[2]}`, { form: { labelName: 'sales' }, contentType: null, chunked: true })).status, 204);
    assert.deepEqual(await labelled('support line'), [mine[0], mine[1]].sort());
    assert.deepEqual(await labelled('sales'), [mine[2]]);
    assert.deepEqual(await labelled('nothing'), []);

    const reply = await h.call('GET', 'label.json', { form: { MaxResults: '1000', FirstResult: '0' } });
    assert.deepEqual(reply.json, { ResourceList: { '@totalResults': 2, Label: [{ Name: 'sales' }, { Name: 'support line' }] } });
    const xml = await h.call('GET', 'label', { form: { MaxResults: '1', FirstResult: '1' } });
    assert.match(xml.text, /totalResults="2"><Label><Name>support line<\/Name><\/Label><\/r:ResourceList>$/);
  });

  test('labels are per account: another account sees none and cannot label or query with them', async () => {
    assert.deepEqual((await h.call('GET', 'label.json', { as: 'bob' })).json, { ResourceList: { '@totalResults': 0 } });
    assert.deepEqual(await labelled('support line', 'bob'), []);
    const before = await h.snapshot();
    const reply = await h.call('POST', `label/number/${mine[0]}`, { form: { LabelName: 'stolen' }, as: 'bob' });
    assert.equal(reply.status, 404);
    assert.equal(await h.snapshot(), before);
  });

  test('UnlabelNumber removes the label from the number, with LabelName in the body (PHP, C#) or the query (Java)', async () => {
    assert.equal((await h.call('DELETE', `label/number/${mine[0]}`, { form: { LabelName: 'support line' } })).status, 204);
    assert.equal((await h.call('DELETE', `label/number/${mine[1]}.json?LabelName=support%20line&Number=${mine[1]}`)).status, 204);
    assert.deepEqual(await labelled('support line'), []);
    const labels = (await h.call('GET', 'label.json')).json.ResourceList.Label.map((l: any) => l.Name);
    assert.ok(labels.includes('support line'), 'the label itself survives');
  });

  test('unlabelling a number that lacks the label, or deleting an unknown label, is a 404 saying "no label"', async () => {
    for (const [method, url, form] of [
      ['DELETE', `label/number/${mine[0]}.json`, { LabelName: 'support line' }],
      ['DELETE', `label/number/${mine[0]}.json`, { LabelName: 'never made' }],
      ['DELETE', 'label.json', { LabelName: 'never made' }],
    ] as const) {
      const reply = await h.call(method, url, { form });
      assert.equal(reply.status, 404);
      assert.match(reply.json.ResourceException.Message, /no label/);
    }
  });

  test('a request without LabelName (the Node SDK loses DELETE bodies) is a 400', async () => {
    const before = await h.snapshot();
    for (const [method, url] of [['DELETE', `label/number/${mine[2]}`], ['DELETE', 'label'], ['POST', `label/number/${mine[2]}`]] as const) {
      const reply = await h.call(method, url);
      assert.equal(reply.status, 400);
      assert.match(reply.text, /LabelName is required/);
    }
    assert.equal(await h.snapshot(), before);
  });

  test('DeleteLabel removes the label from every number and the list', async () => {
    assert.equal((await h.call('DELETE', 'label', { form: { LabelName: 'sales' } })).status, 204);
    assert.deepEqual(await labelled('sales'), []);
    assert.deepEqual((await h.call('GET', 'label.json')).json.ResourceList.Label, [{ Name: 'support line' }]);
    assert.equal((await h.call('DELETE', 'label.json?LabelName=support+line')).status, 204);
    assert.deepEqual((await h.call('GET', 'label.json')).json, { ResourceList: { '@totalResults': 0 } });
  });
});
