import type { Expression, ExpressionBuilder, SqlBool } from 'kysely';
import type { RegionFilter } from '../app/ports.ts';
import type { Region } from '../domain/inventory.ts';
import type { Database, RegionTable } from './schema.ts';

/** How far (in degrees) a Latitude/Longitude search looks around the point. */
const NEARBY_DEGREES = 1.5;

type RegionScope = ExpressionBuilder<Database & { r: RegionTable }, 'r'>;

/**
 * A filter's region fields as the SQL compares them: text in upper case as stored, a point
 * widened to a box. Computed before the query is built, so a prepared query can take them as
 * values in its slots (see searchAvailable).
 */
export interface RegionMatch extends Omit<RegionFilter, 'prefix' | 'latitude' | 'longitude'> {
  latitudeFrom?: number;
  latitudeTo?: number;
  longitudeFrom?: number;
  longitudeTo?: number;
}

export function regionMatch(filter: RegionFilter): RegionMatch {
  const match: RegionMatch = {};
  if (filter.city) match.city = filter.city.toUpperCase();
  if (filter.state) match.state = filter.state.toUpperCase();
  if (filter.zipcode) match.zipcode = filter.zipcode;
  if (filter.country) match.country = filter.country.toUpperCase();
  if (filter.lata) match.lata = filter.lata;
  if (filter.rateCenter) match.rateCenter = filter.rateCenter.toUpperCase();
  if (filter.timeZone) match.timeZone = filter.timeZone;
  if (filter.latitude !== undefined) {
    match.latitudeFrom = filter.latitude - NEARBY_DEGREES;
    match.latitudeTo = filter.latitude + NEARBY_DEGREES;
  }
  if (filter.longitude !== undefined) {
    match.longitudeFrom = filter.longitude - NEARBY_DEGREES;
    match.longitudeTo = filter.longitude + NEARBY_DEGREES;
  }
  return match;
}

/** Conditions on the regions table aliased `r`; every field of the match present is compared as it is. */
export function regionConditions(eb: RegionScope, match: RegionMatch): Expression<SqlBool>[] {
  const conditions: Expression<SqlBool>[] = [];
  if (match.city !== undefined) conditions.push(eb('r.city', '=', match.city));
  if (match.state !== undefined) conditions.push(eb('r.state', '=', match.state));
  if (match.zipcode !== undefined) conditions.push(eb('r.zipcode', '=', match.zipcode));
  if (match.country !== undefined) conditions.push(eb('r.country', '=', match.country));
  if (match.lata !== undefined) conditions.push(eb('r.lata', '=', match.lata));
  if (match.rateCenter !== undefined) conditions.push(eb('r.rate_center', '=', match.rateCenter));
  if (match.timeZone !== undefined) conditions.push(eb('r.time_zone', '=', match.timeZone));
  if (match.latitudeFrom !== undefined) conditions.push(eb('r.latitude', '>=', match.latitudeFrom), eb('r.latitude', '<=', match.latitudeTo!));
  if (match.longitudeFrom !== undefined) conditions.push(eb('r.longitude', '>=', match.longitudeFrom), eb('r.longitude', '<=', match.longitudeTo!));
  return conditions;
}

/** Whether the filter says anything about the region beyond a prefix: whether regionMatch finds a field. */
export function hasRegionConditions(filter: RegionFilter): boolean {
  return Object.keys(regionMatch(filter)).length > 0;
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
