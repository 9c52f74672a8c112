import type { Page, RegionFilter } from '../../app/ports.ts';
import type { ParamBag } from './params.ts';

/** Readers for parameter groups several operations share. */

export const MAX_RESULTS = 1000;

export function readPage(params: ParamBag): Page {
  return {
    maxResults: params.integer('MaxResults', { min: 1, max: MAX_RESULTS }) ?? MAX_RESULTS,
    firstResult: params.integer('FirstResult', { min: 0, max: Number.MAX_SAFE_INTEGER }) ?? 0,
  };
}

/** The flattened Region fields (REST) or the children of a Region element (SOAP, flattened alike). */
export function readRegion(params: ParamBag): RegionFilter {
  const region: RegionFilter = {
    prefix: params.string('Prefix')?.trim(),
    city: params.string('City')?.trim(),
    state: params.string('State')?.trim(),
    zipcode: params.string('Zipcode')?.trim(),
    country: params.string('Country')?.trim(),
    lata: params.string('Lata')?.trim(),
    rateCenter: params.string('RateCenter')?.trim(),
    latitude: params.float('Latitude', { min: -90, max: 90 }),
    longitude: params.float('Longitude', { min: -180, max: 180 }),
    timeZone: params.string('TimeZone')?.trim(),
  };
  for (const key of Object.keys(region) as (keyof RegionFilter)[]) {
    if (region[key] === undefined) delete region[key];
  }
  return region;
}
