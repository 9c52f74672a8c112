import { InvalidInputError } from '../../domain/errors.ts';

/**
 * Request parameters as real CallFire 1.1 clients send them, normalised once: names are
 * case-insensitive, query and body are merged, repeated keys and PHP's `Key[0]`, `Key[1]`
 * join in order with a space, and an empty or blank value counts as absent. SOAP bodies are flattened
 * into the same shape, so each operation reads its input one way for every protocol.
 */
export class ParamBag {
  private readonly values = new Map<string, string[]>();

  constructor(entries: Iterable<readonly [string, string]>) {
    const indexed = new Map<string, [number, string][]>();
    for (const [rawKey, value] of entries) {
      if (value.trim() === '') continue;
      const arrayMatch = /^(.*)\[(\d*)\]$/.exec(rawKey);
      if (arrayMatch && arrayMatch[1]) {
        const key = arrayMatch[1].toLowerCase();
        const list = indexed.get(key) ?? [];
        list.push([arrayMatch[2] === '' ? Number.MAX_SAFE_INTEGER : Number(arrayMatch[2]), value]);
        indexed.set(key, list);
      } else {
        this.add(rawKey.toLowerCase(), value);
      }
    }
    for (const [key, list] of indexed) {
      // Stable sort: `Key[]` entries keep their arrival order after the numbered ones.
      list.sort((a, b) => a[0] - b[0]);
      for (const [, value] of list) this.add(key, value);
    }
  }

  private add(key: string, value: string): void {
    const list = this.values.get(key);
    if (list) list.push(value);
    else this.values.set(key, [value]);
  }

  /** Every value given under any of `names`, in arrival order. */
  all(...names: string[]): string[] {
    return names.flatMap((name) => this.values.get(name.toLowerCase()) ?? []);
  }

  has(name: string): boolean {
    return this.values.has(name.toLowerCase());
  }

  /** The value of the first of `names` present, repeated values joined with a space. */
  string(...names: string[]): string | undefined {
    for (const name of names) {
      const list = this.values.get(name.toLowerCase());
      if (list) return list.join(' ');
    }
    return undefined;
  }

  requiredString(name: string): string {
    const value = this.string(name);
    if (value === undefined) throw new InvalidInputError(`${name} is required`, name);
    return value;
  }

  /** Whitespace- or comma-separated items, from one or many values. */
  list(...names: string[]): string[] | undefined {
    const raw = this.all(...names);
    if (raw.length === 0) return undefined;
    const items = raw.flatMap((value) => value.split(/[\s,]+/)).filter((item) => item !== '');
    return items.length > 0 ? items : undefined;
  }

  integer(name: string, range: { min: number; max: number }, ...aliases: string[]): number | undefined {
    const text = this.string(name, ...aliases);
    return text === undefined ? undefined : parseInteger(text, name, range);
  }

  requiredInteger(name: string, range: { min: number; max: number }): number {
    const value = this.integer(name, range);
    if (value === undefined) throw new InvalidInputError(`${name} is required`, name);
    return value;
  }

  /** A long identifier (sound or config ids): digits only. */
  id(...names: string[]): number | undefined {
    const text = this.string(...names);
    if (text === undefined) return undefined;
    if (!/^\d{1,15}$/.test(text.trim())) throw new InvalidInputError(`${names[0]} must be a numeric id, got "${text}"`, names[0]);
    return Number(text);
  }

  float(name: string, range: { min: number; max: number }): number | undefined {
    const text = this.string(name);
    if (text === undefined) return undefined;
    const value = Number(text.trim());
    if (!/^-?\d+(\.\d+)?$/.test(text.trim()) || value < range.min || value > range.max) {
      throw new InvalidInputError(`${name} must be a number from ${range.min} to ${range.max}, got "${text}"`, name);
    }
    return value;
  }

  /** true/false in any case, 1/0; an empty value was already dropped as absent. */
  boolean(name: string): boolean | undefined {
    const text = this.string(name);
    if (text === undefined) return undefined;
    const lower = text.trim().toLowerCase();
    if (lower === 'true' || lower === '1') return true;
    if (lower === 'false' || lower === '0') return false;
    throw new InvalidInputError(`${name} must be true or false, got "${text}"`, name);
  }

  enumeration<T extends string>(name: string, allowed: readonly T[]): T | undefined {
    const text = this.string(name);
    if (text === undefined) return undefined;
    const upper = text.trim().toUpperCase() as T;
    if (!allowed.includes(upper)) {
      throw new InvalidInputError(`${name} must be one of ${allowed.join(', ')}, got "${text}"`, name);
    }
    return upper;
  }
}

export function parseInteger(text: string, name: string, range: { min: number; max: number }): number {
  const trimmed = text.trim();
  const value = Number(trimmed);
  if (!/^-?\d{1,15}$/.test(trimmed) || value < range.min || value > range.max) {
    throw new InvalidInputError(`${name} must be an integer from ${range.min} to ${range.max}, got "${text}"`, name);
  }
  return value;
}
