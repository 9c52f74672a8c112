import pg from 'pg';
import { capabilitiesOf } from './capabilities.ts';
import type { DatabaseHandle } from './database.ts';

/** First reconnect delay; it doubles, with jitter, up to the maximum. */
const MIN_BACKOFF_MS = 100;
const MAX_BACKOFF_MS = 10_000;

/** The process's LISTEN connection where the store has LISTEN/NOTIFY; null where it has not (one process). */
export function createPostgresListener(handle: DatabaseHandle, url: string): PostgresListener | null {
  return capabilitiesOf(handle.dialect).supportsListenNotify ? new PostgresListener(url) : null;
}

/** A channel's message; null after a reconnect, since whatever was sent meanwhile is lost. */
export type ChannelListener = (payload: string | null) => void;

/**
 * A process's one dedicated LISTEN connection (not a pool client), for every channel it listens
 * on. It reconnects with jittered backoff when it drops, then tells each channel's listeners that
 * messages may have been lost.
 */
export class PostgresListener {
  private readonly channels = new Map<string, ChannelListener[]>();
  private client: pg.Client | null = null;
  /** The channels the current client listens on. */
  private listened = new Set<string>();
  private connecting: Promise<void> | null = null;
  private closed = false;
  private failures = 0;
  private retryTimer: NodeJS.Timeout | null = null;

  constructor(private readonly url: string) {}

  /** Starts listening on `channel` (connecting first if need be); resolves once it listens, or has failed and will retry. */
  async listen(channel: string, listener: ChannelListener): Promise<void> {
    const listeners = this.channels.get(channel);
    if (listeners) {
      listeners.push(listener);
      return;
    }
    this.channels.set(channel, [listener]);
    if (!this.client && !this.retryTimer) await this.connect();
    if (this.connecting) await this.connecting;
    const client = this.client;
    if (client && !this.listened.has(channel)) {
      await client.query(`LISTEN ${channel}`).then(() => { this.listened.add(channel); }, () => this.dropped(client));
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.channels.clear();
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => {});
  }

  private connect(): Promise<void> {
    if (this.connecting) return this.connecting;
    this.connecting = this.open().catch(() => this.scheduleReconnect()).finally(() => { this.connecting = null; });
    return this.connecting;
  }

  private async open(): Promise<void> {
    const client = new pg.Client({ connectionString: this.url });
    client.on('notification', ({ channel, payload }) => {
      for (const listener of this.channels.get(channel) ?? []) listener(payload ?? '');
    });
    client.on('error', () => this.dropped(client));
    client.on('end', () => this.dropped(client));
    this.client = client;
    this.listened = new Set();
    try {
      await client.connect();
      for (const channel of this.channels.keys()) {
        await client.query(`LISTEN ${channel}`);
        this.listened.add(channel);
      }
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
    if (reconnected) for (const listeners of this.channels.values()) for (const listener of listeners) listener(null);
  }

  private dropped(client: pg.Client): void {
    if (this.client !== client || this.closed) return;
    this.client = null;
    client.end().catch(() => {});
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.closed || this.retryTimer) return;
    this.failures++;
    const delay = Math.min(MAX_BACKOFF_MS, MIN_BACKOFF_MS * 2 ** (this.failures - 1)) * (0.5 + Math.random() / 2);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (!this.closed) void this.connect();
    }, delay);
    this.retryTimer.unref();
  }
}
