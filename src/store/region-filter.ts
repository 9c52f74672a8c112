import type { Expression, ExpressionBuilder, SqlBool } from 'kysely';
import type { RegionFilter } from '../app/ports.ts';
import type { Region } from '../domain/inventory.ts';
import type { Database, RegionTable } from './schema.ts';

/** How far (in degrees) a Latitude/Longitude search looks around the point. */
const NEARBY_DEGREES = 1.5;

type RegionScope = ExpressionBuilder<Database & { r: RegionTable }, 'r'>;

/** Conditions on the regions table aliased `r`; text fields compare in upper case as stored. */
export function regionConditions(eb: RegionScope, filter: RegionFilter): Expression<SqlBool>[] {
  const conditions: Expression<SqlBool>[] = [];
  if (filter.city) conditions.push(eb('r.city', '=', filter.city.toUpperCase()));
  if (filter.state) conditions.push(eb('r.state', '=', filter.state.toUpperCase()));
  if (filter.zipcode) conditions.push(eb('r.zipcode', '=', filter.zipcode));
  if (filter.country) conditions.push(eb('r.country', '=', filter.country.toUpperCase()));
  if (filter.lata) conditions.push(eb('r.lata', '=', filter.lata));
  if (filter.rateCenter) conditions.push(eb('r.rate_center', '=', filter.rateCenter.toUpperCase()));
  if (filter.timeZone) conditions.push(eb('r.time_zone', '=', filter.timeZone));
  if (filter.latitude !== undefined) {
    conditions.push(eb('r.latitude', '>=', filter.latitude - NEARBY_DEGREES));
    conditions.push(eb('r.latitude', '<=', filter.latitude + NEARBY_DEGREES));
  }
  if (filter.longitude !== undefined) {
    conditions.push(eb('r.longitude', '>=', filter.longitude - NEARBY_DEGREES));
    conditions.push(eb('r.longitude', '<=', filter.longitude + NEARBY_DEGREES));
  }
  return conditions;
}

export function hasRegionConditions(filter: RegionFilter): boolean {
  const { prefix: _prefix, ...rest } = filter;
  return Object.values(rest).some((value) => value !== undefined && value !== '');
}

/** Bounds of the digit strings that start with `prefix`, so a prefix search is an index range. */
export function prefixRange(prefix: string): [string, string] {
  return [prefix, `${prefix}${'9'.repeat(Math.max(0, 11 - prefix.length))}`];
}

export function regionFromRow(row: RegionTable): Region {
  return {
    prefix: row.prefix,
    city: row.city,
    state: row.state,
    zipcode: row.zipcode,
    country: row.country,
    lata: row.lata,
    rateCenter: row.rate_center,
    latitude: row.latitude,
    longitude: row.longitude,
    timeZone: row.time_zone,
  };
}

export const REGION_COLUMNS = [
  'r.prefix', 'r.city', 'r.state', 'r.zipcode', 'r.country', 'r.lata', 'r.rate_center',
  'r.latitude', 'r.longitude', 'r.time_zone',
] as const;
