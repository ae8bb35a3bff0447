import { type Clock, isoNow, isoTime } from '../domain/clock.js';
import { csvRecords, type CsvRecord } from '../domain/csv.js';
import {
  namedTags,
  planImportSteps,
  readHeader,
  type ImportColumn,
  type RejectedRow,
} from '../domain/id-tag-import.js';
import { reachesIdTag, reachesUser, type Reacher } from '../domain/reach.js';
import { AppError } from '../errors.js';
import type { IdTag, IdTagFields, IdTagRepository } from '../repositories/id-tag.repository.js';
import type { Page, PageRequest } from '../repositories/paging.js';
import type { UserRepository } from '../repositories/user.repository.js';
import { collectInSlices, runInSlices, SliceClock } from './time-slices.js';

/** Rejected rows listed in an import report; `rejectedCount` counts them all. */
export const REPORTED_REJECTIONS = 1000;

/** What an id tag file did. */
export interface ImportReport {
  created: number;
  updated: number;
  /** Rows that matched the stored tag already. */
  unchanged: number;
  /** The first {@link REPORTED_REJECTIONS} rejected rows, in file order. */
  rejected: RejectedRow[];
  /** How many rows were rejected in all. */
  rejectedCount: number;
}

/**
 * Id tags (RFID cards, app tokens) that Authorize and StartTransaction answer from. A user
 * limited to some stations reads and manages only the tags within its reach (domain/reach.ts);
 * others are answered as if they did not exist.
 */
export class IdTagService {
  constructor(
    private readonly idTags: IdTagRepository,
    private readonly users: UserRepository,
    private readonly clock: Clock,
  ) {}

  async list(actor: Reacher, page: PageRequest, search?: string): Promise<Page<IdTag>> {
    const reachable = await this.reachableUsers(actor);
    return this.idTags.list(page, search, reachable && [...reachable]);
  }

  /** @throws AppError NOT_FOUND, also for a tag beyond the actor's reach. */
  async get(actor: Reacher, idTag: string): Promise<IdTag> {
    const tag = await this.idTags.find(idTag);
    if (!tag || !(await this.reaches(actor, tag))) throw new AppError('NOT_FOUND', `No id tag ${idTag}`);
    return tag;
  }

  async create(actor: Reacher, idTag: string, fields: IdTagFields): Promise<IdTag> {
    await this.checkReferences(actor, idTag, fields);
    const created = await this.idTags.create(idTag, normalize(fields), isoNow(this.clock), actor.id);
    if (!created) throw new AppError('ALREADY_EXISTS', `Id tag ${idTag} already exists`);
    return created;
  }

  async update(actor: Reacher, idTag: string, fields: IdTagFields): Promise<IdTag> {
    await this.get(actor, idTag);
    await this.checkReferences(actor, idTag, fields);
    const updated = await this.idTags.update(idTag, normalize(fields), isoNow(this.clock));
    if (!updated) throw new AppError('NOT_FOUND', `No id tag ${idTag}`);
    return updated;
  }

  async delete(actor: Reacher, idTag: string): Promise<void> {
    await this.get(actor, idTag);
    if (!(await this.idTags.delete(idTag, isoNow(this.clock))))
      throw new AppError('NOT_FOUND', `No id tag ${idTag}`);
  }

