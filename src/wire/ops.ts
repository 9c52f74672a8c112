import type { FastifyInstance } from 'fastify';
import type { Context } from '../context.ts';

/**
 * Operations endpoints, unauthenticated so a load balancer and Prometheus can reach them:
 * `/healthz` answers 503 when the database does not, `/metrics` is Prometheus text.
 * Also counts and times every request, labelled by route pattern (never the raw URL,
 * which would make one time series per phone number).
 */
export function registerOps(app: FastifyInstance, context: Pick<Context, 'store' | 'metrics'>): void {
  const { metrics } = context;
  app.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url ?? 'unmatched';
    metrics.httpRequests.inc({ route, method: request.method, status: String(reply.statusCode) });
    metrics.httpDuration.observe({ route, method: request.method }, reply.elapsedTime / 1000);
    done();
  });

  app.get('/healthz', async (_request, reply) => {
    const ok = await context.store.ping();
    return reply.code(ok ? 200 : 503).send({ status: ok ? 'ok' : 'unavailable', database: ok });
  });

  app.get('/metrics', async (_request, reply) => {
    return reply.type(metrics.contentType).send(await metrics.text());
  });
}
