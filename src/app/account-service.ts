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
  /**
   * Where no revocation signal reaches this process (SQLite, whose file the CLI may write beside a
   * running server), how often the cached logins are checked for revocation; never when omitted.
   */
  revocationCheckMs?: number;
}

/** Revocations announced across processes (Postgres LISTEN/NOTIFY). */
export interface RevocationSignal {
  /** This login's credential was revoked; its revocation committed. */
  publish(login: string): Promise<void>;
  /** `onRevoked` hears the logins revoked in any process; null when some may have been missed. */
  subscribe(onRevoked: (login: string | null) => void): Promise<void>;
}

interface CachedCredential {
  accountId: number;
  login: string;
  expiresAt: number;
}

const MAX_CACHED = 10_000;

export class AccountService {
  /**
   * Credentials verified lately, by the text the caller names them by (the Authorization header
   * as clients write it, else login and password), so a request that repeats one costs a lookup: parsing the header and hashing its password took a
   * sixth of a GetNumberOrder's CPU time. The texts carry passwords; they stay in memory no longer
   * than `credentialCacheMs`, and a reader of this process's memory could read requests anyway.
   */
  private readonly verified = new Map<string, CachedCredential>();
  /**
   * Verifications under way, by credential text. Requests that come with a credential not (or no
   * longer) cached wait for the one hash already running: at a cold start or at the cache's
   * expiry under load, each would otherwise run scrypt, a few hundred at once.
   */
  private readonly verifying = new Map<string, { login: string; accountId: Promise<number> }>();
  /** Revocations so far: a verification that read its credential before one caches nothing. */
  private forgets = 0;

  /** Listening for other processes' revocations: started by the first verification, which waits for it. */
  private listening: Promise<void> | undefined;
  /** Without a signal, the periodic check of cached logins (`checkRevocations`). */
  private checking: NodeJS.Timeout | undefined;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly options: AccountServiceOptions,
    /** Where other processes run (Postgres), how a revocation reaches them; null where this process is alone. */
    private readonly revocations: RevocationSignal | null = null,
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

  /** The account of credential text verified in the last `credentialCacheMs`; undefined otherwise. */
  recall(text: string): number | undefined {
    const cached = this.verified.get(text);
    return cached && cached.expiresAt > this.clock.now().getTime() ? cached.accountId : undefined;
  }

  /**
   * The account a login and password belong to; throws UnauthorizedError otherwise. `text` is the
   * form the credential came in, which `recall` finds it by; one verified lately is answered at
   * once, without a promise.
   */
  authenticate(login: string, password: string, text = `${login}:${password}`): number | Promise<number> {
    const known = this.recall(text);
    if (known !== undefined) return known;
    const running = this.verifying.get(text);
    if (running) return running.accountId;
    const verification = { login, accountId: this.verify(login, password, text) };
    this.verifying.set(text, verification);
    const settled = () => { if (this.verifying.get(text) === verification) this.verifying.delete(text); };
    verification.accountId.then(settled, settled);
    return verification.accountId;
  }

  /**
   * A credential of this login was revoked: this process forgets it at once, and so does every
   * process the revocation signal reaches. Others (the SQLite file's other processes) find out at
   * their next check (`revocationCheckMs`).
   */
  async revoked(login: string): Promise<void> {
    this.forget(login);
    // After the revocation committed; should the signal fail, the other processes' copies still expire.
    await this.revocations?.publish(login).catch(() => {});
  }

  /** Drops a login's credentials from this process's cache. */
  forget(login: string): void {
    this.forgets++;
    for (const [text, cached] of this.verified) if (cached.login === login) this.verified.delete(text);
    // A verification under way may have read the credential before it was revoked: later requests verify afresh.
    for (const [text, running] of this.verifying) if (running.login === login) this.verifying.delete(text);
  }

  /** Stops the periodic revocation check. */
  close(): void {
    clearInterval(this.checking);
  }

  /** Without a signal, starts the periodic check of cached logins, once, when the first is cached. */
  private checkRevocations(): void {
    if (this.revocations || !this.options.revocationCheckMs || this.checking) return;
    // A failed check is retried at the next; meanwhile cached credentials still expire.
    this.checking = setInterval(() => { this.forgetRevoked().catch(() => {}); }, this.options.revocationCheckMs);
    this.checking.unref();
  }

  /** Forgets the cached logins whose credential was revoked elsewhere since they were verified. */
  private async forgetRevoked(): Promise<void> {
    const logins = new Set([...this.verified.values()].map((cached) => cached.login));
    if (logins.size === 0) return;
    for (const login of await this.store.accounts.revokedAmong([...logins])) this.forget(login);
  }

  /** Drops every cached credential, when revocations may have been missed. */
  private forgetAll(): void {
    this.forgets++;
    this.verified.clear();
    this.verifying.clear();
  }

  private async verify(login: string, password: string, text: string): Promise<number> {
    // Nothing is cached before this process hears revocations, so none made meanwhile is missed.
    // Should listening fail, cached credentials still expire.
    this.listening ??= this.revocations?.subscribe((revoked) => (revoked === null ? this.forgetAll() : this.forget(revoked))).catch(() => {});
    await this.listening;
    const forgets = this.forgets;
    const credential = await this.store.accounts.findCredential(login);
    if (!credential || !(await verifyPassword(password, credential.passwordHash))) {
      throw new UnauthorizedError();
    }
    // The request that read the credential still gets its answer; only a read after every revocation is kept.
    if (forgets === this.forgets) {
      this.checkRevocations();
      if (this.verified.size >= MAX_CACHED) this.verified.clear();
      this.verified.set(text, { accountId: credential.accountId, login, expiresAt: this.clock.now().getTime() + this.options.credentialCacheMs });
    }
    return credential.accountId;
  }
}
