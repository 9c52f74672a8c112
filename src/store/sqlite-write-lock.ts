/**
 * The write lock of one SQLite file among the threads of one process: the server's connection on
 * the event loop and the checkpointer's on its own thread (sqlite-checkpointer.ts takes it there,
 * blocking, on the same shared cell: 1 while held). SQLite's own lock stays the guard; this one
 * decides who asks for it. A connection that finds SQLite's lock taken waits in SQLite's busy
 * handler, which puts the whole thread to sleep in steps of up to 100 ms: on the event loop, every
 * request waited, up to 190 ms at once, whenever the checkpointer restarted the log under load.
 * Here the event loop waits as a promise instead, and wakes as soon as the lock is free. Other
 * processes (the CLI) meet SQLite's lock alone, as before.
 */
export class SqliteWriteLock {
  /** Shared with the other thread, which sees the same cell. */
  readonly buffer = new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT);
  private readonly held = new Int32Array(this.buffer);

  async acquire(): Promise<void> {
    while (Atomics.compareExchange(this.held, 0, 0, 1) !== 0) {
      const wait = Atomics.waitAsync(this.held, 0, 1);
      if (!wait.async) continue;
      // A pending waitAsync does not keep the process alive; without this, a CLI command whose
      // transaction waits for the checkpointer would exit, its promise never settled.
      const keepAlive = setTimeout(() => {}, 2 ** 31 - 1);
      try {
        await wait.value;
      } finally {
        clearTimeout(keepAlive);
      }
    }
  }

  release(): void {
    Atomics.store(this.held, 0, 0);
    Atomics.notify(this.held, 0);
  }
}
