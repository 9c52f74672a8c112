import pg from 'pg';
import { InProcessJobNotifier, type JobNotifier } from '../app/job-notifier.ts';
import { capabilitiesOf, JOBS_CHANNEL } from './capabilities.ts';
import type { DatabaseHandle } from './database.ts';

export interface ListenOptions {
  /** First reconnect delay; it doubles, with jitter, up to `maxBackoffMs`. */
  minBackoffMs?: number;
  maxBackoffMs?: number;
  onError?: (error: unknown) => void;
}

/** The notifier that fits the store: LISTEN/NOTIFY where the database has it, in-process otherwise. */
export function createJobNotifier(handle: DatabaseHandle, url: string, options: ListenOptions = {}): JobNotifier {
  return capabilitiesOf(handle.dialect).supportsListenNotify ? new PostgresJobNotifier(url, options) : new InProcessJobNotifier();
}

/**
 * Wake-ups across processes. The job repository sends `pg_notify` inside the enqueueing
 * transaction, so an API process wakes every worker; a worker holds one dedicated LISTEN
 * connection (not a pool client) and reconnects with jittered backoff when it drops.
 * After a reconnect it wakes its runner once, since notifications sent meanwhile are lost.
 */
export class PostgresJobNotifier implements JobNotifier {
  private readonly local = new InProcessJobNotifier();
  private readonly listeners: (() => void)[] = [];
  private client: pg.Client | null = null;
  private closed = false;
  private listening = false;
  private failures = 0;
  private retryTimer: NodeJS.Timeout | null = null;

  constructor(private readonly url: string, private readonly options: ListenOptions = {}) {}

  jobQueued(): void {
    this.local.jobQueued();
  }

  async subscribe(onWake: () => void): Promise<void> {
    await this.local.subscribe(onWake);
    this.listeners.push(onWake);
    if (!this.listening) {
      this.listening = true;
      await this.connect().catch((error: unknown) => this.scheduleReconnect(error));
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    await this.local.close();
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => {});
  }

  private wakeAll(): void {
    for (const listener of this.listeners) listener();
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({ connectionString: this.url });
    client.on('notification', () => this.wakeAll());
    client.on('error', (error) => this.dropped(client, error));
    client.on('end', () => this.dropped(client, new Error('LISTEN connection ended')));
    this.client = client;
    try {
      await client.connect();
      await client.query(`LISTEN ${JOBS_CHANNEL}`);
    } catch (error) {
      if (this.client === client) this.client = null;
      client.end().catch(() => {});
      throw error;
    }
    if (this.closed) {
      await client.end().catch(() => {});
      return;
    }
    const reconnected = this.failures > 0;
    this.failures = 0;
    if (reconnected) this.wakeAll();
  }

  private dropped(client: pg.Client, error: unknown): void {
    if (this.client !== client || this.closed) return;
    this.client = null;
    client.end().catch(() => {});
    this.scheduleReconnect(error);
  }

  private scheduleReconnect(error: unknown): void {
    if (this.closed || this.retryTimer) return;
    this.options.onError?.(error);
    this.failures++;
    const min = this.options.minBackoffMs ?? 100;
    const max = this.options.maxBackoffMs ?? 10_000;
    const delay = Math.min(max, min * 2 ** (this.failures - 1)) * (0.5 + Math.random() / 2);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (!this.closed) this.connect().catch((next: unknown) => this.scheduleReconnect(next));
    }, delay);
    this.retryTimer.unref();
  }
}
