import { parsePhoneNumberFromString } from 'libphonenumber-js';

/** An 11-digit NANP number in E.164 digits without '+', e.g. "13105551212". */
export type E164 = string;

export const TOLL_FREE_NPAS: readonly string[] = ['800', '833', '844', '855', '866', '877', '888'];

/**
 * Accepts "13105551212", "+13105551212" and the 10-digit national form; anything else is undefined.
 * numberd's inventory is North American, so every valid number has country code 1.
 */
export function normalizeNumber(text: string): E164 | undefined {
  const trimmed = text.trim();
  // NANP: area code and exchange both start with 2-9. A '+' must be followed by country code 1.
  if (/^\+?1[2-9]\d\d[2-9]\d{6}$/.test(trimmed)) return trimmed.replace(/^\+/, '');
  if (/^[2-9]\d\d[2-9]\d{6}$/.test(trimmed)) return `1${trimmed}`;
  return undefined;
}

export function isTollFree(number: E164): boolean {
  return TOLL_FREE_NPAS.includes(number.slice(1, 4));
}

/** "(310) 555-1212", as libphonenumber-js formats it. */
export function nationalFormat(number: E164): string {
  const parsed = parsePhoneNumberFromString(`+${number}`);
  return parsed ? parsed.formatNational() : number;
}

/** Normalises a search prefix ("1310555", "310555", "+1310", a whole number) to leading E.164 digits. */
export function normalizePrefix(text: string): string | undefined {
  const digits = text.trim().replace(/^\+/, '');
  if (!/^\d{1,11}$/.test(digits) || (digits.length === 11 && !digits.startsWith('1'))) return undefined;
  return digits.startsWith('1') ? digits : `1${digits}`;
}
