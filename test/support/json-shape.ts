/**
 * Structural comparison of a CallFire 1.1 REST JSON response against the published examples
 * in `<referenceDir>/json-examples/`.
 *
 * The example defines the allowed shape: every key in the actual document must exist at the
 * same path in the example (array elements of the example are merged, so a key seen in any
 * element is allowed), and the JSON type must match. Keys absent from the actual document are
 * fine (optional elements). Keys the example happens not to show can be admitted through
 * `allowExtraKeys`; their values are checked against the shape of a key with the same name
 * anywhere in the examples when one exists, or against an explicitly named key via
 * `sameShapeAs`.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { referenceDir } from './xml-schema.ts';

export const jsonExamplesDir: string = path.join(referenceDir, 'json-examples');

export interface JsonShapeOptions {
  /**
   * Dotted paths, relative to the entity, of keys that may appear although the example does
   * not show them, e.g. 'TollFreeNumbers' or
   * 'NumberConfiguration.InboundCallConfiguration.CallTrackingConfig'. Array indices are not
   * part of the path. For ResourceReference / ResourceException the path is relative to that
   * object. An admitted key's value is checked against the merged shape of any key of the same
   * name in any example (if there is one), otherwise accepted as is.
   */
  allowExtraKeys?: readonly string[];
  /**
   * Dotted path (as in allowExtraKeys) -> name of a key whose shape, merged over all examples,
   * the value must have, e.g. `{ TollFreeNumbers: 'LocalNumbers' }` (both are NumberOrderItem).
   * Listing a path here also admits it. Throws if no example has a key of that name.
   */
  sameShapeAs?: Readonly<Record<string, string>>;
}

type JsonType = 'string' | 'number' | 'boolean' | 'object' | 'array' | 'null';

/** Merged shape of one or more example values (a union when the examples disagree). */
interface Shape {
  types: Set<JsonType>;
  keys: Map<string, Shape>;
  /** Merged shape of array elements; undefined when no example array had elements. */
  items: Shape | undefined;
}

function jsonType(value: unknown): JsonType | 'unsupported' {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  switch (typeof value) {
    case 'string':
    case 'number':
    case 'boolean':
      return typeof value as JsonType;
    case 'object':
      return 'object';
    default:
      return 'unsupported';
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return jsonType(value) === 'object';
}

function emptyShape(): Shape {
  return { types: new Set(), keys: new Map(), items: undefined };
}

function addToShape(shape: Shape, value: unknown): Shape {
  const t = jsonType(value);
  if (t === 'unsupported') throw new Error(`not a JSON value: ${String(value)}`);
  shape.types.add(t);
  if (t === 'object') {
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      let child = shape.keys.get(k);
      if (!child) shape.keys.set(k, (child = emptyShape()));
      addToShape(child, v);
    }
  } else if (t === 'array') {
    for (const el of value as unknown[]) addToShape((shape.items ??= emptyShape()), el);
  }
  return shape;
}

function shapeOf(value: unknown): Shape {
  return addToShape(emptyShape(), value);
}

function describeTypes(shape: Shape): string {
  return [...shape.types].sort().join(' | ');
}

// ---------------------------------------------------------------------------------------
// Examples (read once per process)

const exampleCache = new Map<string, Record<string, unknown>>();

function loadExample(exampleFile: string): Record<string, unknown> {
  let example = exampleCache.get(exampleFile);
  if (!example) {
    const parsed: unknown = JSON.parse(readFileSync(path.join(jsonExamplesDir, exampleFile), 'utf8'));
    if (!isPlainObject(parsed) || Object.keys(parsed).length !== 1) {
      throw new Error(`json example ${exampleFile} must be an object with exactly one top-level key`);
    }
    example = parsed;
    exampleCache.set(exampleFile, example);
  }
  return example;
}

let keyIndex: Map<string, Shape> | undefined;

/**
 * Key name -> shape merged over every occurrence in every example. A ResourceList entity key
 * is indexed by its element shape (the JSON array stands for repeated elements of that name).
 */
function exampleKeyIndex(): Map<string, Shape> {
  if (keyIndex) return keyIndex;
  const index = new Map<string, Shape>();
  const add = (key: string, value: unknown): void => {
    let s = index.get(key);
    if (!s) index.set(key, (s = emptyShape()));
    addToShape(s, value);
  };
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) {
      value.forEach(walk);
    } else if (isPlainObject(value)) {
      for (const [k, v] of Object.entries(value)) {
        add(k, v);
        walk(v);
      }
    }
  };
  for (const file of readdirSync(jsonExamplesDir).filter((f) => f.endsWith('.json')).sort()) {
    const example = loadExample(file);
    const list = example['ResourceList'];
    if (isPlainObject(list)) {
      for (const [k, v] of Object.entries(list)) {
        if (k === '@totalResults') continue;
        for (const el of Array.isArray(v) ? v : [v]) {
          add(k, el);
          walk(el);
        }
      }
    } else {
      walk(example);
    }
  }
  keyIndex = index;
  return index;
}

// ---------------------------------------------------------------------------------------
// Comparison

interface Ctx {
  allowed: Set<string>;
  sameShapeAs: Readonly<Record<string, string>>;
  problems: string[];
}

