import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startHarness, type Harness } from '../support/harness.ts';
import { serviceSchemaSet, validateXml, type SchemaSet } from '../support/xml-schema.ts';
import { assertValidSoapAnswer, parseBody, parseFault, postSoap, servedSchemaSet, soap12, SOAP11_NS } from './support.ts';

let h: Harness;
let served: SchemaSet;
let alicesNumber: string;
before(async () => {
  h = await startHarness();
  served = await servedSchemaSet(h.baseUrl);
  const order = await h.call('POST', 'number/order.json', { form: { LocalCount: '1', State: 'WA' } });
  alicesNumber = (await h.waitForOrder(order.json.ResourceReference.Id)).order.LocalNumbers.Fulfilled;
});
after(() => h.close());

const SVC = 'xmlns:svc="http://api.callfire.com/service/xsd"';
const DATA = 'xmlns:d="http://api.callfire.com/data"';

/** Posts a SOAP 1.2 body (or a whole document) and expects a valid fault that wrote nothing. */
async function fault12(bodyOrDocument: string, options: { service?: 'number' | 'label'; as?: string; whole?: boolean } = {}) {
  const before = await h.snapshot();
  const envelope = options.whole ? bodyOrDocument : soap12(bodyOrDocument);
  const reply = await postSoap(h, options.service ?? 'number', envelope, { version: '1.2', as: options.as });
  assert.equal(reply.status, 500, reply.text);
  assert.equal(reply.headers['content-type'], 'application/soap+xml; charset=utf-8');
  await assertValidSoapAnswer(reply.text, '1.2', served);
  assert.equal(await h.snapshot(), before, 'a fault writes nothing');
  return parseFault(reply);
}

