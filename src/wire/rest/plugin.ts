import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { release } from '../callfire/operations/release.ts';
import type { Operation, OperationResult, Services } from '../callfire/operation.ts';
import { ParamBag } from '../callfire/params.ts';
import { renderJson, renderXml } from '../callfire/render.ts';
import type { Envelope } from '../callfire/tree.ts';
import { authenticationHook, BASIC_CHALLENGE } from '../basic-auth.ts';
import { bodyEntries, queryEntries, readRawBody, type Entries } from './body.ts';
import { restErrorOf } from './errors.ts';
import { REST_ROUTES } from './routes.ts';

export const REST_PREFIX = '/api/1.1/rest';

export interface RestOptions {
  services: Services;
  /** Base URL for Locations; null = this request's own scheme and host. */
  publicUrl: string | null;
  bodyLimit: number;
}

type Format = 'xml' | 'json';

/** `.json` on the last segment selects JSON, `.xml` or nothing XML; Accept is ignored on purpose. */
function formatOf(url: string): Format {
  const query = url.indexOf('?');
  return url.endsWith('.json', query < 0 ? url.length : query) ? 'json' : 'xml';
}

function stripSuffix(segment: string): string {
  return segment.replace(/\.(json|xml)$/, '');
}

/** A ResourceException in the format the URL asks for; also used for errors the router raises before any route runs. */
export function sendRestError(reply: FastifyReply, url: string, status: number, message: string): FastifyReply {
  if (status === 401) reply.header('WWW-Authenticate', BASIC_CHALLENGE);
  return send(reply, formatOf(url), status, { kind: 'exception', status, message });
}

function send(reply: FastifyReply, format: Format, status: number, envelope: Envelope): FastifyReply {
  return reply
    .code(status)
    .type(format === 'json' ? 'application/json; charset=utf-8' : 'application/xml; charset=utf-8')
    .send(format === 'json' ? renderJson(envelope) : renderXml(envelope));
}

/** The REST binding of the CallFire 1.1 Number and Label services, as an encapsulated fastify plugin. */
export async function restPlugin(app: FastifyInstance, options: RestOptions): Promise<void> {
  const { services } = options;
  app.decorateRequest('accountId', null);

  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: options.bodyLimit }, (request, body, done) => {
    bodyEntries(body as Buffer, request.headers['content-type']).then((entries) => done(null, entries), (error: Error) => {
      done(Object.assign(error, { statusCode: 400 }), undefined);
    });
  });

  app.addHook('onRequest', authenticationHook(services.accounts));

  app.setErrorHandler((error, request, reply) => {
    const { status, message, internal } = restErrorOf(error);
    if (internal) request.log.error({ err: error }, 'request failed');
    return sendRestError(reply, request.url, status, message);
  });

  app.setNotFoundHandler((request, reply) => {
    return sendRestError(reply, request.url, 404, `no operation ${request.method} ${request.url.split('?')[0]}`);
  });

  for (const route of REST_ROUTES) {
    const isStatic = !route.path.includes(':');
    const paths = isStatic ? [route.path, `${route.path}.json`, `${route.path}.xml`] : [route.path];
    for (const url of paths) {
      app.route({
        method: route.method,
        url,
        handler: (request, reply) => handle(request, reply, route.operation),
      });
    }
  }

  async function handle(request: FastifyRequest, reply: FastifyReply, routeOperation: Operation) {
    const operation = isNodeReleaseBug(request) ? release : routeOperation;
    const pathParams = operation === routeOperation
      ? Object.entries(request.params as Record<string, string>).map(([name, value]): [string, string] => [name, stripSuffix(value)])
      : [];
    const fromPath = new Set(pathParams.map(([name]) => name.toLowerCase()));
    const body = Array.isArray(request.body) ? (request.body as Entries) : hasUnreadBody(request) ? await readUnparsedBody(request) : [];
    const others = [...queryEntries(request.url), ...body].filter(([name]) => !fromPath.has(name.toLowerCase()));
    const result = await operation.run(services, request.accountId!, new ParamBag([...pathParams, ...others]));
    return respond(request, reply, result);
  }

  /** Read here rather than in a hook, which every request would pass through. */
  async function readUnparsedBody(request: FastifyRequest): Promise<Entries> {
    return bodyEntries(await readRawBody(request.raw, options.bodyLimit), request.headers['content-type']);
  }

  function respond(request: FastifyRequest, reply: FastifyReply, result: OperationResult) {
    const format = formatOf(request.url);
    switch (result.kind) {
      case 'none':
        return reply.code(204).send();
      case 'entity':
        return send(reply, format, 200, { kind: 'resource', entity: result.entity });
      case 'list':
        return send(reply, format, 200, { kind: 'list', total: result.total, name: result.name, items: result.items });
      case 'created': {
        const base = options.publicUrl ?? `${request.protocol}://${request.host}`;
        const location = `${base}${REST_PREFIX}/number/order/${result.id}`;
        return send(reply, format, 201, { kind: 'reference', id: result.id, location });
      }
    }
  }
}

/** fastify leaves GET bodies unread; a Scala client sends its form there. */
function hasUnreadBody(request: FastifyRequest): boolean {
  return request.method === 'GET' && Boolean(request.headers['content-length'] || request.headers['transfer-encoding']);
}

/**
 * The Node SDK appends " <id>" to the Release path (`PUT /number/release 123`), which lands on
 * ConfigureNumber's `/number/:Number`; such a request is a Release with its parameters in the body.
 */
function isNodeReleaseBug(request: FastifyRequest): boolean {
  const number = (request.params as { Number?: string }).Number;
  return request.method === 'PUT' && number !== undefined && /^release(\s|$)/.test(number);
}
