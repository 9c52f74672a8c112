/** Announces ended orders to other processes and hears theirs. */
export interface OrderEndSignal {
  /** These orders ended; their transaction committed. */
  publish(orderIds: readonly number[]): void;
  /**
   * `onEnded` hears the orders other processes ended; null when some may have been missed.
   * `waited` lists the orders requests wait for now; `localWorker` says whether this process ends
   * orders itself (a store whose other writers are rare may then leave them to the recheck).
   */
  subscribe(onEnded: (orderIds: number[] | null) => void, context: { waited: () => readonly number[]; localWorker: boolean }): Promise<void>;
  close(): void;
}

/**
 * GetNumberOrder requests waiting for their order to end (long-poll). `ended` wakes them: the
 * processor's commits in this process, and the store's signal for those of other processes. A
 * waiter also wakes every `recheckMs` to read its order again, so a lost signal costs time, not
 * the answer.
 */
export class OrderWaits {
  private readonly waiting = new Map<number, Set<() => void>>();
  private closed = false;
  private started = false;

  /** `onFirstWait` runs once, when a request first waits: a process that never long-polls never listens. */
  constructor(private readonly recheckMs: number, private readonly onFirstWait?: () => void) {}

  /**
   * Resolves when the order may have ended, or after `ms` (at most `recheckMs`): true to read it
   * again and go on waiting, false once waits are closed (answer now).
   */
  next(orderId: number, ms: number): Promise<boolean> {
    if (this.closed) return Promise.resolve(false);
    if (!this.started) {
      this.started = true;
      this.onFirstWait?.();
    }
    return new Promise((resolve) => {
      let waiters = this.waiting.get(orderId);
      if (!waiters) this.waiting.set(orderId, (waiters = new Set()));
      const done = () => {
        clearTimeout(timer);
        waiters.delete(done);
        if (waiters.size === 0) this.waiting.delete(orderId);
        resolve(!this.closed);
      };
      const timer = setTimeout(done, Math.min(ms, this.recheckMs));
      waiters.add(done);
    });
  }

  /** The orders requests wait for now. */
  waitedIds(): number[] {
    return [...this.waiting.keys()];
  }

  /** These orders ended (their transaction committed); null: some may have, unknown which. */
  ended(orderIds: Iterable<number> | null): void {
    const ids = orderIds ?? this.waitedIds();
    for (const id of ids) for (const done of [...(this.waiting.get(id) ?? [])]) done();
  }

  /** Every wait answers now, and later ones at once: the server is stopping. */
  close(): void {
    this.closed = true;
    this.ended(null);
  }
}