describe('SOAP faults', () => {
  test('an unknown operation, or an operation of the other port, is a Sender fault with BAD_REQUEST', async () => {
    const unknown = await fault12(`<svc:FrobnicateNumber ${SVC}/>`);
    assert.deepEqual([unknown.code, unknown.faultCode], ['Sender', 'BAD_REQUEST']);
    assert.match(unknown.message, /unknown operation \{http:\/\/api\.callfire\.com\/service\/xsd\}FrobnicateNumber/);
    const otherPort = await fault12(`<svc:QueryLabels ${SVC}/>`, { service: 'number' });
    assert.match(otherPort.message, /unknown operation .*QueryLabels on the number service/);
    assert.equal((await fault12(`<svc:constructor ${SVC}/>`)).faultCode, 'BAD_REQUEST');
  });

  test('a malformed envelope, a non-envelope root, an empty Body and an empty request are BAD_REQUEST faults', async () => {
    for (const [document, message] of [
      [`<env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope"><env:Body><svc:GetNumber ${SVC}></env:Body></env:Envelope>`, /malformed XML/],
      [`<svc:GetNumber ${SVC}><svc:Number>1</svc:Number></svc:GetNumber>`, /not a SOAP envelope/],
      ['<env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope"><env:Body/></env:Envelope>', /exactly one request element/],
      ['<env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope"/>', /exactly one Body/],
      [`<env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope"><env:Body><x:GetNumber/></env:Body></env:Envelope>`, /prefix "x" is not declared/],
      ['', /malformed XML/],
    ] as const) {
      const fault = await fault12(document, { whole: true });
      assert.deepEqual([fault.code, fault.faultCode], ['Sender', 'BAD_REQUEST'], document);
      assert.match(fault.message, message);
    }
  });

  test('XXE and billion-laughs documents are refused before parsing: BAD_REQUEST, nothing read or expanded', async () => {
    const xxe = `<?xml version="1.0"?><!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>`
      + soap12(`<svc:GetNumber ${SVC}><svc:Number>&xxe;</svc:Number></svc:GetNumber>`).replace(/^<\?xml[^>]*>/, '');
    const laughs = '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
      + Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i || ''};`.repeat(10)}">`).join('') + ']>'
      + soap12(`<svc:SearchAvailableKeywords ${SVC}><svc:Keywords>&lol9;</svc:Keywords></svc:SearchAvailableKeywords>`).replace(/^<\?xml[^>]*>/, '');
    for (const document of [xxe, laughs]) {
      const fault = await fault12(document, { whole: true });
      assert.deepEqual([fault.code, fault.faultCode], ['Sender', 'BAD_REQUEST']);
      assert.match(fault.message, /DOCTYPE and ENTITY declarations are not accepted/);
    }
    // A reference to an undeclared entity is not looked up anywhere either.
    const undeclared = await fault12(`<svc:GetNumber ${SVC}><svc:Number>&xxe;</svc:Number></svc:GetNumber>`);
    assert.match(undeclared.message, /undeclared entity &xxe;/);
  });

  test('nesting beyond the depth limit and bodies beyond the size limit are BAD_REQUEST faults', async () => {
    const deep = `<svc:GetNumber ${SVC}>${'<svc:Number>'.repeat(200)}1${'</svc:Number>'.repeat(200)}</svc:GetNumber>`;
    assert.match((await fault12(deep)).message, /nested tags/i);
    const huge = soap12(`<svc:SearchAvailableKeywords ${SVC}><svc:Keywords>${'A '.repeat(600_000)}</svc:Keywords></svc:SearchAvailableKeywords>`);
    const fault = await fault12(huge, { whole: true });
    assert.equal(fault.faultCode, 'BAD_REQUEST');
    assert.match(fault.message, /too large/i);
  });

  test('a request element or a child in the wrong namespace is BAD_REQUEST naming the expected namespace', async () => {
    const wrapper = await fault12(`<GetNumber xmlns="http://api.callfire.com/data"><Number>${alicesNumber}</Number></GetNumber>`);
    assert.match(wrapper.message, /unknown operation \{http:\/\/api\.callfire\.com\/data\}GetNumber/);
    const child = await fault12(`<svc:GetNumber ${SVC} ${DATA}><d:Number>${alicesNumber}</d:Number></svc:GetNumber>`);
    assert.match(child.message, /unexpected element \{http:\/\/api\.callfire\.com\/data\}Number in GetNumber \(expected namespace http:\/\/api\.callfire\.com\/service\/xsd\)/);
    const region = await fault12(`<svc:QueryNumbers ${SVC}><svc:Region><svc:State>WA</svc:State></svc:Region></svc:QueryNumbers>`);
    assert.match(region.message, /unexpected element \{http:\/\/api\.callfire\.com\/service\/xsd\}Region/);
    const unknownChild = await fault12(`<svc:GetNumber ${SVC}><svc:Number>${alicesNumber}</svc:Number><svc:Extra>1</svc:Extra></svc:GetNumber>`);
    assert.match(unknownChild.message, /unexpected element .*Extra in GetNumber$/);
  });

  test('a missing required element is BAD_REQUEST naming it', async () => {
    for (const [body, name] of [
      [`<svc:GetNumber ${SVC}/>`, 'Number'],
      [`<svc:GetNumberOrder ${SVC}></svc:GetNumberOrder>`, 'Id'],
      [`<svc:SearchAvailableNumbers ${SVC}><svc:TollFree>true</svc:TollFree></svc:SearchAvailableNumbers>`, 'Count'],
    ] as const) {
      const fault = await fault12(body);
      assert.deepEqual([fault.faultCode, fault.message], ['BAD_REQUEST', `${name} is required`]);
    }
    const label = await fault12(`<svc:DeleteLabel ${SVC}/>`, { service: 'label' });
    assert.deepEqual([label.faultCode, label.message], ['BAD_REQUEST', 'LabelName is required']);
  });

  test('invalid values are BAD_REQUEST and an order that fails validation writes nothing', async () => {
    const order = await fault12(`<svc:CreateNumberOrder ${SVC} ${DATA}><svc:BulkLocal><svc:Count>lots</svc:Count><d:Region/></svc:BulkLocal></svc:CreateNumberOrder>`);
    assert.deepEqual([order.faultCode, order.message], ['BAD_REQUEST', 'LocalCount must be an integer from 0 to 9007199254740991, got "lots"']);
    const text = await fault12(`<svc:GetNumber ${SVC}><svc:Number><svc:Nested/></svc:Number></svc:GetNumber>`);
    assert.equal(text.message, 'Number must hold text, not elements');
  });

  test('an unknown order and another account\'s number are NOT_FOUND Sender faults', async () => {
    const order = await fault12(`<svc:GetNumberOrder ${SVC}><svc:Id>424242</svc:Id></svc:GetNumberOrder>`);
    assert.deepEqual([order.code, order.faultCode, order.message], ['Sender', 'NOT_FOUND', 'order 424242 does not exist']);
    const mine = await postSoap(h, 'number', soap12(`<svc:GetNumber ${SVC}><svc:Number>${alicesNumber}</svc:Number></svc:GetNumber>`), { version: '1.2' });
    assert.equal(mine.status, 200);
    const theirs = await fault12(`<svc:GetNumber ${SVC}><svc:Number>${alicesNumber}</svc:Number></svc:GetNumber>`, { as: 'bob' });
    assert.deepEqual([theirs.faultCode, theirs.message], ['NOT_FOUND', `number ${alicesNumber} is not in this account`]);
    const label = await fault12(`<svc:LabelNumber ${SVC}><svc:Number>${alicesNumber}</svc:Number><svc:LabelName>x</svc:LabelName></svc:LabelNumber>`, { service: 'label', as: 'bob' });
    assert.equal(label.faultCode, 'NOT_FOUND');
  });

  test('SOAP 1.1 faults use Client/Server, faultstring and detail; a bug is a Server fault with a bland message', async () => {
    const envelope = (body: string) => `<s:Envelope xmlns:s="${SOAP11_NS}"><s:Body>${body}</s:Body></s:Envelope>`;
    const client = await postSoap(h, 'number', envelope(`<svc:GetNumber ${SVC}/>`), { version: '1.1', action: 'GetNumber' });
    await assertValidSoapAnswer(client.text, '1.1', served);
    assert.equal(client.headers['content-type'], 'text/xml; charset=utf-8');
    assert.equal(parseBody(client.text).Fault.faultstring, 'Number is required');
    assert.deepEqual(parseFault(client), { status: 500, code: 'Client', faultCode: 'BAD_REQUEST', message: 'Number is required' });

    const numbers = h.context.services.numbers;
    const original = numbers.getNumber;
    numbers.getNumber = async () => { throw new Error('disk on fire at /var/secret'); };
    try {
      const server = await postSoap(h, 'number', envelope(`<svc:GetNumber ${SVC}><svc:Number>${alicesNumber}</svc:Number></svc:GetNumber>`), { version: '1.1' });
      await assertValidSoapAnswer(server.text, '1.1', served);
      assert.deepEqual(parseFault(server), { status: 500, code: 'Server', faultCode: 'UNAVAILABLE', message: 'internal server error' });
      assert.doesNotMatch(server.text, /secret/);
      const server12 = await postSoap(h, 'number', soap12(`<svc:GetNumber ${SVC}><svc:Number>${alicesNumber}</svc:Number></svc:GetNumber>`), { version: '1.2' });
      assert.equal(parseFault(server12).code, 'Receiver');
    } finally {
      numbers.getNumber = original;
    }
  });
});

