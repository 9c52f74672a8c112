/** The short code numberd sells keywords on unless configured otherwise. */
export const DEFAULT_SHORT_CODE = '67076';

/** Words carriers reserve for opt-out and help on every short code; never for sale. */
export const CARRIER_KEYWORDS: ReadonlySet<string> = new Set([
  'STOP', 'HELP', 'END', 'QUIT', 'CANCEL', 'UNSUBSCRIBE', 'STOPALL', 'INFO',
]);

const KEYWORD = /^[A-Za-z0-9]{2,64}$/;

/** Keywords are case-insensitive; the canonical form is upper case. Undefined when malformed. */
export function normalizeKeyword(text: string): string | undefined {
  const trimmed = text.trim();
  return KEYWORD.test(trimmed) ? trimmed.toUpperCase() : undefined;
}

export function isCarrierKeyword(keyword: string): boolean {
  return CARRIER_KEYWORDS.has(keyword.toUpperCase());
}
