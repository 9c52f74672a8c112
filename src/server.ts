import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyReply } from 'fastify';
import { ADMIN_PREFIX, adminPlugin } from './admin/plugin.ts';
import type { Context } from './context.ts';
import { REST_PREFIX, restPlugin, sendRestError } from './wire/rest/plugin.ts';
import { registerOps } from './wire/ops.ts';
import { restErrorOf } from './wire/rest/errors.ts';
import { soapPlugin } from './wire/soap/plugin.ts';

export const BODY_LIMIT = 1024 * 1024;

export interface HttpAppOptions {
  /** true: a logger at the configured level; or the logger the rest of the process writes to. */
  logger?: boolean | FastifyBaseLogger;
  /** Serve the CallFire API; false leaves only /healthz and /metrics (a worker process). Default true. */
  api?: boolean;
}

/** The HTTP application over a context; listening and workers are the caller's choice. */
export async function createHttpApp(context: Context, options: HttpAppOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    ...(typeof options.logger === 'object' ? { loggerInstance: options.logger } : { logger: options.logger ? { level: context.config.server.logLevel } : false }),
    bodyLimit: BODY_LIMIT,
    // Ids and numbers in paths are never long; this keeps abusive URLs cheap.
    routerOptions: { maxParamLength: 200 },
    // Malformed URLs fail in the router, before any plugin's error handler; answer them in the client's envelope.
    frameworkErrors: (error, request, anyReply) => {
      const reply = anyReply as FastifyReply;
      const { status, message } = restErrorOf(error);
      if (request.url.startsWith(REST_PREFIX)) return sendRestError(reply, request.url, status, message);
      return reply.code(status).send({ error: message });
    },
  });
  registerOps(app, context);
  app.addHook('preClose', (done) => {
    // Requests waiting for an order to end answer now, or closing would wait for them; and the
    // connections of requests still in flight close after their answer instead of being kept alive.
    context.waits.close();
    app.server.keepAliveTimeout = 1;
    done();
  });
  if (options.api !== false) {
    await app.register(restPlugin, {
      prefix: REST_PREFIX,
      services: context.services,
      publicUrl: context.config.server.publicUrl,
      bodyLimit: BODY_LIMIT,
    });
    await app.register(adminPlugin, { prefix: ADMIN_PREFIX, context });
    await app.register(soapPlugin, { services: context.services, publicUrl: context.config.server.publicUrl, bodyLimit: BODY_LIMIT });
  }
  return app;
}
