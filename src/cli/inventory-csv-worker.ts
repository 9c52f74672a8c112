/**
 * The CSV reader thread of `inventory import`: reads and parses the file while the main thread
 * stores the rows read before. Parsing takes about as much CPU as storing, and storing is
 * synchronous (better-sqlite3), so on one thread the two would add up.
 */
import { createReadStream } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { CSV_FIELDS, type CsvBatch, type CsvReaderMessage, type CsvReaderOptions } from './inventory-csv-messages.ts';
import { NumberedCsvParser, type NumberedRecord } from './numbered-csv.ts';

const { file, messageRows, ahead } = workerData as CsvReaderOptions;
const port = parentPort!;
let credits = ahead;
let wake: (() => void) | undefined;
// The main thread answers every message it takes.
port.on('message', () => {
  credits++;
  wake?.();
});

const stream = createReadStream(file);
const parser = stream.pipe(new NumberedCsvParser({ columns: checkHeader, skip_empty_lines: true, trim: true, relax_column_count: true }));
let lines: number[] = [];
let columns = CSV_FIELDS.map((): (string | undefined)[] => []);

async function send(): Promise<void> {
  while (credits === 0) await new Promise<void>((resolve) => { wake = resolve; });
  credits--;
  const lineNumbers = new Uint32Array(lines);
  const batch: CsvBatch = { kind: 'batch', lines: lineNumbers, columns, bytesRead: stream.bytesRead };
  port.postMessage(batch satisfies CsvReaderMessage, [lineNumbers.buffer]);
  lines = [];
  columns = CSV_FIELDS.map(() => []);
}

for await (const { line, record } of parser as AsyncIterable<NumberedRecord<Record<string, string>>>) {
  lines.push(line);
  for (let i = 0; i < CSV_FIELDS.length; i++) columns[i]!.push(record[CSV_FIELDS[i]!]);
  if (lines.length >= messageRows) await send();
}
if (lines.length > 0) await send();
port.postMessage({ kind: 'end' } satisfies CsvReaderMessage);
port.close();

function checkHeader(header: string[]): string[] {
  const names = header.map((h) => h.trim().toLowerCase());
  if (!names.includes('number')) {
    throw new Error(`the first line must be the header ${CSV_FIELDS.join(',')}, got "${header.join(',')}"`);
  }
  return names;
}
