/** Money is integer cents everywhere; these helpers are the only conversions to and from text. */
export type Cents = number;

const DECIMAL = /^(\d{1,9})(?:\.(\d{1,2}))?$/;

/** Parses "25", "25.5" or "25.00" into cents; undefined when the text is not a plain amount. */
export function parseAmount(text: string): Cents | undefined {
  const match = DECIMAL.exec(text.trim());
  if (!match) return undefined;
  const whole = Number(match[1]);
  const fraction = Number((match[2] ?? '').padEnd(2, '0'));
  return whole * 100 + fraction;
}

/** "25.00": for operators and admin JSON, always two decimals. */
export function formatAmount(cents: Cents): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** The CallFire float lexical form: "3.0", "1.5", "8.25" (at least one decimal, no trailing zeros). */
export function formatCallfireFloat(cents: Cents): string {
  const text = formatAmount(cents);
  return text.endsWith('0') ? text.slice(0, -1) : text;
}

export function centsToNumber(cents: Cents): number {
  return cents / 100;
}
