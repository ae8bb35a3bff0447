/**
 * CSV as RFC 4180 writes it: comma-separated fields, fields with commas, quotes or line breaks
 * in double quotes, quotes doubled inside them; lines end in CRLF or LF.
 */

/** One record of a CSV text and the line it starts on (from 1). */
export interface CsvRecord {
  line: number;
  fields: string[];
}

export class CsvSyntaxError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(`line ${line}: ${message}`);
    this.name = 'CsvSyntaxError';
  }
}

/**
 * Reads every record of a CSV text; blank lines are skipped and a leading byte order mark is
 * ignored. @throws CsvSyntaxError for a quoted field left open or text after a closing quote.
 */
export function parseCsv(text: string): CsvRecord[] {
  return [...csvRecords(text)];
}

/** The end of an unquoted field. */
const FIELD_END = /[,\r\n]/g;

/**
 * {@link parseCsv} one record at a time, so that a caller can pause between records. Fields are
 * cut out by searching for their end, not built character by character: linear in the text,
 * and fast even for one huge field.
 */
export function* csvRecords(text: string): Generator<CsvRecord, void, void> {
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  while (i < text.length) {
    const recordLine = line;
    const fields: string[] = [];
    /** Nothing but a line break: skipped. */
    let blank = true;
    for (;;) {
      if (text[i] === '"') {
        blank = false;
        const start = line;
        let value = '';
        for (let from = i + 1; ;) {
          const quote = text.indexOf('"', from);
          if (quote < 0) throw new CsvSyntaxError(start, 'a quoted field is not closed');
          value += text.slice(from, quote);
          if (text[quote + 1] !== '"') {
            i = quote + 1;
            break;
          }
          value += '"';
          from = quote + 2;
        }
        line += newlines(value);
        fields.push(value);
        const next = text[i];
        if (next !== undefined && next !== ',' && next !== '\n' && next !== '\r') {
          throw new CsvSyntaxError(line, 'text after a closing quote');
        }
      } else {
        FIELD_END.lastIndex = i;
        const end = FIELD_END.exec(text)?.index ?? text.length;
        if (end > i) blank = false;
        fields.push(text.slice(i, end));
        i = end;
      }
      if (text[i] !== ',') break;
      blank = false;
      i++;
    }
    if (text[i] === '\r' || text[i] === '\n') {
      if (text[i] === '\r' && text[i + 1] === '\n') i++;
      i++;
      line++;
    }
    if (!blank) yield { line: recordLine, fields };
  }
}

function newlines(value: string): number {
  let count = 0;
  for (let at = value.indexOf('\n'); at >= 0; at = value.indexOf('\n', at + 1)) count++;
  return count;
}

/** Characters that make a spreadsheet read a cell as a formula (CSV injection). */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * One CSV line (with CRLF, as RFC 4180 says) of the given values: numbers as they are, `null`
 * as an empty field, text quoted when needed. Text that a spreadsheet would run as a formula
 * gets a leading `'`, since values such as id tags come from charge points.
 */
export function csvLine(values: readonly (string | number | null)[]): string {
  return `${values.map(csvField).join(',')}\r\n`;
}

function csvField(value: string | number | null): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
