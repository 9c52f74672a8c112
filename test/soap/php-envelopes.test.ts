import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { isTerminal, type OrderStatus } from '../../src/domain/order.ts';
import { startHarness, type Harness } from '../support/harness.ts';
import type { SchemaSet } from '../support/xml-schema.ts';
import { assertValidSoapAnswer, parseBody, parseFault, postSoap, servedSchemaSet } from './support.ts';

let h: Harness;
let served: SchemaSet;
before(async () => {
  h = await startHarness();
  served = await servedSchemaSet(h.baseUrl);
});
after(() => h.close());

const NS = { svc: 'http://api.callfire.com/service/xsd', data: 'http://api.callfire.com/data' };

/**
 * An envelope exactly as PHP 8.2's SoapClient writes it with the CallFire PHP SDK's options
 * (`soap_version => 'SOAP_1_2'` as a string, so SOAP 1.1): ns1, ns2 numbered in order of first
 * use, no whitespace, a trailing newline. Captured from PHP-SOAP/8.2.32 against numberd's WSDL.
 */
function php(namespaces: (keyof typeof NS)[], body: string): string {
  const declarations = namespaces.map((name, i) => ` xmlns:ns${i + 1}="${NS[name]}"`).join('');
  return '<?xml version="1.0" encoding="UTF-8"?>\n'
    + `<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/"${declarations}>`
    + `<SOAP-ENV:Body>${body}</SOAP-ENV:Body></SOAP-ENV:Envelope>\n`;
}

/** Sends it with PHP's headers, checks the SOAP 1.1 answer against both schema sets, and parses the Body. */
async function phpCall(service: 'number' | 'label', action: string, envelope: string): Promise<Record<string, any>> {
  const reply = await postSoap(h, service, envelope, { version: '1.1', action, headers: { 'user-agent': 'PHP-SOAP/8.2.32' } });
  assert.equal(reply.status, 200, reply.text);
  assert.equal(reply.headers['content-type'], 'text/xml; charset=utf-8');
  await assertValidSoapAnswer(reply.text, '1.1', served);
  return parseBody(reply.text);
}

const numbersOf = (result: any): string[] => (result.Number ?? []).map((n: any) => n.Number);

