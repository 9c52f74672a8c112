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

/**
 * "(310) 555-1212": the national format of every NANP number, the same bytes libphonenumber-js
 * gives (a test holds it to that). Written out because the library's general parse cost a
 * third of a search answer, ten numbers at a time. Anything but 11 digits is returned unchanged.
 */
export function nationalFormat(number: E164): string {
  if (!/^1\d{10}$/.test(number)) return number;
  return `(${number.slice(1, 4)}) ${number.slice(4, 7)}-${number.slice(7)}`;
}

/** Normalises a search prefix ("1310555", "310555", "+1310", a whole number) to leading E.164 digits. */
export function normalizePrefix(text: string): string | undefined {
  const digits = text.trim().replace(/^\+/, '');
  if (!/^\d{1,11}$/.test(digits) || (digits.length === 11 && !digits.startsWith('1'))) return undefined;
  return digits.startsWith('1') ? digits : `1${digits}`;
}