function checkValue(actual: unknown, shape: Shape, displayPath: string, matchPath: string, ctx: Ctx): void {
  const t = jsonType(actual);
  if (t === 'unsupported' || !shape.types.has(t)) {
    ctx.problems.push(`${displayPath}: expected ${describeTypes(shape)}, got ${t}`);
    return;
  }
  if (t === 'object') {
    for (const [key, value] of Object.entries(actual as Record<string, unknown>)) {
      const childDisplay = `${displayPath}.${key}`;
      const childMatch = matchPath === '' ? key : `${matchPath}.${key}`;
      const known = shape.keys.get(key);
      if (known) {
        checkValue(value, known, childDisplay, childMatch, ctx);
        continue;
      }
      const explicitRef = ctx.sameShapeAs[childMatch];
      if (explicitRef === undefined && !ctx.allowed.has(childMatch)) {
        const expected = [...shape.keys.keys()].join(', ') || '(none)';
        ctx.problems.push(
          `${childDisplay}: unexpected key (example has: ${expected}; admit it with allowExtraKeys: ['${childMatch}'])`,
        );
        continue;
      }
      const refShape = exampleKeyIndex().get(explicitRef ?? key);
      if (explicitRef !== undefined && !refShape) {
        throw new Error(`assertJsonShape: sameShapeAs['${childMatch}'] = '${explicitRef}' names no key in any json example`);
      }
      if (refShape) checkValue(value, refShape, childDisplay, childMatch, ctx);
    }
  } else if (t === 'array' && shape.items) {
    (actual as unknown[]).forEach((el, i) => checkValue(el, shape.items!, `${displayPath}[${i}]`, matchPath, ctx));
  }
}

function checkEnvelope(actual: unknown, example: Record<string, unknown>, ctx: Ctx): void {
  const p = ctx.problems;
  const [topKey] = Object.keys(example) as [string];
  const exampleBody = example[topKey];

  if (!isPlainObject(actual)) {
    p.push(`(root): expected object, got ${jsonType(actual)}`);
    return;
  }
  const actualKeys = Object.keys(actual);
  if (actualKeys.length !== 1 || actualKeys[0] !== topKey) {
    p.push(`(root): expected exactly one key "${topKey}", got ${JSON.stringify(actualKeys)}`);
    return;
  }
  const body = actual[topKey];
  if (!isPlainObject(body)) {
    p.push(`${topKey}: expected object, got ${jsonType(body)}`);
    return;
  }

  if (topKey === 'Resource') {
    const [entity] = Object.keys(exampleBody as Record<string, unknown>);
    const keys = Object.keys(body);
    if (entity === undefined || keys.length !== 1 || keys[0] !== entity) {
      p.push(`Resource: expected exactly one key "${entity}", got ${JSON.stringify(keys)}`);
      return;
    }
    const entityShape = shapeOf((exampleBody as Record<string, unknown>)[entity]);
    checkValue(body[entity], entityShape, `Resource.${entity}`, '', ctx);
    return;
  }

  if (topKey === 'ResourceList') {
    const exampleList = exampleBody as Record<string, unknown>;
    const entity = Object.keys(exampleList).find((k) => k !== '@totalResults');
    if (typeof body['@totalResults'] !== 'number') {
      p.push(`ResourceList.@totalResults: expected number, got ${'@totalResults' in body ? jsonType(body['@totalResults']) : 'nothing (missing)'}`);
    }
    for (const key of Object.keys(body)) {
      if (key === '@totalResults') continue;
      if (key !== entity) {
        p.push(`ResourceList.${key}: unexpected key (expected only @totalResults${entity ? ` and ${entity}` : ''})`);
        continue;
      }
      const items = body[key];
      if (!Array.isArray(items)) {
        p.push(`ResourceList.${key}: expected array (even for a single item), got ${jsonType(items)}`);
        continue;
      }
      const itemShape = shapeOf(exampleList[key]).items;
      if (!itemShape) continue; // example list is empty: nothing to compare elements against
      items.forEach((item, i) => checkValue(item, itemShape, `ResourceList.${key}[${i}]`, '', ctx));
    }
    return;
  }

  // ResourceReference, ResourceException: compare the object itself.
  checkValue(body, shapeOf(exampleBody), topKey, '', ctx);
}

/**
 * Asserts that `actual` (a parsed JSON response body) has the shape of the example
 * `json-examples/<exampleFile>`. Throws an AssertionError listing every mismatch by dotted
 * path, with expected vs actual JSON type.
 */
export function assertJsonShape(actual: unknown, exampleFile: string, options: JsonShapeOptions = {}): void {
  const example = loadExample(exampleFile);
  const ctx: Ctx = {
    allowed: new Set(options.allowExtraKeys ?? []),
    sameShapeAs: options.sameShapeAs ?? {},
    problems: [],
  };
  checkEnvelope(actual, example, ctx);
  if (ctx.problems.length > 0) {
    throw new assert.AssertionError({
      message:
        `JSON does not match the shape of ${exampleFile}:\n` +
        ctx.problems.map((x) => `  - ${x}`).join('\n') +
        `\n--- actual ---\n${JSON.stringify(actual, null, 2)}`,
      actual,
      operator: 'jsonShape',
    });
  }
}