  /**
   * Applies an id tag CSV file (header `idTag,status,expiryDate,parentIdTag`, any order, all but
   * idTag optional): valid rows create or change tags, all in one transaction; bad rows change
   * nothing and are reported with their line and the reason.
   * @throws AppError VALIDATION_ERROR when the file itself is unreadable (no header, an unknown
   * column, a quote left open).
   */
  async importCsv(actor: Reacher, text: string): Promise<ImportReport> {
    // A file at the body limit holds hundreds of thousands of rows: every pass over it runs in
    // slices (see time-slices.ts), and the work is linear in its size.
    let records: CsvRecord[];
    let columns: ImportColumn[];
    try {
      records = await collectInSlices(csvRecords(text));
      const [header] = records;
      if (!header) throw new Error('the file is empty: a header row is required');
      columns = readHeader(header);
    } catch (error) {
      throw new AppError('VALIDATION_ERROR', `Unreadable id tag file: ${(error as Error).message}`, {
        fields: ['body'],
      });
    }
    const rows = records.slice(1);
    const names = await collectInSlices(namedTags(columns, rows));
    const found: IdTag[] = [];
    const clock = new SliceClock();
    for (let start = 0; start < names.length; start += LOOKUP_CHUNK) {
      found.push(...(await this.idTags.findMany(names.slice(start, start + LOOKUP_CHUNK))));
      if (clock.due()) await clock.nextSlice();
    }
    // A scoped actor's file may not name tags beyond its reach, as a tag or as a parent.
    const reachable = await this.reachableUsers(actor);
    const beyond = new Set(
      found.filter((tag) => reachable && !reachesIdTag(actor, tag, reachable)).map((tag) => tag.idTag),
    );
    const stored = new Map(found.filter((tag) => !beyond.has(tag.idTag)).map((tag) => [tag.idTag, tag]));
    const { within, refused } = refuseRowsBeyondReach(columns, rows, beyond);
    const plan = await runInSlices(planImportSteps(columns, within, stored));
    await this.idTags.upsertMany([...plan.create, ...plan.update], isoNow(this.clock), actor.id);
    const rejected =
      refused.length > 0 ? [...refused, ...plan.rejected].sort((a, b) => a.line - b.line) : plan.rejected;
    return {
      created: plan.create.length,
      updated: plan.update.length,
      unchanged: plan.unchanged,
      rejected: rejected.slice(0, REPORTED_REJECTIONS),
      rejectedCount: rejected.length,
    };
  }

  /** The ids of the users a scoped actor reaches; `null` for an unscoped actor (everyone). */
  private async reachableUsers(actor: Reacher): Promise<ReadonlySet<number> | null> {
    if (actor.stationScope === null) return null;
    const users = await this.users.all();
    return new Set(users.filter((user) => reachesUser(actor, user)).map((user) => user.id));
  }

  private async reaches(actor: Reacher, tag: IdTag): Promise<boolean> {
    const reachable = await this.reachableUsers(actor);
    return reachable === null || reachesIdTag(actor, tag, reachable);
  }

  /** The parent and the user a tag links to must exist and be within the actor's reach. */
  private async checkReferences(actor: Reacher, idTag: string, fields: IdTagFields): Promise<void> {
    if (fields.parentIdTag === idTag) {
      throw new AppError('VALIDATION_ERROR', 'An id tag cannot be its own parent', {
        fields: ['parentIdTag'],
      });
    }
    const parent = fields.parentIdTag ? await this.idTags.find(fields.parentIdTag) : undefined;
    if (fields.parentIdTag && (!parent || !(await this.reaches(actor, parent)))) {
      throw new AppError('VALIDATION_ERROR', `No id tag ${fields.parentIdTag} to be the parent`, {
        fields: ['parentIdTag'],
      });
    }
    const user = fields.userId ? await this.users.findById(fields.userId) : undefined;
    if (fields.userId && (!user || !reachesUser(actor, user))) {
      throw new AppError('VALIDATION_ERROR', `No user ${fields.userId}`, { fields: ['userId'] });
    }
  }
}

/**
 * Rows of an id tag file that name, as the tag or its parent, a stored tag beyond the actor's
 * reach: refused before planning, so that they neither change nor take over such a tag.
 */
function refuseRowsBeyondReach(
  columns: readonly ImportColumn[],
  rows: readonly CsvRecord[],
  beyond: ReadonlySet<string>,
): { within: CsvRecord[]; refused: RejectedRow[] } {
  if (beyond.size === 0) return { within: [...rows], refused: [] };
  const field = (row: CsvRecord, column: ImportColumn) => {
    const index = columns.indexOf(column);
    return index < 0 ? '' : (row.fields[index] ?? '').trim();
  };
  const within: CsvRecord[] = [];
  const refused: RejectedRow[] = [];
  for (const row of rows) {
    const idTag = field(row, 'idTag');
    const parent = field(row, 'parentIdTag');
    if (beyond.has(idTag))
      refused.push({ line: row.line, idTag, reason: `id tag ${idTag} is outside your scope` });
    else if (beyond.has(parent)) {
      refused.push({
        line: row.line,
        idTag: idTag || null,
        reason: `parentIdTag ${parent} is not a known id tag`,
      });
    } else within.push(row);
  }
  return { within, refused };
}

/** Stores expiry dates in the one time spelling. */
function normalize(fields: IdTagFields): IdTagFields {
  return fields.expiryDate ? { ...fields, expiryDate: isoTime(new Date(fields.expiryDate)) } : fields;
}

/** Tags looked up per query while importing. */
const LOOKUP_CHUNK = 500;
