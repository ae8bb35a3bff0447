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
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = '';
  /** The current field was quoted: then it exists even when empty. */
  let quoted = false;
  let line = 1;
  let recordLine = 1;
  const endField = () => {
    fields.push(field);
    field = '';
    quoted = false;
  };
  const endRecord = () => {
    const blank = fields.length === 0 && field === '' && !quoted;
    endField();
    if (!blank) records.push({ line: recordLine, fields });
    fields = [];
  };
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  while (i < text.length) {
    const char = text[i];
    if (char === '"' && field === '' && !quoted) {
      const start = line;
      quoted = true;
      for (i++; text[i] !== '"' || text[i + 1] === '"'; i++) {
        if (i >= text.length) throw new CsvSyntaxError(start, 'a quoted field is not closed');
        if (text[i] === '"') i++;
        else if (text[i] === '\n') line++;
        field += text[i];
      }
      i++;
      const next = text[i];
      if (next !== undefined && next !== ',' && next !== '\n' && next !== '\r') {
        throw new CsvSyntaxError(line, 'text after a closing quote');
      }
      continue;
    }
    if (char === ',') {
      endField();
    } else if (char === '\n' || char === '\r') {
      endRecord();
      if (char === '\r' && text[i + 1] === '\n') i++;
      line++;
      recordLine = line;
    } else {
      field += char;
    }
    i++;
  }
  if (fields.length > 0 || field !== '' || quoted) endRecord();
  return records;
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
