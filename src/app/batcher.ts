export interface BatcherOptions<I> {
  /** What one input counts toward `maxWeight`. */
  weightOf: (input: I) => number;
  /** Most weight one call of `run` takes, unless a single input weighs more. */
  maxWeight: number;
}

interface Waiting<I, O> {
  input: I;
  resolve: (output: O) => void;
  reject: (error: unknown) => void;
}

/**
 * Turns single calls into calls of `run` over many inputs, one call at a time: inputs that arrive
 * in the same turn of the event loop, or while the previous call runs, go in one. `run` answers in
 * input order. When a run of several fails, each input is run again alone, so one bad input fails
 * only itself.
 */
export function batcher<I, O>(run: (inputs: I[]) => Promise<O[]>, { weightOf, maxWeight }: BatcherOptions<I>): (input: I) => Promise<O> {
  const waiting: Waiting<I, O>[] = [];
  let running = false;
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

  function startRun(): void {
    scheduled = false;
    if (running || waiting.length === 0) return;
    running = true;
    void settle(nextBatch()).finally(() => {
      running = false;
      startRun();
    });
  }

  return (input) => new Promise<O>((resolve, reject) => {
    waiting.push({ input, resolve, reject });
    if (!scheduled && !running) {
      scheduled = true;
      // Not at once: the first request read in this turn of the event loop would run alone.
      setImmediate(startRun);
    }
  });
}
