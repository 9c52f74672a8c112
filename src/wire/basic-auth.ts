import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AccountService } from '../app/account-service.ts';
import { UnauthorizedError } from '../domain/errors.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The authenticated account; set by each API plugin's onRequest hook. */
    accountId: number | null;
  }
}

/** The challenge every 401 carries; without it the .NET clients never send credentials. */
export const BASIC_CHALLENGE = 'Basic realm="numberd", charset="UTF-8"';

/** Credentials of an `Authorization: Basic` header; undefined when absent or malformed. */
export function parseBasicAuth(header: string | undefined): { login: string; password: string } | undefined {
  if (!header) return undefined;
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  if (!match) return undefined;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { login: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/**
 * The account of a request's Basic credentials; throws UnauthorizedError when they are missing or
 * wrong. A number when the credential was verified lately, so the hook can go on synchronously.
 */
export function authenticateRequest(accounts: AccountService, header: string | undefined): number | Promise<number> {
  // A header seen lately is looked up as it is, before any parsing.
  const known = header === undefined ? undefined : accounts.recall(header);
  if (known !== undefined) return known;
  const credentials = parseBasicAuth(header);
  if (!credentials) throw new UnauthorizedError();
  // Only the header as clients write it is remembered as it is. Other spellings of the credential
  // (case, spaces, base64 padding) share one entry: each would otherwise take memory and a
  // password hash of its own, as often as a client cared to vary it.
  const written = `Basic ${Buffer.from(`${credentials.login}:${credentials.password}`).toString('base64')}`;
  return accounts.authenticate(credentials.login, credentials.password, header === written ? header : undefined);
}

/**
 * An onRequest hook setting `request.accountId`. A callback hook rather than an async one: a
 * request with a cached credential passes without a promise, and this runs on every request.
 */
export function authenticationHook(accounts: AccountService) {
  return (request: FastifyRequest, _reply: FastifyReply, done: (error?: Error) => void): void => {
    let account: number | Promise<number>;
    try {
      account = authenticateRequest(accounts, request.headers.authorization);
    } catch (error) {
      return done(error as Error);
    }
    if (typeof account === 'number') {
      request.accountId = account;
      return done();
    }
    account.then((id) => { request.accountId = id; done(); }, done);
  };
}
