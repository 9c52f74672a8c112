import { InvalidInputError } from '../../domain/errors.ts';
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
import { DATA_NS } from '../callfire/render.ts';
import type { XmlElement } from './xml-input.ts';

export const SERVICE_NS = 'http://api.callfire.com/service/xsd';

/**
 * The request elements of callfire-service.xsd as flattening rules. Each element is in the
 * namespace the XSD puts it in (locally declared children in the service namespace, `ref`
 * entities and everything inside them in the data namespace); its leaves become the same
 * ParamBag entries REST sends, so the shared operations read SOAP and REST alike. Order and
 * presence are the operations' business: they already check what is required.
 */
interface Field {
  ns: string;
  /** Child elements of a container; absent for a leaf. */
  children?: Shape;
  /** Parameter name of a leaf when it differs from the element name. */
  param?: string;
  /** Attribute local name -> parameter name. */
  attributes?: Record<string, string>;
}
type Shape = Record<string, Field>;

const svc = (param?: string): Field => ({ ns: SERVICE_NS, param });
const data = (): Field => ({ ns: DATA_NS });
const dataLeaves = (...names: string[]): Shape => Object.fromEntries(names.map((name) => [name, data()]));

const REGION: Field = {
  ns: DATA_NS,
  children: dataLeaves('Prefix', 'City', 'State', 'Zipcode', 'Country', 'Lata', 'RateCenter', 'Latitude', 'Longitude', 'TimeZone'),
};
const QUERY: Shape = { MaxResults: svc(), FirstResult: svc() };
const NUMBER_LABEL: Shape = { Number: svc(), LabelName: svc() };

const NUMBER_CONFIGURATION: Field = {
  ns: DATA_NS,
  children: {
    ...dataLeaves('CallFeature', 'TextFeature', 'InboundCallConfigurationType'),
    InboundCallConfiguration: {
      ns: DATA_NS,
      children: {
        CallTrackingConfig: {
          ns: DATA_NS,
          attributes: { id: 'CallTrackingConfig[id]' },
          children: dataLeaves('TransferNumber', 'Screen', 'Record', 'IntroSoundId', 'WhisperSoundId'),
        },
        IvrInboundConfig: { ns: DATA_NS, attributes: { id: 'IvrInboundConfig[id]' }, children: dataLeaves('DialplanXml') },
      },
    },
  },
};

export interface SoapOperation {
  operation: Operation;
  request: Shape;
}

export type SoapService = 'number' | 'label';

/** Body element local name (in the service namespace) -> operation, per endpoint. */
export const SOAP_OPERATIONS: Record<SoapService, Record<string, SoapOperation>> = {
  number: {
    QueryRegions: { operation: queryRegions, request: { ...QUERY, Region: REGION } },
    QueryNumbers: { operation: queryNumbers, request: { ...QUERY, Region: REGION, LabelName: svc() } },
    GetNumber: { operation: getNumber, request: { Number: svc() } },
    ConfigureNumber: { operation: configureNumber, request: { Number: svc(), NumberConfiguration: NUMBER_CONFIGURATION } },
    SearchAvailableNumbers: { operation: searchAvailableNumbers, request: { Region: REGION, TollFree: svc(), Count: svc() } },
    QueryKeywords: { operation: queryKeywords, request: QUERY },
    SearchAvailableKeywords: { operation: searchAvailableKeywords, request: { Keywords: svc() } },
    CreateNumberOrder: {
      operation: createNumberOrder,
      request: {
        Numbers: svc(),
        Keywords: svc(),
        // REST's names for the two bulk counts; the BulkLocal Region flattens to the region fields as in REST.
        BulkLocal: { ns: SERVICE_NS, children: { Count: svc('LocalCount'), Region: REGION } },
        BulkTollFree: { ns: SERVICE_NS, children: { Count: svc('TollFreeCount') } },
      },
    },
    GetNumberOrder: { operation: getNumberOrder, request: { Id: svc(), Wait: svc() } },
    Release: { operation: release, request: { Number: svc(), Keyword: svc() } },
  },
  label: {
    DeleteLabel: { operation: deleteLabel, request: { LabelName: svc() } },
    QueryLabels: { operation: queryLabels, request: QUERY },
    LabelNumber: { operation: labelNumber, request: NUMBER_LABEL },
    UnlabelNumber: { operation: unlabelNumber, request: NUMBER_LABEL },
  },
};

/** The operation a Body element asks for on this endpoint, and its content as parameter entries. */
export function dispatch(service: SoapService, body: XmlElement): { operation: Operation; entries: [string, string][] } {
  const operations = SOAP_OPERATIONS[service];
  const known = body.ns === SERVICE_NS && Object.hasOwn(operations, body.name) ? operations[body.name] : undefined;
  if (!known) {
    throw new InvalidInputError(`unknown operation {${body.ns}}${body.name} on the ${service} service`);
  }
  const entries: [string, string][] = [];
  flatten(body, known.request, entries);
  return { operation: known.operation, entries };
}

function flatten(element: XmlElement, shape: Shape, entries: [string, string][]): void {
  for (const child of element.children) {
    const field = Object.hasOwn(shape, child.name) ? shape[child.name] : undefined;
    if (!field || field.ns !== child.ns) {
      const expected = field ? ` (expected namespace ${field.ns})` : '';
      throw new InvalidInputError(`unexpected element {${child.ns}}${child.name} in ${element.name}${expected}`, child.name);
    }
    for (const [attribute, param] of Object.entries(field.attributes ?? {})) {
      const value = child.attributes.get(attribute);
      if (value !== undefined) entries.push([param, value]);
    }
    if (field.children) {
      flatten(child, field.children, entries);
    } else if (child.children.length > 0) {
      throw new InvalidInputError(`${child.name} must hold text, not elements`, child.name);
    } else {
      entries.push([field.param ?? child.name, child.text]);
    }
  }
}
