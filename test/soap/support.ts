import assert from 'node:assert/strict';
import { XMLParser } from 'fast-xml-parser';
import soap from 'soap';
import type { Harness, Reply } from '../support/harness.ts';
import { passwordOf } from '../support/harness.ts';
import { assertValidServiceXml, validateXml, type SchemaSet } from '../support/xml-schema.ts';

export const SOAP11_NS = 'http://schemas.xmlsoap.org/soap/envelope/';
export const SOAP12_NS = 'http://www.w3.org/2003/05/soap-envelope';
export const WSDL_URL = '/api/1.1/wsdl/callfire-service-http-soap12.wsdl';
export const ACTION_BASE = 'http://api.callfire.com/service/wsdl';

/** The two XSDs numberd serves, fetched over HTTP as a client would. */
export async function servedSchemaSet(baseUrl: string): Promise<SchemaSet> {
  const files: Record<string, string> = {};
  for (const name of ['callfire-service.xsd', 'callfire-data.xsd']) {
    const response = await fetch(`${baseUrl}/api/1.1/wsdl/${name}`);
    assert.equal(response.status, 200);
    files[name] = await response.text();
  }
  return { main: 'callfire-service.xsd', files };
}

/** The Body's content: one self-contained element (it declares its namespaces), or '' for an empty Body. */
export function bodyChild(envelope: string): string {
  const empty = /<soap:Body\/>/.exec(envelope);
  if (empty) return '';
  const match = /<soap:Body>([\s\S]*)<\/soap:Body>/.exec(envelope);
  assert.ok(match, `no soap:Body in ${envelope}`);
  return match[1]!;
}

/** The statuses the published 2014 XSD does not know; such orders are checked against numberd's XSD only. */
const NEWER_STATUSES = /<Status>(APPROVE_TIER_ONE|APPROVE_TIER_TWO|REJECTED)<\/Status>/;

/**
 * Checks a SOAP answer: the envelope of the expected version, and its Body child (a result, or a
 * fault's ServiceFaultInfo) valid against CallFire's XSDs and against the XSDs numberd serves.
 */
export async function assertValidSoapAnswer(envelope: string, version: '1.1' | '1.2', served: SchemaSet): Promise<void> {
  assert.ok(envelope.startsWith('<?xml version="1.0" encoding="utf-8"?>\n<soap:Envelope xmlns:soap="'), envelope);
  assert.match(envelope, new RegExp(`^[^>]*>\\n<soap:Envelope xmlns:soap="${version === '1.2' ? SOAP12_NS : SOAP11_NS}">`));
  const child = bodyChild(envelope);
  if (child === '') return;
  const fault = /<soap:Fault>/.test(child);
  const element = fault ? /<svc:ServiceFaultInfo[\s\S]*<\/svc:ServiceFaultInfo>/.exec(child)?.[0] : child;
  assert.ok(element, `a fault must carry ServiceFaultInfo: ${child}`);
  if (!NEWER_STATUSES.test(element)) await assertValidServiceXml(element);
  assert.deepEqual(await validateXml(element, served), [], `numberd's own XSDs reject: ${element}`);
}

const parser = new XMLParser({
  removeNSPrefix: true,
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  parseTagValue: false,
  isArray: (name, path) => ['Number', 'Keyword', 'Region', 'Label'].includes(name) && /QueryResult\.[A-Za-z]+$/.test(String(path)),
});

/** The answer's Body as a plain object with namespace prefixes removed. */
export function parseBody(envelope: string): Record<string, any> {
  return parser.parse(envelope).Envelope.Body;
}

export interface ParsedFault {
  status: number;
  /** Sender/Receiver (1.2) or Client/Server (1.1), without the prefix. */
  code: string;
  faultCode: string;
  message: string;
}

export function parseFault(reply: Reply): ParsedFault {
  const fault = parseBody(reply.text).Fault;
  assert.ok(fault, `expected a fault, got ${reply.status}: ${reply.text}`);
  const code = String(fault.Code?.Value ?? fault.faultcode).replace(/^.*:/, '');
  const info = (fault.Detail ?? fault.detail).ServiceFaultInfo;
  return { status: reply.status, code, faultCode: info.FaultCode, message: info.Message };
}

export interface RawSoapOptions {
  version: '1.1' | '1.2';
  /** Operation name for the SOAPAction header / action parameter; omitted when undefined. */
  action?: string;
  as?: string | null;
  headers?: Record<string, string>;
}

/** POSTs an envelope to /api/1.1/soap12/{service} the way SOAP stacks do (PHP: SOAP 1.1 with a quoted SOAPAction). */
export function postSoap(h: Harness, service: 'number' | 'label', envelope: string, options: RawSoapOptions): Promise<Reply> {
  const portType = service === 'number' ? 'NumberServicePortType' : 'LabelServicePortType';
  const action = options.action && `${ACTION_BASE}/${portType}/${options.action}`;
  const headers: Record<string, string> = { ...options.headers };
  let contentType: string;
  if (options.version === '1.1') {
    contentType = 'text/xml; charset=utf-8';
    if (action) headers.soapaction = `"${action}"`;
  } else {
    contentType = `application/soap+xml; charset=utf-8${action ? `; action="${action}"` : ''}`;
  }
  return h.call('POST', `/api/1.1/soap12/${service}`, { body: envelope, contentType, headers, as: options.as, skipChecks: true });
}

/** A SOAP 1.2 envelope around a Body child, as zeep or WCF would send it. */
export function soap12(bodyXml: string): string {
  return `<?xml version="1.0" encoding="utf-8"?><env:Envelope xmlns:env="${SOAP12_NS}"><env:Body>${bodyXml}</env:Body></env:Envelope>`;
}

type Callback = (error: any, result: any, rawResponse: string) => void;
type PortMethod = (args: unknown, callback: Callback) => void;

export interface NodeSoapPorts {
  client: soap.Client;
  number(operation: string, args: unknown): Promise<any>;
  label(operation: string, args: unknown): Promise<any>;
}

/**
 * The npm `soap` package reading the served WSDL over HTTP and speaking SOAP 1.2 to the
 * NumberServicePort and LabelServicePort; every answer is checked with assertValidSoapAnswer.
 */
export async function nodeSoapClient(baseUrl: string, login: string, served: SchemaSet): Promise<NodeSoapPorts> {
  const client = await soap.createClientAsync(`${baseUrl}${WSDL_URL}`, { forceSoap12Headers: true });
  client.setSecurity(new soap.BasicAuthSecurity(login, passwordOf(login)));
  const service = (client as unknown as Record<string, Record<string, Record<string, PortMethod>>>).CallFireApi!;
  const call = (port: string) => (operation: string, args: unknown) =>
    new Promise<any>((resolve, reject) => {
      service[port]![operation]!(args, (error, result, rawResponse) => {
        const raw = rawResponse ?? error?.body;
        const checked = typeof raw === 'string' ? assertValidSoapAnswer(raw, '1.2', served) : Promise.reject(new Error(`no response body: ${error}`));
        checked.then(() => (error ? reject(error) : resolve(result)), reject);
      });
    });
  return { client, number: call('NumberServicePort'), label: call('LabelServicePort') };
}
