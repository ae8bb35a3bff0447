import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CsvSyntaxError, parseCsv, type CsvRecord } from '../../src/domain/csv.js';
import {
  planImport,
  type ImportColumn,
  type ImportedTag,
  type ImportPlan,
  type RejectedRow,
} from '../../src/domain/id-tag-import.js';

// References: the former, obviously correct but slow, implementations (character-by-character
// parsing, and dropping parentless rows until none is left, quadratic on chains). The fast ones
// must agree with them on everything.

function referenceParse(text: string): CsvRecord[] {
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

/** The per-row reading of the former implementation, reduced to what the properties vary. */
function referenceReadRow(
  row: Record<'idTag' | 'status' | 'parentIdTag', string | undefined>,
  before: ImportedTag | undefined,
): ImportedTag | string {
  const idTag = row.idTag ?? '';
  if (idTag === '') return 'idTag is empty';
  const status = row.status === undefined ? (before?.status ?? 'Accepted') : row.status || 'Accepted';
  const parentIdTag = row.parentIdTag === undefined ? (before?.parentIdTag ?? null) : row.parentIdTag || null;
  if (parentIdTag === idTag) return 'an id tag cannot be its own parent';
  return { idTag, status, expiryDate: before?.expiryDate ?? null, parentIdTag };
}

function sameTag(a: ImportedTag, b: ImportedTag): boolean {
  return a.status === b.status && a.expiryDate === b.expiryDate && a.parentIdTag === b.parentIdTag;
}

function referencePlan(
  columns: readonly ImportColumn[],
  rows: readonly CsvRecord[],
  stored: ReadonlyMap<string, ImportedTag>,
): ImportPlan {
  const rejected: RejectedRow[] = [];
  const accepted = new Map<string, { line: number; tag: ImportedTag }>();
  for (const { line, fields } of rows) {
    const value = (column: ImportColumn) => fields[columns.indexOf(column)]?.trim();
    const row = { idTag: value('idTag'), status: value('status'), parentIdTag: value('parentIdTag') };
    const idTag = row.idTag || null;
    const read =
      fields.length === columns.length
        ? referenceReadRow(row, idTag === null ? undefined : stored.get(idTag))
        : `expected ${columns.length} fields, found ${fields.length}`;
    const first = typeof read === 'string' ? undefined : accepted.get(read.idTag);
    if (typeof read === 'string') rejected.push({ line, idTag, reason: read });
    else if (first)
      rejected.push({ line, idTag, reason: `idTag ${read.idTag} appears already on line ${first.line}` });
    else accepted.set(read.idTag, { line, tag: read });
  }
  // Drop rows whose parent is neither stored nor accepted, until none is left to drop.
  for (let dropped = true; dropped;) {
    dropped = false;
    for (const [idTag, { line, tag }] of accepted) {
      if (tag.parentIdTag === null || stored.has(tag.parentIdTag) || accepted.has(tag.parentIdTag)) continue;
      rejected.push({ line, idTag, reason: `parentIdTag ${tag.parentIdTag} is not a known id tag` });
      accepted.delete(idTag);
      dropped = true;
    }
  }
  const plan: ImportPlan = { create: [], update: [], unchanged: 0, rejected };
  for (const { tag } of accepted.values()) {
    const before = stored.get(tag.idTag);
    if (!before) plan.create.push(tag);
    else if (sameTag(before, tag)) plan.unchanged++;
    else plan.update.push(tag);
  }
  rejected.sort((a, b) => a.line - b.line);
  return plan;
}

/** CSV texts made of the characters that matter to the syntax. */
const csvText = fc
  .array(fc.constantFrom('a', 'b', ',', '"', '\n', '\r', '\r\n', '""', ' '), { maxLength: 40 })
  .map((parts) => parts.join(''));

function outcome(parse: (text: string) => CsvRecord[], text: string): unknown {
  try {
    return parse(text);
  } catch (error) {
    if (error instanceof CsvSyntaxError) return { error: error.message };
    throw error;
  }
}

describe('CSV parsing', () => {
  it('reads every text as the character-by-character reference does', () => {
    fc.assert(
      fc.property(csvText, (text) => {
        expect(outcome(parseCsv, text)).toEqual(outcome(referenceParse, text));
      }),
      { seed: 20261130, numRuns: 2000 },
    );
  });
});

/** Id tag rows over a small name space, so that parents hit other rows, stored tags, or nothing. */
const NAMES = ['T0', 'T1', 'T2', 'T3', 'T4', 'T5', 'T6', 'T7', 'T8', 'T9'];
const name = fc.constantFrom(...NAMES);
const tagRow = fc.record({
  idTag: fc.oneof(name, fc.constant('')),
  status: fc.constantFrom('', 'Accepted', 'Blocked'),
  parentIdTag: fc.oneof(name, fc.constant(''), fc.constant('GONE')),
});
const storedTag = fc.record({
  idTag: name,
  status: fc.constantFrom('Accepted', 'Blocked'),
  parentIdTag: fc.oneof(name, fc.constant(null)),
});

function plans(rows: { idTag: string; status: string; parentIdTag: string }[], stored: ImportedTag[]) {
  const columns: ImportColumn[] = ['idTag', 'status', 'parentIdTag'];
  const records: CsvRecord[] = rows.map((row, index) => ({
    line: index + 2,
    fields: [row.idTag, row.status, row.parentIdTag],
  }));
  const storedMap = new Map(stored.map((tag) => [tag.idTag, tag]));
  return {
    actual: planImport(columns, records, storedMap),
    expected: referencePlan(columns, records, storedMap),
  };
}

function comparable(plan: ImportPlan) {
  const key = (tag: ImportedTag) => tag.idTag;
  return {
    create: [...plan.create].sort((a, b) => key(a).localeCompare(key(b))),
    update: [...plan.update].sort((a, b) => key(a).localeCompare(key(b))),
    unchanged: plan.unchanged,
    rejected: plan.rejected,
  };
}

describe('id tag import: parent resolution', () => {
  it('agrees with the reference on random files: chains, cycles, unknown and stored parents', () => {
    fc.assert(
      fc.property(
        fc.array(tagRow, { maxLength: 14 }),
        fc.uniqueArray(
          storedTag.map((tag) => ({ ...tag, expiryDate: null })),
          {
            selector: (tag) => tag.idTag,
            maxLength: 4,
          },
        ),
        (rows, stored) => {
          const { actual, expected } = plans(rows, stored);
          expect(comparable(actual)).toEqual(comparable(expected));
          // Every accepted row's parent is stored or accepted too.
          const accepted = new Set([...actual.create, ...actual.update].map((tag) => tag.idTag));
          const storedNames = new Set(stored.map((tag) => tag.idTag));
          for (const tag of [...actual.create, ...actual.update]) {
            if (tag.parentIdTag !== null)
              expect(accepted.has(tag.parentIdTag) || storedNames.has(tag.parentIdTag)).toBe(true);
          }
        },
      ),
      { seed: 20261130, numRuns: 3000 },
    );
  });

  it('keeps a cycle whose rows all exist, and rejects a chain hanging from a missing root in cascade', () => {
    const cycle = plans(
      [
        { idTag: 'T1', status: '', parentIdTag: 'T2' },
        { idTag: 'T2', status: '', parentIdTag: 'T1' },
      ],
      [],
    );
    expect(cycle.actual.create.map((tag) => tag.idTag)).toEqual(['T1', 'T2']);
    const rows = Array.from({ length: 5000 }, (_, i) => ({
      idTag: `C${i}`,
      status: '',
      parentIdTag: i + 1 < 5000 ? `C${i + 1}` : 'GONE',
    }));
    const { actual } = plans(rows, []);
    expect(actual.create).toEqual([]);
    expect(actual.rejected.map((row) => row.line)).toEqual(rows.map((_, i) => i + 2));
  });
});
