import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { InvalidInputError } from '../../domain/errors.ts';

/** An element with its namespace resolved; `text` is the decoded character content. */
export interface XmlElement {
  ns: string;
  name: string;
  /** Attributes other than namespace declarations, by local name. */
  attributes: Map<string, string>;
  children: XmlElement[];
  text: string;
}

export interface XmlLimits {
  /** Deepest element nesting accepted; SOAP requests here need about 8. */
  maxDepth: number;
}

export const DEFAULT_XML_LIMITS: XmlLimits = { maxDepth: 32 };

const XML_NS = 'http://www.w3.org/XML/1998/namespace';

/**
 * Parses untrusted XML without any DTD processing: a document that declares a DOCTYPE or an
 * entity is refused before the parser sees it, entities are never expanded (only the five
 * predefined ones and character references are decoded), and nesting is bounded. The size
 * limit is the body limit of the HTTP layer. Every failure is an InvalidInputError.
 */
export function parseXml(text: string, limits: XmlLimits = DEFAULT_XML_LIMITS): XmlElement {
  if (/<!DOCTYPE|<!ENTITY/i.test(text)) throw new InvalidInputError('DOCTYPE and ENTITY declarations are not accepted');
  const valid = XMLValidator.validate(text);
  if (valid !== true) throw new InvalidInputError(`malformed XML: ${valid.err.msg} (line ${valid.err.line})`);
  let nodes: unknown[];
  try {
    nodes = parser(limits).parse(text) as unknown[];
  } catch (error) {
    throw new InvalidInputError(`malformed XML: ${(error as Error).message}`);
  }
  const roots = nodes.filter((node) => elementName(node as RawNode) !== undefined) as RawNode[];
  if (roots.length !== 1) throw new InvalidInputError('malformed XML: expected one root element');
  return resolve(roots[0]!, new Map([['xml', XML_NS]]));
}

function parser(limits: XmlLimits): XMLParser {
  return new XMLParser({
    preserveOrder: true,
    ignoreAttributes: false,
    attributeNamePrefix: '@',
    processEntities: false,
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: false,
    cdataPropName: '#cdata',
    ignoreDeclaration: true,
    ignorePiTags: true,
    maxNestedTags: limits.maxDepth,
  });
}

/** fast-xml-parser's ordered form: `{ tag: children, ':@': attributes }`, or `{ '#text': ... }`. */
type RawNode = Record<string, unknown>;

function elementName(node: RawNode): string | undefined {
  return Object.keys(node).find((key) => key !== ':@' && !key.startsWith('#'));
}

function resolve(node: RawNode, scope: Map<string, string>): XmlElement {
  const qname = elementName(node)!;
  const rawAttributes = (node[':@'] ?? {}) as Record<string, string>;
  const inner = new Map(scope);
  const attributes = new Map<string, string>();
  for (const [key, value] of Object.entries(rawAttributes)) {
    const name = key.slice(1);
    if (name === 'xmlns') inner.set('', decodeText(value));
    else if (name.startsWith('xmlns:')) inner.set(name.slice(6), decodeText(value));
    else attributes.set(localName(name), decodeText(value));
  }
  const colon = qname.indexOf(':');
  const prefix = colon < 0 ? '' : qname.slice(0, colon);
  const ns = inner.get(prefix);
  if (ns === undefined && prefix !== '') throw new InvalidInputError(`malformed XML: prefix "${prefix}" is not declared`);
  const children: XmlElement[] = [];
  let text = '';
  for (const child of node[qname] as RawNode[]) {
    if (typeof child['#text'] === 'string') text += decodeText(child['#text']);
    else if (Array.isArray(child['#cdata'])) text += (child['#cdata'] as RawNode[]).map((part) => String(part['#text'] ?? '')).join('');
    else if (elementName(child) !== undefined) children.push(resolve(child, inner));
  }
  return { ns: ns ?? '', name: localName(qname), attributes, children, text };
}

function localName(qname: string): string {
  return qname.slice(qname.indexOf(':') + 1);
}

const PREDEFINED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** Decodes the predefined entities and character references; any other reference is an error, never a lookup. */
function decodeText(raw: string): string {
  return raw.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[A-Za-z][\w.-]*);?/g, (match, ref: string) => {
    if (!match.endsWith(';')) throw new InvalidInputError('malformed XML: "&" must start a reference');
    if (ref.startsWith('#')) {
      const code = ref[1] === 'x' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      if (code > 0x10ffff || code === 0) throw new InvalidInputError(`malformed XML: invalid character reference &${ref};`);
      return String.fromCodePoint(code);
    }
    const value = PREDEFINED[ref];
    if (value === undefined) throw new InvalidInputError(`undeclared entity &${ref}; (entities are not expanded)`);
    return value;
  });
}
