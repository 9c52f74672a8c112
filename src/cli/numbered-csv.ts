import Papa from 'papaparse';

/** A CSV record: its fields, as written, and the number of the line it ends on, for reports. */
export interface NumberedRow {
  line: number;
  fields: string[];
}

/** A record still open after this many characters is an unclosed quote, not a record to wait for. */
const MAX_RECORD_CHARS = 1 << 20;

/**
 * Splits CSV text, fed in pieces cut anywhere, into records with the line each ends on. Blank
 * and whitespace-only lines are skipped but counted; quoted fields may hold commas, quotes and
 * line breaks. Papa Parse does the splitting: on a file without quotes it splits lines and
 * fields with indexOf, five times faster than csv-parse's character loop, which had been the
 * slower half of an import.
 */
export class NumberedCsvSplitter {
  #rest = '';
  #nextLine = 1;
  #newline: '\n' | '\r\n' | undefined;
  #started = false;

  /** The records complete in the text so far; a record cut by the end of `text` waits for the next piece. */
  push(text: string): NumberedRow[] {
    if (!this.#started) {
      this.#started = true;
      // A byte order mark (spreadsheets write one) is not part of the first field.
      if (text.startsWith('\uFEFF')) text = text.slice(1);
    }
    return this.#split(this.#rest + text, false);
  }

  /** The last records, at the end of the text. */
  end(): NumberedRow[] {
    return this.#split(this.#rest, true);
  }

  #split(text: string, last: boolean): NumberedRow[] {
    this.#rest = '';
    if (this.#newline === undefined) {
      const newline = text.indexOf('\n');
      if (newline < 0 && !last) {
        this.#rest = text;
        return [];
      }
      // Papa Parse splits on one line ending; the first line's says which.
      this.#newline = newline > 0 && text[newline - 1] === '\r' ? '\r\n' : '\n';
    }
    // Papa Parse sees whole lines only: a piece ending between a quote and "\r\n" reads as a malformed quote.
    const whole = last ? text.length : text.lastIndexOf(this.#newline) + this.#newline.length;
    if (!last && whole < this.#newline.length) {
      this.#rest = text;
      return [];
    }
    const parsed = new Papa.Parser({ delimiter: ',', newline: this.#newline }).parse(text.slice(0, whole), 0, !last) as Papa.ParseResult<string[]>;
    if (!last) {
      this.#rest = text.slice(parsed.meta.cursor);
      if (this.#rest.length > MAX_RECORD_CHARS) throw new Error(`line ${this.#nextLine}: a record longer than ${MAX_RECORD_CHARS} characters (an unclosed quote?)`);
    }
    const failed = parsed.errors[0]?.row ?? (parsed.errors.length > 0 ? parsed.data.length : -1);
    const rows: NumberedRow[] = [];
    for (let i = 0; i < parsed.data.length && i !== failed; i++) {
      const fields = parsed.data[i]!;
      let line = this.#nextLine;
      for (const field of fields) line += lineBreaks(field);
      this.#nextLine = line + 1;
      if (fields.length === 1 && fields[0]!.trim() === '') continue;
      rows.push({ line, fields });
    }
    if (failed >= 0) throw new Error(`line ${this.#nextLine}: ${parsed.errors[0]!.message}`);
    return rows;
  }
}

function lineBreaks(field: string): number {
  let count = 0;
  for (let at = field.indexOf('\n'); at >= 0; at = field.indexOf('\n', at + 1)) count++;
  return count;
}
