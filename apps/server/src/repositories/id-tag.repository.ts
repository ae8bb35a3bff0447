import { DEFAULT_ID_TOKEN_TYPE, type IdTokenType } from '@cimorings/contracts';
import type { Kysely, Selectable } from 'kysely';
import type { Database, IdTagsTable } from '../db/schema.js';
import type { IdTagRecord, IdTokenRef, IdTokenWithGroup } from '../domain/id-tag.js';
import { firstOf, pageOfQuery, type Page, type PageRequest } from './paging.js';
import { given, flagOf } from './patch.js';

export interface IdTag extends IdTagRecord {
  userId: number | null;
  /** The user who created the tag; `null` when unknown. */
  createdBy: number | null;
  /** The OCPP 2.0.1 IdTokenEnumType sent with the tag to 2.x stations. */
  type: string;
  createdAt: string;
  updatedAt: string;
}

export interface IdTagFields {
  status?: string;
  expiryDate?: string | null;
  parentIdTag?: string | null;
  userId?: number | null;
  allowConcurrent?: boolean;
  type?: IdTokenType;
}

/** Id tags (RFID cards, app tokens). Queries only. */
export class IdTagRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async find(idTag: string): Promise<IdTag | undefined> {
    return firstOf(this.db.selectFrom('id_tags').selectAll().where('id_tag', '=', idTag), toIdTag);
  }

  /**
   * A tag as a station is told about it: with its type and its parent's (the default type for
   * a tag or parent that is not stored, which a station may still know).
   */
  async tokenOf(idTag: string): Promise<IdTokenWithGroup> {
    const row = await this.db
      .selectFrom('id_tags as tag')
      .leftJoin('id_tags as parent', 'parent.id_tag', 'tag.parent_id_tag')
      .select(['tag.type', 'tag.parent_id_tag', 'parent.type as parent_type'])
      .where('tag.id_tag', '=', idTag)
      .executeTakeFirst();
    const parent = row?.parent_id_tag ?? null;
    return {
      idToken: { idTag, type: row?.type ?? DEFAULT_ID_TOKEN_TYPE },
      ...(parent !== null && {
        group: { idTag: parent, type: row?.parent_type ?? DEFAULT_ID_TOKEN_TYPE },
      }),
    };
  }

  /** The stored tags among `idTags`. */
  async findMany(idTags: readonly string[]): Promise<IdTag[]> {
    const found: IdTag[] = [];
    for (const chunk of chunks([...new Set(idTags)], CHUNK)) {
      const rows = await this.db.selectFrom('id_tags').selectAll().where('id_tag', 'in', chunk).execute();
      found.push(...rows.map(toIdTag));
    }
    return found;
  }

  /**
   * Creates or changes many tags in one transaction: status, expiry and parent; a stored tag
   * keeps its user and concurrency, a new one gets neither.
   */
  async upsertMany(
    tags: readonly { idTag: string; status: string; expiryDate: string | null; parentIdTag: string | null }[],
    now: string,
    createdBy: number | null,
  ): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      for (const chunk of chunks(tags, CHUNK)) {
        await trx
          .insertInto('id_tags')
          .values(
            chunk.map((tag) => ({
              id_tag: tag.idTag,
              status: tag.status,
              expiry_date: tag.expiryDate,
              parent_id_tag: tag.parentIdTag,
              user_id: null,
              created_by: createdBy,
              allow_concurrent: 0,
              created_at: now,
              updated_at: now,
            })),
          )
          .onConflict((oc) =>
            oc.column('id_tag').doUpdateSet((eb) => ({
              status: eb.ref('excluded.status'),
              expiry_date: eb.ref('excluded.expiry_date'),
              parent_id_tag: eb.ref('excluded.parent_id_tag'),
              updated_at: eb.ref('excluded.updated_at'),
            })),
          )
          .execute();
        // SQLite runs each statement on the event loop: let others have a turn between chunks.
        await new Promise((resolve) => setImmediate(resolve));
      }
    });
  }

  /** Every tag when `since` is null, else those created or changed at or after `since`. */
  async changedSince(since: string | null): Promise<IdTag[]> {
    let query = this.db.selectFrom('id_tags').selectAll();
    if (since !== null) query = query.where('updated_at', '>=', since);
    return (await query.orderBy('id_tag').execute()).map(toIdTag);
  }

  /** Tags deleted at or after `since` and not created again. */
  async deletedSince(since: string): Promise<IdTokenRef[]> {
    const rows = await this.db
      .selectFrom('id_tag_deletions')
      .select(['id_tag', 'type'])
      .where('deleted_at', '>=', since)
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom('id_tags')
              .select('id_tag')
              .whereRef('id_tags.id_tag', '=', 'id_tag_deletions.id_tag'),
          ),
        ),
      )
      .orderBy('id_tag')
      .execute();
    return rows.map((row) => ({ idTag: row.id_tag, type: row.type }));
  }

  /**
   * @param owners when given, only the tags created by or assigned to one of these users (the
   * reach of a scoped user); `null` for every tag.
   */
  async list(
    page: PageRequest,
    search?: string,
    owners: readonly number[] | null = null,
  ): Promise<Page<IdTag>> {
    let query = this.db.selectFrom('id_tags');
    if (search) query = query.where('id_tag', 'like', `%${search}%`);
    if (owners !== null) {
      const ids = owners.length > 0 ? [...owners] : [0];
      query = query.where((eb) => eb.or([eb('created_by', 'in', ids), eb('user_id', 'in', ids)]));
    }
    return pageOfQuery(query.selectAll().orderBy('id_tag'), page, (rows) => rows.map(toIdTag));
  }

  /** `undefined` when the tag exists already. */
  async create(
    idTag: string,
    fields: IdTagFields,
    now: string,
    createdBy: number | null,
  ): Promise<IdTag | undefined> {
    const row = await this.db
      .insertInto('id_tags')
      .values({
        id_tag: idTag,
        status: fields.status ?? 'Accepted',
        expiry_date: fields.expiryDate ?? null,
        parent_id_tag: fields.parentIdTag ?? null,
        user_id: fields.userId ?? null,
        created_by: createdBy,
        allow_concurrent: fields.allowConcurrent ? 1 : 0,
        ...given({ type: fields.type }),
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
        ...given({
          status: fields.status,
          expiry_date: fields.expiryDate,
          parent_id_tag: fields.parentIdTag,
          user_id: fields.userId,
          allow_concurrent: flagOf(fields.allowConcurrent),
          type: fields.type,
        }),
      })
      .where('id_tag', '=', idTag)
      .returningAll()
      .executeTakeFirst();
    return row && toIdTag(row);
  }

  /** Deletes a tag and remembers when, so that differential local lists drop it too. */
  async delete(idTag: string, now: string): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      const deleted = await trx
        .deleteFrom('id_tags')
        .where('id_tag', '=', idTag)
        .returning('type')
        .executeTakeFirst();
      if (!deleted) return false;
      await trx
        .insertInto('id_tag_deletions')
        .values({ id_tag: idTag, deleted_at: now, type: deleted.type })
        .onConflict((oc) => oc.column('id_tag').doUpdateSet({ deleted_at: now, type: deleted.type }))
        .execute();
      return true;
    });
  }
}

/** Rows per statement: well under the bound parameters SQLite and PostgreSQL allow. */
const CHUNK = 500;

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function toIdTag(row: Selectable<IdTagsTable>): IdTag {
  return {
    idTag: row.id_tag,
    status: row.status,
    expiryDate: row.expiry_date,
    parentIdTag: row.parent_id_tag,
    userId: row.user_id,
    createdBy: row.created_by,
    allowConcurrent: row.allow_concurrent === 1,
    type: row.type,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
