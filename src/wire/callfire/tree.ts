/**
 * The shared intermediate form of every response: an entity as an ordered tree whose key
 * order is the XSD sequence. XML and JSON are both rendered from it, so element order,
 * optional-element omission and lexical forms are decided once.
 */

/** An xs:float; XML writes it with at least one decimal ("3.0"), JSON as a plain number. */
export class XsdFloat {
  constructor(readonly value: number) {}

  toString(): string {
    return Number.isInteger(this.value) ? this.value.toFixed(1) : String(this.value);
  }
}

export type Leaf = string | number | boolean | XsdFloat;

/** Keys starting with '@' are attributes; undefined values are absent elements. */
export interface Tree {
  [name: string]: Leaf | Tree | Tree[] | undefined;
}

/** An entity: the data-namespace element name and its content. */
export interface Entity {
  name: string;
  content: Tree;
}

export type Envelope =
  | { kind: 'resource'; entity: Entity }
  | { kind: 'list'; total: number; name: string; items: Tree[] }
  | { kind: 'reference'; id: number; location: string }
  | { kind: 'exception'; status: number; message: string };

/** YYYY-MM-DDThh:mm:ssZ: no fractional seconds, which Java clients reject. */
export function xsdDateTime(instant: Date): string {
  return `${instant.toISOString().slice(0, 19)}Z`;
}

/** YYYY-MM-DDZ: the zone marker Java clients require on xs:date. */
export function xsdDate(day: string): string {
  return `${day}Z`;
}
