/**
 * Wakes job runners as soon as work is queued, so orders never wait for a poll. The job
 * table stays the source of truth: a lost wake-up only delays work until the runner's poll.
 */
export interface JobNotifier {
  /** Work was queued and its transaction committed (the enqueue itself told other processes, where the store can). */
  jobQueued(): void;
  /**
   * Delivers wake-ups to this process's runner: local enqueues, and those of other processes, on
   * Postgres always, on SQLite when `otherProcesses` asks for them (watching costs every write to
   * the file an event, so a worker whose own API queues its work does without).
   */
  subscribe(onWake: () => void, options?: { otherProcesses?: boolean }): Promise<void>;
  close(): Promise<void>;
}

/** One process: a commit wakes the runner in the same process directly. */
export class InProcessJobNotifier implements JobNotifier {
  private readonly listeners = new Set<() => void>();

  jobQueued(): void {
    for (const listener of this.listeners) listener();
  }

  async subscribe(onWake: () => void): Promise<void> {
    this.listeners.add(onWake);
  }

  async close(): Promise<void> {
    this.listeners.clear();
  }
}
