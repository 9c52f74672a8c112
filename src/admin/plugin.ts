import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { importInventory, REGION_FIELDS, type InventoryRow } from '../app/inventory-import.ts';
import { InvalidInputError, NotFoundError, UnauthorizedError } from '../domain/errors.ts';
import type { Context } from '../context.ts';
import { adminErrorOf } from './errors.ts';

export const ADMIN_PREFIX = '/admin/v1';
const MAX_IMPORT_ROWS = 50_000;
/** One import batch of MAX_IMPORT_ROWS rows as JSON fits in this. */
const IMPORT_BODY_LIMIT = 32 * 1024 * 1024;

type Body = Record<string, unknown>;

function bodyOf(request: FastifyRequest): Body {
  const body = request.body;
  return body && typeof body === 'object' && !Array.isArray(body) ? (body as Body) : {};
}

/** The body's inventory rows: objects of text fields, each with its line (its position when not given). */
function inventoryRowsOf(rows: unknown): InventoryRow[] {
  if (!Array.isArray(rows) || rows.length > MAX_IMPORT_ROWS) {
    throw new InvalidInputError(`rows must be an array of at most ${MAX_IMPORT_ROWS} inventory rows`, 'rows');
  }
  return rows.map((row: unknown, i): InventoryRow => {
    if (!row || typeof row !== 'object' || Array.isArray(row)) throw new InvalidInputError(`rows[${i}] must be an object of inventory fields`, 'rows');
    const fields = row as Record<string, unknown>;
    for (const field of ['number', ...REGION_FIELDS]) {
      if (fields[field] !== undefined && typeof fields[field] !== 'string') throw new InvalidInputError(`rows[${i}].${field} must be text`, 'rows');
    }
    if (fields.line !== undefined && !Number.isSafeInteger(fields.line)) throw new InvalidInputError(`rows[${i}].line must be an integer`, 'rows');
    return { ...(fields as Omit<InventoryRow, 'line'>), line: (fields.line as number | undefined) ?? i + 1 };
  });
}

function idOf(request: FastifyRequest): number {
  const text = (request.params as { id: string }).id;
  if (!/^\d{1,15}$/.test(text)) throw new InvalidInputError(`order id must be a number, got "${text}"`, 'id');
  return Number(text);
}

function tokenMatches(header: string | undefined, token: string): boolean {
  const given = Buffer.from(/^Bearer\s+(.+)$/i.exec(header ?? '')?.[1]?.trim() ?? '');
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** The operator API: JSON in and out, a bearer token, the same services as the CLI's direct mode. */
export async function adminPlugin(app: FastifyInstance, { context }: { context: Context }): Promise<void> {
  const { operator } = context;
  const login = (request: FastifyRequest) => (request.params as { login: string }).login;

  app.addHook('onRequest', async (request) => {
    const token = context.config.admin.token;
    if (token === null) throw new UnauthorizedError('the admin API is disabled: set NUMBERD_ADMIN_TOKEN');
    if (!tokenMatches(request.headers.authorization, token)) throw new UnauthorizedError('a valid admin bearer token is required');
  });

  app.setErrorHandler((error, request, reply) => {
    const { status, body, internal } = adminErrorOf(error);
    if (internal) request.log.error({ err: error }, 'admin request failed');
    if (status === 401) reply.header('WWW-Authenticate', 'Bearer realm="numberd-admin"');
    return reply.code(status).send(body);
  });
  app.setNotFoundHandler((request, reply) =>
    reply.code(404).send({ code: 'NBD_ERR_NOT_FOUND', message: `no admin operation ${request.method} ${request.url.split('?')[0]}` }));

  app.post('/accounts', async (request, reply) => {
    const body = bodyOf(request);
    const account = await operator.createAccount(String(body.login ?? ''), String(body.password ?? ''));
    return reply.code(201).send(await operator.showAccount(account.login));
  });
  app.get('/accounts', async () => (await operator.listAccounts()).map((a) => ({ id: a.id, login: a.login })));
  app.get('/accounts/:login', (request) => operator.showAccount(login(request)));
  app.post('/accounts/:login/credentials', async (request, reply) => {
    const body = bodyOf(request);
    await operator.addCredential(login(request), String(body.login ?? ''), String(body.password ?? ''));
    return reply.code(201).send(await operator.showAccount(login(request)));
  });
  app.delete('/accounts/:login/credentials/:credential', async (request) => {
    await operator.revokeCredential(login(request), (request.params as { credential: string }).credential);
    return operator.showAccount(login(request));
  });
  app.post('/accounts/:login/funds', (request) => operator.addFunds(login(request), bodyOf(request).amount));
  app.put('/accounts/:login/policy', (request) => operator.setPolicy(login(request), bodyOf(request)));
  app.put('/accounts/:login/prices', (request) => operator.setPrices(login(request), bodyOf(request)));

  app.get('/orders', (request) => {
    const query = request.query as { status?: string; login?: string };
    return operator.listOrders({ status: query.status || undefined, login: query.login || undefined });
  });
  app.get('/orders/:id', (request) => operator.getOrder(idOf(request)));
  app.post('/orders/:id/approve', (request) => operator.approve(idOf(request), bodyOf(request).approver));
  app.post('/orders/:id/reject', (request) => operator.reject(idOf(request), bodyOf(request).approver, bodyOf(request).reason));
  app.post('/orders/:id/cancel', (request) => operator.cancel(idOf(request)));

  app.get('/ledger/check', async () => {
    const mismatches = await operator.ledgerCheck();
    return { balanced: mismatches.length === 0, mismatches };
  });

  app.get('/inventory/stats', () => context.store.inventory.stats());
  app.post('/inventory', { bodyLimit: IMPORT_BODY_LIMIT }, async (request) => {
    return importInventory(context.store, inventoryRowsOf(bodyOf(request).rows));
  });

  app.post('/clock/advance', async (request) => {
    const clock = context.testClock;
    if (!clock) throw new NotFoundError('the test clock is not enabled (NUMBERD_TEST_CLOCK=1)');
    const seconds = bodyOf(request).seconds;
    if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 0 || seconds > 10 * 365 * 86_400) {
      throw new InvalidInputError('seconds must be a number from 0 to ten years', 'seconds');
    }
    const now = clock.advance(seconds * 1000);
    // Renewals, expiries and ageing that became due run before the answer.
    await context.runDueWork();
    return { now: now.toISOString() };
  });
}
