import { isoTime, type Clock } from '../domain/clock.js';
import { csvRecords, type CsvRecord } from '../domain/csv.js';
import {
  namedTags,
  planImportSteps,
  readHeader,
  type ImportColumn,
  type RejectedRow,
} from '../domain/id-tag-import.js';
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

/** Id tags (RFID cards, app tokens) that Authorize and StartTransaction answer from. */
export class IdTagService {
  constructor(
    private readonly idTags: IdTagRepository,
    private readonly users: UserRepository,
    private readonly clock: Clock,
  ) {}

  list(page: PageRequest, search?: string): Promise<Page<IdTag>> {
    return this.idTags.list(page, search);
  }

  async get(idTag: string): Promise<IdTag> {
    const tag = await this.idTags.find(idTag);
    if (!tag) throw new AppError('NOT_FOUND', `No id tag ${idTag}`);
    return tag;
  }

  async create(idTag: string, fields: IdTagFields): Promise<IdTag> {
    await this.checkReferences(idTag, fields);
    const created = await this.idTags.create(idTag, normalize(fields), this.now());
    if (!created) throw new AppError('ALREADY_EXISTS', `Id tag ${idTag} already exists`);
    return created;
  }

  async update(idTag: string, fields: IdTagFields): Promise<IdTag> {
    await this.get(idTag);
    await this.checkReferences(idTag, fields);
    const updated = await this.idTags.update(idTag, normalize(fields), this.now());
    if (!updated) throw new AppError('NOT_FOUND', `No id tag ${idTag}`);
    return updated;
  }

  async delete(idTag: string): Promise<void> {
    if (!(await this.idTags.delete(idTag, this.now()))) throw new AppError('NOT_FOUND', `No id tag ${idTag}`);
  }

  /**
   * Applies an id tag CSV file (header `idTag,status,expiryDate,parentIdTag`, any order, all but
   * idTag optional): valid rows create or change tags, all in one transaction; bad rows change
   * nothing and are reported with their line and the reason.
   * @throws AppError VALIDATION_ERROR when the file itself is unreadable (no header, an unknown
   * column, a quote left open).
   */
  async importCsv(text: string): Promise<ImportReport> {
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
    const stored = new Map<string, IdTag>();
    const clock = new SliceClock();
    for (let start = 0; start < names.length; start += LOOKUP_CHUNK) {
      for (const tag of await this.idTags.findMany(names.slice(start, start + LOOKUP_CHUNK))) {
        stored.set(tag.idTag, tag);
      }
      if (clock.due()) await clock.nextSlice();
    }
    const plan = await runInSlices(planImportSteps(columns, rows, stored));
    await this.idTags.upsertMany([...plan.create, ...plan.update], this.now());
    return {
      created: plan.create.length,
      updated: plan.update.length,
      unchanged: plan.unchanged,
      rejected: plan.rejected.slice(0, REPORTED_REJECTIONS),
      rejectedCount: plan.rejected.length,
    };
  }

  private async checkReferences(idTag: string, fields: IdTagFields): Promise<void> {
    if (fields.parentIdTag === idTag) {
      throw new AppError('VALIDATION_ERROR', 'An id tag cannot be its own parent', {
        fields: ['parentIdTag'],
      });
    }
    if (fields.parentIdTag && !(await this.idTags.find(fields.parentIdTag))) {
      throw new AppError('VALIDATION_ERROR', `No id tag ${fields.parentIdTag} to be the parent`, {
        fields: ['parentIdTag'],
      });
    }
    if (
      fields.userId !== undefined &&
      fields.userId !== null &&
      !(await this.users.findById(fields.userId))
    ) {
      throw new AppError('VALIDATION_ERROR', `No user ${fields.userId}`, { fields: ['userId'] });
    }
  }

  private now(): string {
    return isoTime(this.clock.now());
  }
}

/** Stores expiry dates in the one time spelling. */
function normalize(fields: IdTagFields): IdTagFields {
  return fields.expiryDate ? { ...fields, expiryDate: isoTime(new Date(fields.expiryDate)) } : fields;
}

/** Tags looked up per query while importing. */
const LOOKUP_CHUNK = 500;
