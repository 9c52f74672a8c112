import type { OperationResult } from '../callfire/operation.ts';
import { DATA_NS, xmlTree } from '../callfire/render.ts';
import { SERVICE_NS } from './dispatch.ts';

/**
 * The Body child for a result, from the same entity trees REST renders. Each element declares
 * its namespaces: the data namespace is the default one, so the entity trees' unprefixed names
 * land in it as the XSD wants, and service elements carry the `svc` prefix. null = empty Body.
 */
export function resultBody(result: OperationResult): Record<string, unknown> | null {
  switch (result.kind) {
    case 'none':
      return null;
    case 'entity':
      return { [result.entity.name]: { '@xmlns': DATA_NS, ...xmlTree(result.entity.content) } };
    case 'list':
      return {
        [`svc:${result.name}QueryResult`]: {
          '@xmlns:svc': SERVICE_NS,
          '@xmlns': DATA_NS,
          'svc:TotalResults': String(result.total),
          ...(result.items.length > 0 ? { [result.name]: result.items.map(xmlTree) } : {}),
        },
      };
    case 'created':
      return { 'svc:CreatedId': { '@xmlns:svc': SERVICE_NS, '#text': String(result.id) } };
  }
}
