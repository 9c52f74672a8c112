import { InvalidInputError } from '../../domain/errors.ts';
import { buildXml } from '../callfire/render.ts';
import { parseXml, type XmlElement } from './xml-input.ts';

export type SoapVersion = '1.1' | '1.2';

export const ENVELOPE_NS: Record<SoapVersion, string> = {
  '1.1': 'http://schemas.xmlsoap.org/soap/envelope/',
  '1.2': 'http://www.w3.org/2003/05/soap-envelope',
};

export const CONTENT_TYPE: Record<SoapVersion, string> = {
  '1.1': 'text/xml; charset=utf-8',
  '1.2': 'application/soap+xml; charset=utf-8',
};

/** The version to answer in before the envelope is read (or when it cannot be): the media type's. */
export function versionOfContentType(contentType: string | undefined): SoapVersion {
  return contentType && /^\s*application\/soap\+xml/i.test(contentType) ? '1.2' : '1.1';
}

export interface SoapRequest {
  version: SoapVersion;
  /** The one child of Body: the operation's request element. Headers are ignored. */
  body: XmlElement;
}

/** Reads an envelope of either version; the answer goes back in the version it was asked in. */
export function parseEnvelope(text: string): SoapRequest {
  const root = parseXml(text);
  const version = (Object.keys(ENVELOPE_NS) as SoapVersion[]).find((v) => ENVELOPE_NS[v] === root.ns);
  if (root.name !== 'Envelope' || !version) {
    throw new InvalidInputError(`not a SOAP envelope: the root is {${root.ns}}${root.name}`);
  }
  const bodies = root.children.filter((child) => child.ns === root.ns && child.name === 'Body');
  if (bodies.length !== 1) throw new InvalidInputError('a SOAP envelope needs exactly one Body');
  const [operation, ...rest] = bodies[0]!.children;
  if (!operation || rest.length > 0) throw new InvalidInputError('the SOAP Body must hold exactly one request element');
  return { version, body: operation };
}

/** An envelope around an already built Body child (which declares its own namespaces); null = empty Body. */
export function renderEnvelope(version: SoapVersion, body: Record<string, unknown> | null): string {
  const envelope = { 'soap:Envelope': { '@xmlns:soap': ENVELOPE_NS[version], 'soap:Body': body ?? '' } };
  return `<?xml version="1.0" encoding="utf-8"?>\n${buildXml(envelope)}`;
}
