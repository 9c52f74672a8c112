import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { isTerminal, type OrderStatus } from '../../src/domain/order.ts';
import { startHarness, type Harness } from '../support/harness.ts';
import type { SchemaSet } from '../support/xml-schema.ts';
import { nodeSoapClient, servedSchemaSet, type NodeSoapPorts } from './support.ts';

let h: Harness;
let served: SchemaSet;
let alice: NodeSoapPorts;
before(async () => {
  h = await startHarness();
  served = await servedSchemaSet(h.baseUrl);
  alice = await nodeSoapClient(h.baseUrl, 'alice', served);
});
after(() => h.close());

/** How node-soap reads an envelope whose Body is empty (operations with the Empty output message). */
const EMPTY_BODY = { Body: null };

const numbersOf = (result: any): string[] => (result?.Number ?? []).map((n: any) => n.Number);

async function waitForOrder(id: number): Promise<any> {
  for (;;) {
    const order = await alice.number('GetNumberOrder', { Id: id });
    if (isTerminal(order.Status as OrderStatus)) return order;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

// One scenario in order: each step uses what the previous ones bought.
describe('the npm soap package, reading the served WSDL, runs the Number and Label services over SOAP 1.2', () => {
  let specific: string;
  let order: any;
  let local: string[];

  test('QueryRegions filters by the Region fields and pages with MaxResults', async () => {
    const result = await alice.number('QueryRegions', { MaxResults: 2, Region: { State: 'WA' } });
    assert.ok(Number(result.TotalResults) > 2, `several WA regions, got ${result.TotalResults}`);
    assert.equal(result.Region.length, 2);
    for (const region of result.Region) assert.equal(region.State, 'WA');
  });

  test('SearchAvailableNumbers finds local numbers in a region and toll-free numbers', async () => {
    const localResult = await alice.number('SearchAvailableNumbers', { Region: { State: 'TX' }, Count: 2 });
    assert.equal(numbersOf(localResult).length, 2);
    for (const number of localResult.Number) {
      assert.equal(number.Region.State, 'TX');
      // node-soap leaves scalars inside a referenced data element as text.
      assert.equal(number.TollFree, 'false');
    }
    specific = localResult.Number[0].Number;
    const tollFree = await alice.number('SearchAvailableNumbers', { TollFree: true, Count: 3 });
    assert.equal(numbersOf(tollFree).length, 3);
    for (const number of tollFree.Number) assert.equal(number.TollFree, 'true');
  });

  test('SearchAvailableKeywords answers only the keywords that can be ordered', async () => {
    const result = await alice.number('SearchAvailableKeywords', { Keywords: 'SOAPY STOP' });
    assert.equal(Number(result.TotalResults), 1);
    assert.deepEqual(result.Keyword.map((k: any) => [k.ShortCode, k.Keyword]), [['67076', 'SOAPY']]);
  });

  test('CreateNumberOrder with specific numbers, keywords, BulkLocal with a Region and BulkTollFree answers a CreatedId; GetNumberOrder polls it to FINISHED', async () => {
    const id = await alice.number('CreateNumberOrder', {
      Numbers: specific,
      Keywords: 'SOAPY',
      BulkLocal: { Count: 2, Region: { State: 'OR' } },
      BulkTollFree: { Count: 1 },
    });
    assert.equal(typeof id, 'number', `CreatedId is read as a long: ${JSON.stringify(id)}`);
    order = await waitForOrder(id);
    assert.equal(order.attributes.id, String(id));
    assert.equal(order.Status, 'FINISHED');
    assert.equal(order.LocalNumbers.Ordered, 3);
    assert.equal(order.TollFreeNumbers.Ordered, 1);
    assert.deepEqual(order.Keywords, { Ordered: 1, UnitCost: 5.5, Fulfilled: 'SOAPY' });
    assert.equal(order.TotalCost, 3 * 1.5 + 3 + 5.5);
    local = order.LocalNumbers.Fulfilled.split(' ');
    assert.equal(local.length, 3);
    assert.equal(local[0], specific);
  });

  test('QueryNumbers lists what was bought; GetNumber reads one with its lease', async () => {
    const all = await alice.number('QueryNumbers', { Region: {} });
    assert.equal(Number(all.TotalResults), 4);
    assert.deepEqual(numbersOf(all).sort(), [...local, order.TollFreeNumbers.Fulfilled].sort());
    const inOregon = await alice.number('QueryNumbers', { Region: { State: 'OR' } });
    assert.deepEqual(numbersOf(inOregon).sort(), local.slice(1).sort());

    const number = await alice.number('GetNumber', { Number: specific });
    assert.equal(number.Number, specific);
    assert.equal(number.Status, 'ACTIVE');
    assert.equal(number.LeaseInfo.AutoRenew, true);
  });

  test('ConfigureNumber sets call tracking on one number and an IVR dialplan on another; GetNumber reads them back', async () => {
    const configured = await alice.number('ConfigureNumber', {
      Number: local[1],
      NumberConfiguration: {
        CallFeature: 'ENABLED',
        TextFeature: 'DISABLED',
        InboundCallConfigurationType: 'TRACKING',
        InboundCallConfiguration: {
          CallTrackingConfig: { attributes: { id: 42 }, TransferNumber: '12065550100 12065550101', Screen: true, Record: false, IntroSoundId: 7 },
        },
      },
    });
    assert.deepEqual(configured, EMPTY_BODY);
    const tracking = (await alice.number('GetNumber', { Number: local[1] })).NumberConfiguration;
    assert.equal(tracking.CallFeature, 'ENABLED');
    assert.equal(tracking.TextFeature, 'DISABLED');
    assert.equal(tracking.InboundCallConfigurationType, 'TRACKING');
    const config = tracking.InboundCallConfiguration.CallTrackingConfig;
    assert.equal(config.TransferNumber, '12065550100 12065550101');
    assert.equal(config.Screen, true);
    assert.equal(config.Record, false);
    assert.equal(config.IntroSoundId, 7);

    const dialplan = '<dialplan name="Root"><play type="tts">Hello &amp; welcome, "friend"</play></dialplan>';
    await alice.number('ConfigureNumber', {
      Number: local[2],
      NumberConfiguration: { InboundCallConfiguration: { IvrInboundConfig: { DialplanXml: dialplan } } },
    });
    const ivr = (await alice.number('GetNumber', { Number: local[2] })).NumberConfiguration;
    assert.equal(ivr.InboundCallConfigurationType, 'IVR');
    assert.equal(ivr.InboundCallConfiguration.IvrInboundConfig.DialplanXml, dialplan);
  });

  test('QueryKeywords lists the keyword bought', async () => {
    const result = await alice.number('QueryKeywords', { MaxResults: 10, FirstResult: 0 });
    assert.equal(Number(result.TotalResults), 1);
    assert.equal(result.Keyword[0].Keyword, 'SOAPY');
    assert.equal(result.Keyword[0].Status, 'ACTIVE');
  });

  test('Release turns auto-renew off for a number, and for a keyword sent with an empty Number', async () => {
    assert.deepEqual(await alice.number('Release', { Number: local[0] }), EMPTY_BODY);
    assert.equal((await alice.number('GetNumber', { Number: local[0] })).LeaseInfo.AutoRenew, false);
    await alice.number('Release', { Number: '', Keyword: 'SOAPY' });
    const keywords = await alice.number('QueryKeywords', {});
    assert.equal(keywords.Keyword[0].LeaseInfo.AutoRenew, 'false');
  });

  test('LabelNumber, QueryNumbers by LabelName, UnlabelNumber, QueryLabels and DeleteLabel on the label port', async () => {
    assert.deepEqual(await alice.label('LabelNumber', { Number: local[0], LabelName: 'soap line' }), EMPTY_BODY);
    await alice.label('LabelNumber', { Number: local[1], LabelName: 'soap line' });
    await alice.label('LabelNumber', { Number: local[2], LabelName: 'other' });
    const labelled = await alice.number('QueryNumbers', { Region: {}, LabelName: 'soap line' });
    assert.deepEqual(numbersOf(labelled).sort(), [local[0], local[1]].sort());

    await alice.label('UnlabelNumber', { Number: local[0], LabelName: 'soap line' });
    assert.deepEqual(numbersOf(await alice.number('QueryNumbers', { Region: {}, LabelName: 'soap line' })), [local[1]]);

    const labels = await alice.label('QueryLabels', { MaxResults: 10 });
    assert.equal(Number(labels.TotalResults), 2);
    assert.deepEqual(labels.Label.map((l: any) => l.Name), ['other', 'soap line']);

    assert.deepEqual(await alice.label('DeleteLabel', { LabelName: 'soap line' }), EMPTY_BODY);
    const left = await alice.label('QueryLabels', {});
    assert.deepEqual(left.Label.map((l: any) => l.Name), ['other']);
    assert.deepEqual(numbersOf(await alice.number('QueryNumbers', { Region: {}, LabelName: 'soap line' })), []);
  });

  test('a fault reaches the client as an error carrying ServiceFaultInfo', async () => {
    await assert.rejects(alice.number('GetNumberOrder', { Id: 987654 }), (error: any) => {
      assert.equal(error.response.status, 500);
      assert.equal(error.root.Envelope.Body.Fault.Detail.ServiceFaultInfo.FaultCode, 'NOT_FOUND');
      return true;
    });
  });
});
