import { Worker } from 'node:worker_threads';
import type { InventoryRow } from '../app/inventory-import.ts';
import { rowsOf, type CsvReaderMessage, type CsvReaderOptions } from './inventory-csv-messages.ts';

/**
 * Rows per message from the reader thread. Small messages die young in its heap: with 10,000
 * the process peaked at 300 MB instead of 190.
 */
const MESSAGE_ROWS = 1000;
/**
 * The reader thread's young generation, in MB, smaller than V8's default: its garbage dies
 * young anyway, and this keeps about 15 MB off the process's peak.
 */
const READER_YOUNG_GENERATION_MB = 16;

/**
 * The rows of an inventory CSV file, a few at a time, parsed on a thread of its own
 * (inventory-csv-worker.ts) from the moment it is created, at most `aheadRows` ahead of the
 * rows taken. A parse error ends the rows after the messages sent before it. Close it in any case.
 */
export class InventoryCsvReader {
  readonly #worker: Worker;
  readonly #received: CsvReaderMessage[] = [];
  #failure: unknown;
  #ended = false;
  #wake: (() => void) | undefined;

  constructor(file: string, aheadRows: number) {
    this.#worker = startReader({ file, messageRows: MESSAGE_ROWS, ahead: Math.ceil(aheadRows / MESSAGE_ROWS) });
    this.#worker.on('message', (message: CsvReaderMessage) => { this.#received.push(message); this.#notify(); });
    this.#worker.on('error', (error) => { this.#failure = error; this.#notify(); });
    this.#worker.on('exit', (code) => {
      if (!this.#ended) this.#failure ??= new Error(`the CSV reader stopped with exit code ${code}`);
      this.#notify();
    });
  }

  async *rows(): AsyncGenerator<{ rows: InventoryRow[]; bytesRead: number }> {
    for (;;) {
      while (this.#received.length === 0 && this.#failure === undefined) await new Promise<void>((resolve) => { this.#wake = resolve; });
      const message = this.#received.shift();
      if (!message) throw this.#failure;
      if (message.kind === 'end') {
        this.#ended = true;
        return;
      }
      this.#worker.postMessage('taken');
      yield { rows: rowsOf(message), bytesRead: message.bytesRead };
    }
  }

  async close(): Promise<void> {
    this.#ended = true;
    await this.#worker.terminate();
  }

  #notify(): void {
    this.#wake?.();
    this.#wake = undefined;
  }
}

/** The reader thread, from the file next to this module: dist/ when bundled (scripts/build.mjs builds it too), src/cli/ under tsx. */
function startReader(options: CsvReaderOptions): Worker {
  const settings = { workerData: options, resourceLimits: { maxYoungGenerationSizeMb: READER_YOUNG_GENERATION_MB } };
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./inventory-csv-worker.js', import.meta.url), settings);
  // Node 20 applies no loader hooks to a worker's modules, so tsx loads them itself there.
  const tsx = import.meta.resolve('tsx/esm/api');
  const worker = new URL('./inventory-csv-worker.ts', import.meta.url).href;
  return new Worker(`import(${JSON.stringify(tsx)}).then((tsx) => tsx.tsImport(${JSON.stringify(worker)}, ${JSON.stringify(import.meta.url)}))`, { ...settings, eval: true });
}
