/**
 * The CSV reader thread of `inventory import`: reads and parses the file while the main thread
 * stores the rows read before. Storing is synchronous (better-sqlite3), so on one thread the
 * parsing would add to it.
 */
import { createReadStream } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { CSV_FIELDS, type CsvBatch, type CsvReaderMessage, type CsvReaderOptions } from './inventory-csv-messages.ts';
import { NumberedCsvSplitter, type NumberedRow } from './numbered-csv.ts';

const { file, messageRows, ahead } = workerData as CsvReaderOptions;
const port = parentPort!;
let credits = ahead;
let wake: (() => void) | undefined;
// The main thread answers every message it takes.
port.on('message', () => {
  credits++;
  wake?.();
});

const stream = createReadStream(file, { encoding: 'utf8' });
const splitter = new NumberedCsvSplitter();
/** Where each of CSV_FIELDS is in a record, from the header; -1 where the file lacks it. */
let positions: number[] | undefined;
/** The fields of the record before, to send a repeated field as null (see CsvBatch). */
const above: (string | undefined)[] = [];
let lines: number[] = [];
let columns: CsvBatch['columns'] = CSV_FIELDS.map(() => []);

async function send(): Promise<void> {
  while (credits === 0) await new Promise<void>((resolve) => { wake = resolve; });
  credits--;
  const lineNumbers = new Uint32Array(lines);
  const batch: CsvBatch = { kind: 'batch', lines: lineNumbers, columns, bytesRead: stream.bytesRead };
  port.postMessage(batch satisfies CsvReaderMessage, [lineNumbers.buffer]);
  lines = [];
  columns = CSV_FIELDS.map(() => []);
}

async function take(rows: NumberedRow[]): Promise<void> {
  for (const { line, fields } of rows) {
    if (positions === undefined) {
      positions = headerPositions(fields);
      continue;
    }
    lines.push(line);
    for (let i = 0; i < CSV_FIELDS.length; i++) {
      const value = fields[positions[i]!]?.trim();
      const column = columns[i]!;
      column.push(column.length > 0 && value === above[i] ? null : value);
      above[i] = value;
    }
    if (lines.length >= messageRows) await send();
  }
}

for await (const text of stream as AsyncIterable<string>) await take(splitter.push(text));
await take(splitter.end());
if (lines.length > 0) await send();
port.postMessage({ kind: 'end' } satisfies CsvReaderMessage);
port.close();

function headerPositions(header: string[]): number[] {
  const names = header.map((h) => h.trim().toLowerCase());
  if (!names.includes('number')) {
    throw new Error(`the first line must be the header ${CSV_FIELDS.join(',')}, got "${header.join(',')}"`);
  }
  return CSV_FIELDS.map((field) => names.indexOf(field));
}