describe('SOAP versions and authentication', () => {
  test('each envelope version is answered in its own version, whatever the media type says', async () => {
    const request = `<svc:QueryLabels ${SVC}/>`;
    const v12 = await postSoap(h, 'label', soap12(request), { version: '1.2', action: 'QueryLabels' });
    assert.equal(v12.headers['content-type'], 'application/soap+xml; charset=utf-8');
    await assertValidSoapAnswer(v12.text, '1.2', served);
    const v11 = await postSoap(h, 'label', `<e:Envelope xmlns:e="${SOAP11_NS}"><e:Header/><e:Body>${request}</e:Body></e:Envelope>`, { version: '1.2' });
    assert.equal(v11.headers['content-type'], 'text/xml; charset=utf-8');
    await assertValidSoapAnswer(v11.text, '1.1', served);
    assert.deepEqual(parseBody(v11.text).LabelQueryResult, { TotalResults: '0' });
  });

  test('missing or wrong credentials are a 401 with a Basic challenge, not a fault, and the body is never parsed', async () => {
    for (const as of [null, 'mallory']) {
      const reply = await postSoap(h, 'number', '<not-even-xml', { version: '1.2', as });
      assert.equal(reply.status, 401);
      assert.equal(reply.headers['www-authenticate'], 'Basic realm="numberd", charset="UTF-8"');
      assert.doesNotMatch(reply.text, /Fault/);
    }
  });
});

