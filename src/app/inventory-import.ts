import { isTollFree, normalizeNumber } from '../domain/phone-number.ts';
import type { Region } from '../domain/inventory.ts';
import type { NewInventoryNumber, Store } from './ports.ts';

/** One line of an inventory file, as text; `line` is its number in the file, for reports. */
export interface InventoryRow {
  line: number;
  number?: string;
  city?: string;
  state?: string;
  zipcode?: string;
  lata?: string;
  rateCenter?: string;
  latitude?: string;
  longitude?: string;
  timeZone?: string;
}

export interface ImportReport {
  added: number;
  duplicates: number;
  rejected: { line: number; reason: string }[];
}

/** The fields of a row that describe a local number's region, all required for a new region. */
export const REGION_FIELDS = ['city', 'state', 'zipcode', 'lata', 'rateCenter', 'latitude', 'longitude', 'timeZone'] as const;

/** The columns an inventory CSV has, in this order, with a header line. */
export const INVENTORY_COLUMNS = ['number', 'city', 'state', 'zipcode', 'lata', 'rate_center', 'latitude', 'longitude', 'time_zone'] as const;

/**
 * Adds numbers to the inventory. Toll-free numbers need only the number; a local number needs
 * its region (the first seven digits name it), whose fields the first line of a new region sets.
 * Numbers already present count as duplicates; malformed lines are rejected with a reason.
 */
export async function importInventory(store: Store, rows: readonly InventoryRow[]): Promise<ImportReport> {
  const rejected: ImportReport['rejected'] = [];
  const regions = new Map<string, Required<Region>>();
  const numbers: NewInventoryNumber[] = [];
  const seen = new Set<string>();
  let duplicates = 0;
  for (const row of rows) {
    const number = normalizeNumber(row.number ?? '');
    if (!number) {
      rejected.push({ line: row.line, reason: `"${row.number ?? ''}" is not an 11-digit North American number` });
      continue;
    }
    if (seen.has(number)) {
      duplicates++;
      continue;
    }
    if (isTollFree(number)) {
      seen.add(number);
      numbers.push({ number, tollFree: true, prefix: null });
      continue;
    }
    const prefix = number.slice(0, 7);
    const region = regions.get(prefix) ?? regionOf(row, prefix);
    if (typeof region === 'string') {
      rejected.push({ line: row.line, reason: region });
      continue;
    }
    regions.set(prefix, region);
    seen.add(number);
    numbers.push({ number, tollFree: false, prefix });
  }
  const added = await store.transaction((tx) => tx.inventory.add([...regions.values()], numbers));
  return { added, duplicates: duplicates + numbers.length - added, rejected };
}

/** The region a row describes, or why it cannot be one. */
function regionOf(row: InventoryRow, prefix: string): Required<Region> | string {
  const missing = REGION_FIELDS.filter((field) => !row[field]?.trim());
  if (missing.length > 0) return `a local number needs ${missing.join(', ')}`;
  const latitude = Number(row.latitude);
  const longitude = Number(row.longitude);
  if (!Number.isFinite(latitude) || latitude < -90 || latitude > 90) return `latitude "${row.latitude}" is not a number from -90 to 90`;
  if (!Number.isFinite(longitude) || longitude < -180 || longitude > 180) return `longitude "${row.longitude}" is not a number from -180 to 180`;
  if (!/^[A-Za-z]{2}$/.test(row.state!.trim())) return `state "${row.state}" is not a two-letter code`;
  if (!/^\d{5}$/.test(row.zipcode!.trim())) return `zipcode "${row.zipcode}" is not five digits`;
  if (!/^\d{3}$/.test(row.lata!.trim())) return `lata "${row.lata}" is not three digits`;
  return {
    prefix, city: row.city!.trim(), state: row.state!.trim(), zipcode: row.zipcode!.trim(), country: 'US',
    lata: row.lata!.trim(), rateCenter: row.rateCenter!.trim(), latitude, longitude, timeZone: row.timeZone!.trim(),
  };
}
