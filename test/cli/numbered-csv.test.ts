import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NumberedCsvSplitter, type NumberedRow } from '../../src/cli/numbered-csv.ts';

function split(text: string, pieceSize: number): NumberedRow[] {
  const splitter = new NumberedCsvSplitter();
  const rows: NumberedRow[] = [];
  for (let i = 0; i < text.length; i += pieceSize) rows.push(...splitter.push(text.slice(i, i + pieceSize)));
  rows.push(...splitter.end());
  return rows;
}

const PIECE_SIZES = [1, 2, 3, 7, 1000];

test('records carry the line they end on, past blank lines, CRLF and quoted line breaks, in any cutting', () => {
  const text = '\uFEFFa,b\r\n1,x\r\n\r\n   \r\n2,"y\r\nz"\r\n3 , " w "\r\n"q,""r""",\r\n\r\n4';
  const expected = [
    { line: 1, fields: ['a', 'b'] },
    { line: 2, fields: ['1', 'x'] },
    { line: 6, fields: ['2', 'y\r\nz'] },
    { line: 7, fields: ['3 ', ' " w "'] },
    { line: 8, fields: ['q,"r"', ''] },
    { line: 10, fields: ['4'] },
  ];
  for (const size of PIECE_SIZES) assert.deepEqual(split(text, size), expected, `pieces of ${size}`);
  assert.deepEqual(split(text.replaceAll('\r\n', '\n'), 1000), expected.map((r) => ({ ...r, fields: r.fields.map((f) => f.replace('\r\n', '\n')) })));
});

test('a file ending in a line break has no empty last record', () => {
  for (const size of PIECE_SIZES) assert.deepEqual(split('a\n1\n2\n', size), [{ line: 1, fields: ['a'] }, { line: 2, fields: ['1'] }, { line: 3, fields: ['2'] }]);
});

test('an unclosed quote fails with the line its record starts on', () => {
  for (const size of PIECE_SIZES) assert.throws(() => split('a,b\n1,x\n2,"y\n3,z\n', size), /^Error: line 3: /, `pieces of ${size}`);
});
