import type { Operation } from '../callfire/operation.ts';
import { configureNumber } from '../callfire/operations/configure-number.ts';
import { createNumberOrder } from '../callfire/operations/create-number-order.ts';
import { deleteLabel } from '../callfire/operations/delete-label.ts';
import { getNumberOrder } from '../callfire/operations/get-number-order.ts';
import { getNumber } from '../callfire/operations/get-number.ts';
import { labelNumber } from '../callfire/operations/label-number.ts';
import { queryKeywords } from '../callfire/operations/query-keywords.ts';
import { queryLabels } from '../callfire/operations/query-labels.ts';
import { queryNumbers } from '../callfire/operations/query-numbers.ts';
import { queryRegions } from '../callfire/operations/query-regions.ts';
import { release } from '../callfire/operations/release.ts';
import { searchAvailableKeywords } from '../callfire/operations/search-available-keywords.ts';
import { searchAvailableNumbers } from '../callfire/operations/search-available-numbers.ts';
import { unlabelNumber } from '../callfire/operations/unlabel-number.ts';

export interface RestRoute {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Under /api/1.1/rest; `:Name` segments become the parameter `Name`. */
  path: string;
  operation: Operation;
}

/** Paths and verbs of the CallFire 1.1 Number and Label services. Literal segments win over `:Number`. */
export const REST_ROUTES: readonly RestRoute[] = [
  { method: 'GET', path: '/number/regions', operation: queryRegions },
  { method: 'GET', path: '/number/search', operation: searchAvailableNumbers },
  { method: 'GET', path: '/number/keyword', operation: queryKeywords },
  { method: 'GET', path: '/number/keyword/search', operation: searchAvailableKeywords },
  { method: 'POST', path: '/number/order', operation: createNumberOrder },
  { method: 'GET', path: '/number/order/:Id', operation: getNumberOrder },
  { method: 'PUT', path: '/number/release', operation: release },
  { method: 'GET', path: '/number', operation: queryNumbers },
  { method: 'GET', path: '/number/:Number', operation: getNumber },
  { method: 'PUT', path: '/number/:Number', operation: configureNumber },
  { method: 'GET', path: '/label', operation: queryLabels },
  { method: 'DELETE', path: '/label', operation: deleteLabel },
  { method: 'POST', path: '/label/number/:Number', operation: labelNumber },
  { method: 'DELETE', path: '/label/number/:Number', operation: unlabelNumber },
];
