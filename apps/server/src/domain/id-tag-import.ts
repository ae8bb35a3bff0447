import { ID_TAG_STATUSES } from '@cimorings/contracts';
import type { CsvRecord } from './csv.js';

/** The columns of an id tag CSV file, as its header names them. */
export const IMPORT_COLUMNS = ['idTag', 'status', 'expiryDate', 'parentIdTag'] as const;
export type ImportColumn = (typeof IMPORT_COLUMNS)[number];

/** An id tag as a file row sets it. */
export interface ImportedTag {
  idTag: string;
  status: string;
  expiryDate: string | null;
  parentIdTag: string | null;
}

export interface RejectedRow {
  /** The line of the file the row starts on; the header is line 1. */
  line: number;
  /** The row's idTag as written, or null when it has none. */
  idTag: string | null;
  reason: string;
}

export interface ImportPlan {
  create: ImportedTag[];
  update: ImportedTag[];
  /** Rows that match the stored tag already: nothing to write. */
  unchanged: number;
  rejected: RejectedRow[];
}

/** The header of the file: which column each field is. @throws Error naming the fault. */
export function readHeader(header: CsvRecord): ImportColumn[] {
  const columns = header.fields.map((name) => {
    const column = IMPORT_COLUMNS.find((known) => known.toLowerCase() === name.trim().toLowerCase());
    if (!column) throw new Error(`unknown column "${name}": use ${IMPORT_COLUMNS.join(', ')}`);
    return column;
  });
  if (!columns.includes('idTag')) throw new Error('the header row must name an idTag column');
  const twice = columns.find((column, index) => columns.indexOf(column) !== index);
  if (twice) throw new Error(`column ${twice} appears twice`);
  return columns;
}

/** The distinct tags a file names, as idTag or as parentIdTag: those to look up. */
export function* namedTags(columns: readonly ImportColumn[], rows: readonly CsvRecord[]): Generator<string> {
  const seen = new Set<string>();
  const at = [columns.indexOf('idTag'), columns.indexOf('parentIdTag')].filter((index) => index >= 0);
  for (const row of rows) {
    for (const index of at) {
      const name = (row.fields[index] ?? '').trim();
      if (name === '' || seen.has(name)) continue;
      seen.add(name);
      yield name;
    }
  }
}

/** OCPP 1.6 IdToken: CiString20Type, printable ASCII. */
const ID_TOKEN = /^[\x20-\x7E]{1,20}$/;
/** ISO 8601 date-time with a time zone (RFC 3339 §5.6). */
const DATE_TIME = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

/**
 * Decides what an id tag file does, row by row: which tags it creates, which it changes, and
 * which rows it rejects and why. A rejected row changes nothing. A column the file lacks keeps
 * the stored value (a new tag gets the default: Accepted, no expiry, no parent); an empty field
 * sets the default. A parent must be stored already or be created by an accepted row: a row
 * whose parent is rejected is rejected in turn. Parents may form a cycle, as through the REST
 * API: in OCPP 1.6 a parentIdTag names a group, and nothing follows parent chains.
 * @param stored the stored tags among those the file names.
 */
export function planImport(
  columns: readonly ImportColumn[],
  rows: readonly CsvRecord[],
  stored: ReadonlyMap<string, ImportedTag>,
): ImportPlan {
  return runToEnd(planImportSteps(columns, rows, stored));
}

/**
 * {@link planImport} as steps, in time linear in the file: it yields after each bit of
 * constant-size work, so that a caller can let other work run between slices of a large file.
 */