describe('raw SOAP 1.1 envelopes as PHP SoapClient sends them', () => {
  let specific: string;
  let local: string[];

  test('QueryRegions with the empty <Region/> PHP sends for a null Region lists every region', async () => {
    const body = await phpCall('number', 'QueryRegions', php(['svc', 'data'],
      '<ns1:QueryRegions><ns1:MaxResults>2</ns1:MaxResults><ns2:Region/></ns1:QueryRegions>'));
    assert.ok(Number(body.RegionQueryResult.TotalResults) > 100);
    assert.equal(body.RegionQueryResult.Region.length, 2);
  });

  test('SearchAvailableNumbers (data namespace first, as PHP numbers it) and SearchAvailableKeywords', async () => {
    const numbers = await phpCall('number', 'SearchAvailableNumbers', php(['data', 'svc'],
      '<ns2:SearchAvailableNumbers><ns1:Region><ns1:State>WA</ns1:State></ns1:Region><ns2:TollFree>false</ns2:TollFree>'
      + '<ns2:Count>2</ns2:Count></ns2:SearchAvailableNumbers>'));
    assert.equal(numbers.NumberQueryResult.TotalResults, '2');
    for (const number of numbers.NumberQueryResult.Number) assert.equal(number.Region.State, 'WA');
    specific = numbers.NumberQueryResult.Number[0].Number;

    const keywords = await phpCall('number', 'SearchAvailableKeywords', php(['svc'],
      '<ns1:SearchAvailableKeywords><ns1:Keywords>PHPKW HELP</ns1:Keywords></ns1:SearchAvailableKeywords>'));
    assert.deepEqual(keywords.KeywordQueryResult.Keyword, [{ ShortCode: '67076', Keyword: 'PHPKW' }]);
  });

  test('CreateNumberOrder answers CreatedId; GetNumberOrder is polled until FINISHED', async () => {
    const created = await phpCall('number', 'CreateNumberOrder', php(['svc', 'data'],
      `<ns1:CreateNumberOrder><ns1:Numbers>${specific}</ns1:Numbers><ns1:Keywords>PHPKW</ns1:Keywords>`
      + '<ns1:BulkLocal><ns1:Count>2</ns1:Count><ns2:Region><ns2:State>OR</ns2:State></ns2:Region></ns1:BulkLocal>'
      + '<ns1:BulkTollFree><ns1:Count>1</ns1:Count></ns1:BulkTollFree></ns1:CreateNumberOrder>'));
    const id = created.CreatedId;
    assert.match(id, /^\d+$/);
    let order: any;
    do {
      order = (await phpCall('number', 'GetNumberOrder', php(['svc'], `<ns1:GetNumberOrder><ns1:Id>${id}</ns1:Id></ns1:GetNumberOrder>`))).NumberOrder;
    } while (!isTerminal(order.Status as OrderStatus));
    assert.equal(order['@id'], id);
    assert.equal(order.Status, 'FINISHED');
    assert.equal(order.TotalCost, '13.0');
    assert.deepEqual(order.Keywords, { Ordered: '1', UnitCost: '5.5', Fulfilled: 'PHPKW' });
    local = order.LocalNumbers.Fulfilled.split(' ');
    assert.deepEqual([local.length, local[0]], [3, specific]);
    assert.equal(order.TollFreeNumbers.Ordered, '1');
  });

  test('QueryNumbers with an empty Region, GetNumber and QueryKeywords read what was bought', async () => {
    const all = await phpCall('number', 'QueryNumbers', php(['svc', 'data'],
      '<ns1:QueryNumbers><ns1:MaxResults>10</ns1:MaxResults><ns1:FirstResult>0</ns1:FirstResult><ns2:Region/></ns1:QueryNumbers>'));
    assert.equal(all.QueryNumbers, undefined);
    assert.equal(all.NumberQueryResult.TotalResults, '4');
    const number = await phpCall('number', 'GetNumber', php(['svc'], `<ns1:GetNumber><ns1:Number>${specific}</ns1:Number></ns1:GetNumber>`));
    assert.equal(number.Number.Number, specific);
    assert.equal(number.Number.Status, 'ACTIVE');
    const keywords = await phpCall('number', 'QueryKeywords', php(['svc'], '<ns1:QueryKeywords><ns1:MaxResults>10</ns1:MaxResults></ns1:QueryKeywords>'));
    assert.equal(keywords.KeywordQueryResult.Keyword[0].Keyword, 'PHPKW');
  });

  test('ConfigureNumber with an IVR config (id attribute, escaped dialplan) and with call tracking answers an empty Body', async () => {
    const ivr = await phpCall('number', 'ConfigureNumber', php(['svc', 'data'],
      `<ns1:ConfigureNumber><ns1:Number>${local[1]}</ns1:Number><ns2:NumberConfiguration><ns2:CallFeature>ENABLED</ns2:CallFeature>`
      + '<ns2:InboundCallConfigurationType>IVR</ns2:InboundCallConfigurationType><ns2:InboundCallConfiguration>'
      + '<ns2:IvrInboundConfig id="5"><ns2:DialplanXml>&lt;dialplan&gt;&lt;play&gt;Hi &amp; bye&lt;/play&gt;&lt;/dialplan&gt;</ns2:DialplanXml>'
      + '</ns2:IvrInboundConfig></ns2:InboundCallConfiguration></ns2:NumberConfiguration></ns1:ConfigureNumber>'));
    assert.equal(ivr, '', 'an empty Body');
    await phpCall('number', 'ConfigureNumber', php(['svc', 'data'],
      `<ns1:ConfigureNumber><ns1:Number>${local[2]}</ns1:Number><ns2:NumberConfiguration><ns2:InboundCallConfiguration>`
      + '<ns2:CallTrackingConfig><ns2:TransferNumber>12065551111 12065552222</ns2:TransferNumber><ns2:Screen>true</ns2:Screen>'
      + '<ns2:Record>false</ns2:Record></ns2:CallTrackingConfig></ns2:InboundCallConfiguration></ns2:NumberConfiguration></ns1:ConfigureNumber>'));

    const read = async (number: string) =>
      (await phpCall('number', 'GetNumber', php(['svc'], `<ns1:GetNumber><ns1:Number>${number}</ns1:Number></ns1:GetNumber>`))).Number.NumberConfiguration;
    const ivrConfig = await read(local[1]!);
    assert.equal(ivrConfig.CallFeature, 'ENABLED');
    assert.equal(ivrConfig.InboundCallConfiguration.IvrInboundConfig.DialplanXml, '<dialplan><play>Hi & bye</play></dialplan>');
    const tracking = await read(local[2]!);
    assert.equal(tracking.InboundCallConfigurationType, 'TRACKING');
    const { '@id': configId, ...fields } = tracking.InboundCallConfiguration.CallTrackingConfig;
    assert.match(configId, /^\d+$/, 'numberd assigns the configuration id');
    assert.deepEqual(fields, { TransferNumber: '12065551111 12065552222', Screen: 'true', Record: 'false' });
  });

  test('Release of a keyword with the empty Number PHP sends, and of a number', async () => {
    await phpCall('number', 'Release', php(['svc'], '<ns1:Release><ns1:Number></ns1:Number><ns1:Keyword>PHPKW</ns1:Keyword></ns1:Release>'));
    await phpCall('number', 'Release', php(['svc'], `<ns1:Release><ns1:Number>${local[0]}</ns1:Number></ns1:Release>`));
    const keywords = await phpCall('number', 'QueryKeywords', php(['svc'], '<ns1:QueryKeywords></ns1:QueryKeywords>'));
    assert.equal(keywords.KeywordQueryResult.Keyword[0].LeaseInfo.AutoRenew, 'false');
    const number = await phpCall('number', 'GetNumber', php(['svc'], `<ns1:GetNumber><ns1:Number>${local[0]}</ns1:Number></ns1:GetNumber>`));
    assert.equal(number.Number.LeaseInfo.AutoRenew, 'false');
  });

  test('LabelNumber (an escaped label name), QueryNumbers by LabelName, UnlabelNumber, QueryLabels, DeleteLabel', async () => {
    const label = (action: string, number: string, name: string) =>
      phpCall('label', action, php(['svc'], `<ns1:${action}><ns1:Number>${number}</ns1:Number><ns1:LabelName>${name}</ns1:LabelName></ns1:${action}>`));
    await label('LabelNumber', local[0]!, 'a&amp;b');
    await label('LabelNumber', local[1]!, 'a&amp;b');
    const byLabel = await phpCall('number', 'QueryNumbers', php(['svc', 'data'],
      '<ns1:QueryNumbers><ns2:Region/><ns1:LabelName>a&amp;b</ns1:LabelName></ns1:QueryNumbers>'));
    assert.deepEqual(numbersOf(byLabel.NumberQueryResult).sort(), [local[0], local[1]].sort());
    await label('UnlabelNumber', local[0]!, 'a&amp;b');
    const labels = await phpCall('label', 'QueryLabels', php(['svc'], '<ns1:QueryLabels><ns1:MaxResults>10</ns1:MaxResults></ns1:QueryLabels>'));
    assert.deepEqual(labels.LabelQueryResult, { TotalResults: '1', Label: [{ Name: 'a&b' }] });
    await phpCall('label', 'DeleteLabel', php(['svc'], '<ns1:DeleteLabel><ns1:LabelName>a&amp;b</ns1:LabelName></ns1:DeleteLabel>'));
    const none = await phpCall('label', 'QueryLabels', php(['svc'], '<ns1:QueryLabels/>'));
    assert.deepEqual(none.LabelQueryResult, { TotalResults: '0' });
  });

  test('a PHP request for an unknown label is a SOAP 1.1 Client fault with NOT_FOUND', async () => {
    const before = await h.snapshot();
    const reply = await postSoap(h, 'label', php(['svc'], '<ns1:DeleteLabel><ns1:LabelName>never</ns1:LabelName></ns1:DeleteLabel>'), { version: '1.1', action: 'DeleteLabel' });
    await assertValidSoapAnswer(reply.text, '1.1', served);
    assert.deepEqual(parseFault(reply), { status: 500, code: 'Client', faultCode: 'NOT_FOUND', message: 'no label never in this account' });
    assert.equal(await h.snapshot(), before);
  });
});
