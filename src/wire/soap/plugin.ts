import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { UnauthorizedError } from '../../domain/errors.ts';
import type { Services } from '../callfire/operation.ts';
import { ParamBag } from '../callfire/params.ts';
import { authenticateRequest, BASIC_CHALLENGE } from '../basic-auth.ts';
import { dispatch, type SoapService } from './dispatch.ts';
import { CONTENT_TYPE, parseEnvelope, renderEnvelope, versionOfContentType, type SoapVersion } from './envelope.ts';
import { faultBody, soapFaultOf } from './faults.ts';
import { resultBody } from './results.ts';
import { WSDL_PREFIX, wsdlPlugin } from './wsdl.ts';

export const SOAP_PREFIX = '/api/1.1/soap12';

export interface SoapOptions {
  services: Services;
  /** Base URL written into the served WSDL's addresses; null = this request's own scheme and host. */
  publicUrl: string | null;
  bodyLimit: number;
}

/** The SOAP binding of the Number and Label services, and the WSDL set describing it. */
export async function soapPlugin(app: FastifyInstance, options: SoapOptions): Promise<void> {
  await app.register(endpointsPlugin, { ...options, prefix: SOAP_PREFIX });
  await app.register(wsdlPlugin, { publicUrl: options.publicUrl, prefix: WSDL_PREFIX });
}

/** `/soap12/number` and `/soap12/label`: SOAP 1.1 or 1.2 in, the same version out. */
async function endpointsPlugin(app: FastifyInstance, options: SoapOptions): Promise<void> {
  const { services } = options;
  app.decorateRequest('accountId', null);

  // Any media type is read as text: the envelope's namespace, not the header, decides the version.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string', bodyLimit: options.bodyLimit }, (_request, body, done) => done(null, body));

  // Missing or wrong credentials are an HTTP challenge, not a fault, and are answered before the body is read.
  app.addHook('onRequest', async (request, reply) => {
    try {
      request.accountId = await authenticateRequest(services.accounts, request.headers.authorization);
    } catch (error) {
      if (!(error instanceof UnauthorizedError)) throw error;
      return reply.code(401).header('WWW-Authenticate', BASIC_CHALLENGE).type('text/plain; charset=utf-8').send(error.message);
    }
  });

  // Errors raised before a handler runs (body too large, ...): a fault in the version the media type names.
  app.setErrorHandler((error, request, reply) => {
    return sendFault(request, reply, versionOfContentType(request.headers['content-type']), error);
  });

  for (const service of ['number', 'label'] as const) {
    app.post(`/${service}`, (request, reply) => handle(service, request, reply));
  }

  async function handle(service: SoapService, request: FastifyRequest, reply: FastifyReply) {
    let version = versionOfContentType(request.headers['content-type']);
    try {
      const envelope = parseEnvelope(typeof request.body === 'string' ? request.body : '');
      version = envelope.version;
      const { operation, entries } = dispatch(service, envelope.body);
      const result = await operation.run(services, request.accountId!, new ParamBag(entries));
      return reply.code(200).type(CONTENT_TYPE[version]).send(renderEnvelope(version, resultBody(result)));
    } catch (error) {
      return sendFault(request, reply, version, error);
    }
  }
}

function sendFault(request: FastifyRequest, reply: FastifyReply, version: SoapVersion, error: unknown): FastifyReply {
  const fault = soapFaultOf(error);
  if (fault.internal) request.log.error({ err: error }, 'SOAP request failed');
  return reply.code(500).type(CONTENT_TYPE[version]).send(renderEnvelope(version, faultBody(version, fault)));
}
