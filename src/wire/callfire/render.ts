import { type Entity, type Envelope, type Leaf, type Tree, XsdFloat } from './tree.ts';

export const DATA_NS = 'http://api.callfire.com/data';
export const RESOURCE_NS = 'http://api.callfire.com/resource';

/** PHP clients compare the root's literal name, so the prolog, prefix and position are fixed. */
const PROLOG = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';

const NEEDS_ESCAPE = /[&<>\u0000-\u0008\u000B\u000C\u000E-\u001F\uD800-\uDFFF\uFFFE\uFFFF]/;
/**
 * Characters XML 1.0 allows nowhere, not even as references: C0 controls other than tab and line
 * ends, U+FFFE and U+FFFF, and halves of surrogate pairs. An error message quoting a client's value
 * may hold them, and one in the answer makes the whole document unreadable to every XML parser.
 */
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

function escapeText(text: string): string {
  // Most leaves are digits and plain words: one test instead of four replacements.
  if (!NEEDS_ESCAPE.test(text)) return text;
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(NOT_XML, '\uFFFD');
}

function leafText(leaf: Leaf): string {
  if (typeof leaf === 'boolean') return leaf ? 'true' : 'false';
  return leaf instanceof XsdFloat ? leaf.toString() : escapeText(String(leaf));
}

/** The tree with escaped XML text leaves; absent elements dropped. */
export function xmlTree(tree: Tree): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const key in tree) {
    const value = tree[key];
    if (value === undefined) continue;
    if (Array.isArray(value)) result[key] = value.map(xmlTree);
    else if (typeof value === 'object' && !(value instanceof XsdFloat)) result[key] = xmlTree(value);
    else result[key] = leafText(value);
  }
  return result;
}

/**
 * Serialises a tree of escaped text: '@name' keys are attributes, '#text' is text beside
 * attributes, arrays repeat their element, empty elements close themselves. Written here
 * rather than with fast-xml-parser's builder, which cost a tenth of a GetNumberOrder request
 * to produce these same bytes.
 */
export function buildXml(root: Record<string, unknown>): string {
  let xml = '';
  for (const [name, value] of Object.entries(root)) xml += element(name, value);
  return xml;
}

function element(name: string, value: unknown): string {
  if (Array.isArray(value)) {
    let xml = '';
    for (const item of value) xml += element(name, item);
    return xml;
  }
  if (value === null || typeof value !== 'object') {
    const text = String(value);
    return text === '' ? `<${name}/>` : `<${name}>${text}</${name}>`;
  }
  let attributes = '';
  let content = '';
  for (const key in value) {
    const child = (value as Record<string, unknown>)[key];
    if (child === undefined) continue;
    if (key === '#text') content += String(child);
    else if (key.startsWith('@')) attributes += ` ${key.slice(1)}="${String(child).replace(/"/g, '&quot;')}"`;
    else content += element(key, child);
  }
  return content === '' ? `<${name}${attributes}/>` : `<${name}${attributes}>${content}</${name}>`;
}

const NAMESPACES = { '@xmlns': DATA_NS, '@xmlns:r': RESOURCE_NS };

/** Texts of entities rendered before, by entity object: an entity handed out again is the same value. */
const renderedXml = new WeakMap<Entity, string>();
const renderedJson = new WeakMap<Entity, string>();

function renderedOnce(cache: WeakMap<Entity, string>, entity: Entity, render: (entity: Entity) => string): string {
  let text = cache.get(entity);
  if (text === undefined) {
    text = render(entity);
    cache.set(entity, text);
  }
  return text;
}

export function renderXml(envelope: Envelope): string {
  let root: Record<string, unknown>;
  switch (envelope.kind) {
    case 'resource':
      return renderedOnce(renderedXml, envelope.entity, (entity) =>
        PROLOG + buildXml({ 'r:Resource': { ...NAMESPACES, [entity.name]: xmlTree(entity.content) } }));
    case 'list':
      root = {
        'r:ResourceList': {
          ...NAMESPACES,
          '@totalResults': String(envelope.total),
          ...(envelope.items.length > 0 ? { [envelope.name]: envelope.items.map(xmlTree) } : {}),
        },
      };
      break;
    case 'reference':
      root = { 'r:ResourceReference': { ...NAMESPACES, 'r:Id': String(envelope.id), 'r:Location': escapeText(envelope.location) } };
      break;
    case 'exception':
      root = { 'r:ResourceException': { ...NAMESPACES, 'r:HttpStatus': String(envelope.status), 'r:Message': escapeText(envelope.message) } };
      break;
  }
  return PROLOG + buildXml(root);
}

/** The tree as the Java client's Jackson setup reads it: attributes as '@name', floats as numbers. */
export function jsonTree(tree: Tree): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const key in tree) {
    const value = tree[key];
    if (value === undefined) continue;
    if (Array.isArray(value)) result[key] = value.map(jsonTree);
    else if (value instanceof XsdFloat) result[key] = value.value;
    else if (typeof value === 'object') result[key] = jsonTree(value);
    else result[key] = value;
  }
  return result;
}

export function renderJson(envelope: Envelope): string {
  switch (envelope.kind) {
    case 'resource':
      return renderedOnce(renderedJson, envelope.entity, (entity) =>
        JSON.stringify({ Resource: { [entity.name]: jsonTree(entity.content) } }));
    case 'list':
      return JSON.stringify({
        ResourceList: {
          '@totalResults': envelope.total,
          ...(envelope.items.length > 0 ? { [envelope.name]: envelope.items.map(jsonTree) } : {}),
        },
      });
    case 'reference':
      return JSON.stringify({ ResourceReference: { Id: envelope.id, Location: envelope.location } });
    case 'exception':
      return JSON.stringify({ ResourceException: { HttpStatus: envelope.status, Message: envelope.message } });
  }
}