export function* planImportSteps(
  columns: readonly ImportColumn[],
  rows: readonly CsvRecord[],
  stored: ReadonlyMap<string, ImportedTag>,
): Generator<void, ImportPlan, void> {
  /** Why each rejected row is, by its index among `rows`: reported in file order. */
  const rejections = new Map<number, RejectedRow>();
  const accepted = new Map<string, { index: number; tag: ImportedTag }>();
  for (const [index, row] of rows.entries()) {
    yield;
    const value = (column: ImportColumn) => {
      const at = columns.indexOf(column);
      return at < 0 ? undefined : (row.fields[at] ?? '').trim();
    };
    const idTag = value('idTag') || null;
    const reject = (reason: string) => rejections.set(index, { line: row.line, idTag, reason });
    if (row.fields.length !== columns.length) {
      reject(`expected ${columns.length} fields, found ${row.fields.length}`);
      continue;
    }
    const before = idTag === null ? undefined : stored.get(idTag);
    const read = readRow(value, before);
    if (typeof read === 'string') {
      reject(read);
      continue;
    }
    const first = accepted.get(read.idTag);
    if (first) {
      reject(`idTag ${read.idTag} appears already on line ${rows[first.index]?.line}`);
      continue;
    }
    accepted.set(read.idTag, { index, tag: read });
  }

  // Parents in one pass: the rows whose parent is nowhere are rejected, then, through a map from
  // each parent to the accepted rows naming it, the rows that named a rejected one. Each row is
  // rejected at most once, so long chains cost no more than short ones.
  const children = new Map<string, string[]>();
  const orphans: string[] = [];
  for (const [idTag, { tag }] of accepted) {
    yield;
    const parent = tag.parentIdTag;
    if (parent === null || stored.has(parent)) continue;
    if (!accepted.has(parent)) orphans.push(idTag);
    else {
      const siblings = children.get(parent);
      if (siblings) siblings.push(idTag);
      else children.set(parent, [idTag]);
    }
  }
  for (let orphan = orphans.pop(); orphan !== undefined; orphan = orphans.pop()) {
    yield;
    const entry = accepted.get(orphan);
    if (!entry) continue;
    accepted.delete(orphan);
    const line = rows[entry.index]?.line ?? 0;
    const reason = `parentIdTag ${entry.tag.parentIdTag} is not a known id tag`;
    rejections.set(entry.index, { line, idTag: orphan, reason });
    for (const child of children.get(orphan) ?? []) orphans.push(child);
  }

  const plan: ImportPlan = { create: [], update: [], unchanged: 0, rejected: [] };
  for (const { tag } of accepted.values()) {
    yield;
    const before = stored.get(tag.idTag);
    if (!before) plan.create.push(tag);
    else if (sameTag(before, tag)) plan.unchanged++;
    else plan.update.push(tag);
  }
  for (let index = 0; index < rows.length; index++) {
    yield;
    const rejection = rejections.get(index);
    if (rejection) plan.rejected.push(rejection);
  }
  return plan;
}

/** Runs steps to their end at once. */
export function runToEnd<T>(steps: Iterator<unknown, T>): T {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/** The tag a row sets, or why it cannot. */
function readRow(
  value: (column: ImportColumn) => string | undefined,
  before: ImportedTag | undefined,
): ImportedTag | string {
  const idTag = value('idTag') ?? '';
  if (idTag === '') return 'idTag is empty';
  if (!ID_TOKEN.test(idTag)) return 'idTag must be 1 to 20 printable ASCII characters';

  const statusText = value('status');
  const status =
    statusText === undefined
      ? (before?.status ?? 'Accepted')
      : statusText === ''
        ? 'Accepted'
        : ID_TAG_STATUSES.find((known) => known.toLowerCase() === statusText.toLowerCase());
  if (!status) return `status must be one of ${ID_TAG_STATUSES.join(', ')}`;

  const expiryText = value('expiryDate');
  let expiryDate = expiryText === undefined ? (before?.expiryDate ?? null) : null;
  if (expiryText) {
    const time = Date.parse(expiryText);
    if (!DATE_TIME.test(expiryText) || Number.isNaN(time)) {
      return 'expiryDate must be an ISO 8601 date-time with a time zone, e.g. 2027-01-31T23:59:59Z';
    }
    expiryDate = new Date(time).toISOString();
  }

  const parentText = value('parentIdTag');
  const parentIdTag = parentText === undefined ? (before?.parentIdTag ?? null) : parentText || null;
  if (parentIdTag !== null && !ID_TOKEN.test(parentIdTag)) {
    return 'parentIdTag must be 1 to 20 printable ASCII characters';
  }
  if (parentIdTag === idTag) return 'an id tag cannot be its own parent';
  return { idTag, status, expiryDate, parentIdTag };
}

function sameTag(a: ImportedTag, b: ImportedTag): boolean {
  return a.status === b.status && a.expiryDate === b.expiryDate && a.parentIdTag === b.parentIdTag;
}
