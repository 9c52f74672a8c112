import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { test } from 'node:test';
import { parse as csvParse } from 'csv-parse';
import { NumberedCsvParser } from '../../src/cli/numbered-csv.ts';

const OPTIONS = { columns: true, skip_empty_lines: true, trim: true, relax_column_count: true } as const;

async function parse(text: string, chunkSize: number) {
  const chunks: Buffer[] = [];
  for (let i = 0; i < text.length; i += chunkSize) chunks.push(Buffer.from(text.slice(i, i + chunkSize)));
  const parser = Readable.from(chunks).pipe(new NumberedCsvParser(OPTIONS));
  const records: { line: number; record: unknown }[] = [];
  for await (const r of parser) records.push(r);
  return records;
}

test('records carry the line they end on, past blank lines, CRLF and quoted line breaks, in any chunking', async () => {
  const text = 'a,b\r\n1,x\r\n\r\n   \r\n2,"y\nz"\r\n3 , " w "\r\n\n4';
  const expected = [
    { line: 2, record: { a: '1', b: 'x' } },
    { line: 6, record: { a: '2', b: 'y\nz' } },
    { line: 7, record: { a: '3', b: ' w ' } },
    { line: 9, record: { a: '4' } },
  ];
  for (const chunkSize of [1, 3, 7, 1000]) assert.deepEqual(await parse(text, chunkSize), expected, `chunks of ${chunkSize}`);
  // The lines csv-parse itself reports with `info: true`.
  const withInfo = await parseWithInfo(text);
  assert.deepEqual(withInfo, expected);
});

async function parseWithInfo(text: string) {
  const records: { line: number; record: unknown }[] = [];
  for await (const { record, info } of Readable.from([Buffer.from(text)]).pipe(csvParse({ ...OPTIONS, info: true }))) {
    records.push({ line: info.lines, record });
  }
  return records;
}
