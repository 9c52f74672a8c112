import { NumberdError, type ErrorKind } from '../../domain/errors.ts';
import { xmlTree } from '../callfire/render.ts';
import { SERVICE_NS } from './dispatch.ts';
import type { SoapVersion } from './envelope.ts';

/** callfire-service.xsd's FaultCode. */
export type FaultCode = 'BAD_REQUEST' | 'FORBIDDEN' | 'NOT_FOUND' | 'UNAVAILABLE' | 'TIMEOUT' | 'NOT_IMPLEMENTED';

/**
 * The one mapping from error kinds to fault codes. A conflict (a well-formed request the
 * current state refuses, e.g. a forbidden order transition) is FORBIDDEN: the request was
 * understood and refused, which BAD_REQUEST would misstate. `unauthorized` only reaches here
 * from inside a use case; missing or wrong credentials are a 401 at the HTTP layer.
 */
const FAULT_CODE_OF: Record<ErrorKind, FaultCode> = {
  invalid: 'BAD_REQUEST',
  unauthorized: 'FORBIDDEN',
  not_found: 'NOT_FOUND',
  conflict: 'FORBIDDEN',
  unavailable: 'UNAVAILABLE',
};

/** The client's fault (Sender / Client); any other code is the server's (Receiver / Server). */
const SENDER_CODES: readonly FaultCode[] = ['BAD_REQUEST', 'FORBIDDEN', 'NOT_FOUND'];

export interface SoapFault {
  code: FaultCode;
  message: string;
  /** The numberd error code, for programs; absent for internal errors. */
  detail?: string;
  /** A bug or an outage: logged, and answered with a bland message. */
  internal: boolean;
}

export function soapFaultOf(error: unknown): SoapFault {
  if (error instanceof NumberdError) {
    return { code: FAULT_CODE_OF[error.kind], message: error.message, detail: error.code, internal: false };
  }
  const status = (error as { statusCode?: unknown })?.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return { code: 'BAD_REQUEST', message: (error as Error).message, internal: false };
  }
  // No FaultCode says "bug"; UNAVAILABLE tells a client the service could not do it and a retry may work.
  return { code: 'UNAVAILABLE', message: 'internal server error', internal: true };
}

/** The Fault element of the given version, with ServiceFaultInfo as its detail. */
export function faultBody(version: SoapVersion, fault: SoapFault): Record<string, unknown> {
  const isSender = SENDER_CODES.includes(fault.code);
  const info = {
    'svc:ServiceFaultInfo': {
      '@xmlns:svc': SERVICE_NS,
      'svc:FaultCode': fault.code,
      'svc:Message': fault.message,
      'svc:Detail': fault.detail,
    },
  };
  const content = version === '1.2'
    ? {
        'soap:Code': { 'soap:Value': isSender ? 'soap:Sender' : 'soap:Receiver' },
        'soap:Reason': { 'soap:Text': { '@xml:lang': 'en', '#text': fault.message } },
        'soap:Detail': info,
      }
    : { faultcode: isSender ? 'soap:Client' : 'soap:Server', faultstring: fault.message, detail: info };
  return { 'soap:Fault': xmlTree(content) };
}
