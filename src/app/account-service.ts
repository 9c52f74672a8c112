import { hash } from 'node:crypto';
import { ConflictError, InvalidInputError, UnauthorizedError } from '../domain/errors.ts';
import { hashPassword, verifyPassword } from './passwords.ts';
import type { AccountRecord, Clock, Store } from './ports.ts';

const LOGIN = /^[A-Za-z0-9._@-]{1,64}$/;

/**
 * Refuses a login an API credential cannot have: Basic authentication splits at the first colon, so
 * a login holding one (or a space, or nothing at all) could never sign in.
 */
export function checkLogin(login: string, parameter: string): void {
  if (!LOGIN.test(login)) throw new InvalidInputError(`${parameter} must be 1 to 64 letters, digits or ._@-`, parameter);
}

export interface AccountServiceOptions {
  /** How long a verified credential is trusted without re-hashing; bounds how late a revocation bites. */
  credentialCacheMs: number;
}

interface CachedCredential {
  accountId: number;
  passwordDigest: string;
  expiresAt: number;
}

const MAX_CACHED = 10_000;

export class AccountService {
  private readonly verified = new Map<string, CachedCredential>();
  /**
   * Verifications under way, by login and password digest. Requests that come with a credential
   * not (or no longer) cached wait for the one hash already running: at a cold start or at the
   * cache's expiry under load, each would otherwise run scrypt, a few hundred at once.
   */
  private readonly verifying = new Map<string, Promise<number>>();

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly options: AccountServiceOptions,
  ) {}

  /** Creates an account whose first API credential has the same login. */
  async createAccount(login: string, password: string): Promise<AccountRecord> {
    checkLogin(login, 'login');
    if (password.length < 8) throw new InvalidInputError('password must be at least 8 characters', 'password');
    const passwordHash = await hashPassword(password);
    return this.store.transaction(async (tx) => {
      if (await tx.accounts.isLoginTaken(login)) throw new ConflictError(`login ${login} is taken`);
      const account = await tx.accounts.create(login, this.clock.now());
      await tx.accounts.addCredential(account.id, login, passwordHash, this.clock.now());
      return account;
    });
  }

  /**
   * The account a Basic credential belongs to; throws UnauthorizedError otherwise. A credential
   * verified in the last `credentialCacheMs` is answered at once, without a promise.
   */
  authenticate(login: string, password: string): number | Promise<number> {
    const now = this.clock.now().getTime();
    // One-shot: half the cost of a Hash object, on every request.
    const digest = hash('sha256', password, 'base64');
    const cached = this.verified.get(login);
    if (cached && cached.expiresAt > now && cached.passwordDigest === digest) return cached.accountId;

    const key = `${login}\n${digest}`;
    let verification = this.verifying.get(key);
    if (!verification) {
      verification = this.verify(login, password, digest, now);
      this.verifying.set(key, verification);
      const settled = () => { this.verifying.delete(key); };
      verification.then(settled, settled);
    }
    return verification;
  }

  /**
   * Drops a credential from this process's cache, so its revocation bites here at once; other
   * processes trust their copy until it expires (`credentialCacheMs`).
   */
  forget(login: string): void {
    this.verified.delete(login);
  }

  private async verify(login: string, password: string, digest: string, now: number): Promise<number> {
    const credential = await this.store.accounts.findCredential(login);
    if (!credential || !(await verifyPassword(password, credential.passwordHash))) {
      throw new UnauthorizedError();
    }
    if (this.verified.size >= MAX_CACHED) this.verified.clear();
    this.verified.set(login, { accountId: credential.accountId, passwordDigest: digest, expiresAt: now + this.options.credentialCacheMs });
    return credential.accountId;
  }
}