describe('the served WSDL set', () => {
  test('is served without credentials, with the addresses pointing at this server', async () => {
    const response = await fetch(`${h.baseUrl}/api/1.1/wsdl/callfire-service-http-soap12.wsdl`);
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type')!, /^text\/xml/);
    const wsdl = await response.text();
    assert.deepEqual([...wsdl.matchAll(/<soap12:address location="([^"]+)"/g)].map((m) => m[1]), [
      `${h.baseUrl}/api/1.1/soap12/number`,
      `${h.baseUrl}/api/1.1/soap12/label`,
    ]);
    assert.match(wsdl, /<wsdl:service name="CallFireApi">/);
    assert.match(wsdl, /<wsdl:import namespace="http:\/\/api.callfire.com\/service\/wsdl" location="callfire-service.wsdl" \/>/);
    const other = await fetch(`${h.baseUrl}/api/1.1/wsdl/callfire-service.wsdl`);
    assert.match(await other.text(), /<xs:import schemaLocation="callfire-service.xsd"/);
    assert.equal((await fetch(`${h.baseUrl}/api/1.1/wsdl/callfire-ann.xsd`)).status, 404);
    assert.equal((await fetch(`${h.baseUrl}/api/1.1/wsdl/..%2Fplugin.ts`)).status, 404);
  });

  test('uses the configured public URL for the addresses when there is one', async () => {
    const proxied = await startHarness({ config: { server: { publicUrl: 'https://numbers.example.com' } }, startWorker: false });
    try {
      const wsdl = await (await fetch(`${proxied.baseUrl}/api/1.1/wsdl/callfire-service-http-soap12.wsdl`)).text();
      assert.match(wsdl, /<soap12:address location="https:\/\/numbers\.example\.com\/api\/1\.1\/soap12\/label" \/>/);
    } finally {
      await proxied.close();
    }
  });

  test('declares all ten order statuses, where the published 2014 XSD knows seven', async () => {
    const order = (status: string) =>
      `<NumberOrder xmlns="http://api.callfire.com/data" id="1"><Status>${status}</Status><Created>2016-04-20T10:00:00Z</Created><TotalCost>0.0</TotalCost></NumberOrder>`;
    for (const status of ['NEW', 'PROCESSING', 'FINISHED', 'ERRORED', 'VOID', 'WAIT_FOR_PAYMENT', 'ADJUSTED', 'APPROVE_TIER_ONE', 'APPROVE_TIER_TWO', 'REJECTED']) {
      assert.deepEqual(await validateXml(order(status), served), [], status);
    }
    assert.notDeepEqual(await validateXml(order('REJECTED'), await serviceSchemaSet()), []);
    assert.notDeepEqual(await validateXml(order('SHIPPED'), served), []);
  });
});
