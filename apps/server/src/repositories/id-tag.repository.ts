import type { Kysely, Selectable } from 'kysely';
import type { Database, IdTagsTable } from '../db/schema.js';
import type { IdTagRecord } from '../domain/id-tag.js';
import { countOf, type Page, type PageRequest } from './paging.js';

export interface IdTag extends IdTagRecord {
  userId: number | null;
  createdAt: string;
  updatedAt: string;
}

export interface IdTagFields {
  status?: string;
  expiryDate?: string | null;
  parentIdTag?: string | null;
  userId?: number | null;
  allowConcurrent?: boolean;
}

/** Id tags (RFID cards, app tokens). Queries only. */
export class IdTagRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async find(idTag: string): Promise<IdTag | undefined> {
    const row = await this.db
      .selectFrom('id_tags')
      .selectAll()
      .where('id_tag', '=', idTag)
      .executeTakeFirst();
    return row && toIdTag(row);
  }

  async list(page: PageRequest, search?: string): Promise<Page<IdTag>> {
    let query = this.db.selectFrom('id_tags');
    if (search) query = query.where('id_tag', 'like', `%${search}%`);
    const rows = await query.selectAll().orderBy('id_tag').limit(page.limit).offset(page.offset).execute();
    return { items: rows.map(toIdTag), total: await countOf(query) };
  }

  /** `undefined` when the tag exists already. */
  async create(idTag: string, fields: IdTagFields, now: string): Promise<IdTag | undefined> {
    const row = await this.db
      .insertInto('id_tags')
      .values({
        id_tag: idTag,
        status: fields.status ?? 'Accepted',
        expiry_date: fields.expiryDate ?? null,
        parent_id_tag: fields.parentIdTag ?? null,
        user_id: fields.userId ?? null,
        allow_concurrent: fields.allowConcurrent ? 1 : 0,
        created_at: now,
        updated_at: now,
      })
      .onConflict((oc) => oc.column('id_tag').doNothing())
      .returningAll()
      .executeTakeFirst();
    return row && toIdTag(row);
  }

  async update(idTag: string, fields: IdTagFields, now: string): Promise<IdTag | undefined> {
    const row = await this.db
      .updateTable('id_tags')
      .set({
        updated_at: now,
        ...(fields.status !== undefined && { status: fields.status }),
        ...(fields.expiryDate !== undefined && { expiry_date: fields.expiryDate }),
        ...(fields.parentIdTag !== undefined && { parent_id_tag: fields.parentIdTag }),
        ...(fields.userId !== undefined && { user_id: fields.userId }),
        ...(fields.allowConcurrent !== undefined && { allow_concurrent: fields.allowConcurrent ? 1 : 0 }),
      })
      .where('id_tag', '=', idTag)
      .returningAll()
      .executeTakeFirst();
    return row && toIdTag(row);
  }

  async delete(idTag: string): Promise<boolean> {
    const result = await this.db.deleteFrom('id_tags').where('id_tag', '=', idTag).executeTakeFirst();
    return result.numDeletedRows > 0n;
  }
}

function toIdTag(row: Selectable<IdTagsTable>): IdTag {
  return {
    idTag: row.id_tag,
    status: row.status,
    expiryDate: row.expiry_date,
    parentIdTag: row.parent_id_tag,
    userId: row.user_id,
    allowConcurrent: row.allow_concurrent === 1,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
