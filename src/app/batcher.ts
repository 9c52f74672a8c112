export interface BatcherOptions<I> {
  /** What one input counts toward `maxWeight`. */
  weightOf: (input: I) => number;
  /** Most weight one call of `run` takes, unless a single input weighs more. */
  maxWeight: number;
  /** Most calls of `run` at once; inputs arriving while all are busy wait and go together. */
  maxRunning: number;
}

interface Waiting<I, O> {
  input: I;
  resolve: (output: O) => void;
  reject: (error: unknown) => void;
}

/**
 * Turns single calls into calls of `run` over many inputs: those that arrive in the same turn of
 * the event loop, or while `maxRunning` runs are busy, go in one. `run` answers in input order.
 * When a run of several fails, each input is run again alone, so one bad input fails only itself.
 */
export function batcher<I, O>(run: (inputs: I[]) => Promise<O[]>, { weightOf, maxWeight, maxRunning }: BatcherOptions<I>): (input: I) => Promise<O> {
  const waiting: Waiting<I, O>[] = [];
  let running = 0;
  let scheduled = false;

  async function settle(batch: Waiting<I, O>[]): Promise<void> {
    try {
      const outputs = await run(batch.map((w) => w.input));
      batch.forEach((w, i) => w.resolve(outputs[i]!));
    } catch (error) {
      if (batch.length === 1) batch[0]!.reject(error);
      else for (const w of batch) await settle([w]);
    }
  }

  function nextBatch(): Waiting<I, O>[] {
    let size = 1;
    let weight = weightOf(waiting[0]!.input);
    while (size < waiting.length && weight + weightOf(waiting[size]!.input) <= maxWeight) weight += weightOf(waiting[size++]!.input);
    return waiting.splice(0, size);
  }

  function startRuns(): void {
    scheduled = false;
    while (running < maxRunning && waiting.length > 0) {
      running++;
      void settle(nextBatch()).finally(() => {
        running--;
        startRuns();
      });
    }
  }

  return (input) => new Promise<O>((resolve, reject) => {
    waiting.push({ input, resolve, reject });
    if (!scheduled && running < maxRunning) {
      scheduled = true;
      // Not at once: requests read in this turn of the event loop would each start their own run.
      setImmediate(startRuns);
    }
  });
}
