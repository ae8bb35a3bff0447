import type { Kysely, Selectable } from 'kysely';
import type { Database, SitesTable } from '../db/schema.js';
import type { Site } from '../domain/site.js';
import type { SiteLimit } from '../domain/site-limit.js';
import { countOf, firstOf, hasRow, pageOfQuery, type Page, type PageRequest } from './paging.js';
import type { StationScope } from './station.repository.js';
import { given } from './patch.js';

type Db = Kysely<Database>;

export interface SiteFields extends Partial<SiteLimit> {
  name?: string;
  address?: string | null;
  latitude?: number | null;
  longitude?: number | null;
}

/**
 * Which sites a caller sees: all when `scope` is null; else the sites granted to them and the
 * sites of the stations they see.
 */
export interface SiteVisibility {
  scope: StationScope;
  sites: readonly number[];
}

/** Sites that group stations. Queries only. */
export class SiteRepository {
  constructor(private readonly db: Db) {}

  async find(id: number): Promise<Site | undefined> {
    return firstOf(this.db.selectFrom('sites').selectAll().where('id', '=', id), toSite);
  }

  async list(page: PageRequest, visibility: SiteVisibility, search?: string): Promise<Page<Site>> {
    let query = this.db.selectFrom('sites');
    const { scope, sites } = visibility;
    if (scope !== null) {
      query = query.where((eb) =>
        eb.or([
          ...(sites.length > 0 ? [eb('id', 'in', [...sites])] : []),
          ...(scope.length > 0
            ? [
                eb(
                  'id',
                  'in',
                  eb
                    .selectFrom('stations')
                    .select('site_id')
                    .where('charge_point_id', 'in', [...scope])
                    .where('site_id', 'is not', null),
                ),
              ]
            : []),
        ]),
      );
    }
    if (search)
      query = query.where((eb) => eb(eb.fn('lower', ['name']), 'like', `%${search.toLowerCase()}%`));
    return pageOfQuery(query.selectAll().orderBy('name').orderBy('id'), page, (rows) => rows.map(toSite));
  }

  /** Whether a site is one the caller sees (see SiteVisibility). */
  async isVisible(id: number, visibility: SiteVisibility): Promise<boolean> {
    if (visibility.scope === null || visibility.sites.includes(id)) return true;
    if (visibility.scope.length === 0) return false;
    return hasRow(
      this.db
        .selectFrom('stations')
        .select('id')
        .where('site_id', '=', id)
        .where('charge_point_id', 'in', [...visibility.scope]),
    );
  }

  /** Those of `ids` that are sites. */
  async existing(ids: readonly number[]): Promise<number[]> {
    if (ids.length === 0) return [];
    const rows = await this.db
      .selectFrom('sites')
      .select('id')
      .where('id', 'in', [...ids])
      .execute();
    return rows.map((row) => row.id);
  }

  async create(fields: SiteFields & { name: string }, now: string): Promise<Site> {
    const row = await this.db
      .insertInto('sites')
      .values({
        name: fields.name,
        address: fields.address ?? null,
        latitude: fields.latitude ?? null,
        longitude: fields.longitude ?? null,
        ...limitColumns(fields),
        created_at: now,
        updated_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toSite(row);
  }

  async update(id: number, fields: SiteFields, now: string): Promise<Site | undefined> {
    const row = await this.db
      .updateTable('sites')
      .set({
        updated_at: now,
        ...given({
          name: fields.name,
          address: fields.address,
          latitude: fields.latitude,
          longitude: fields.longitude,
        }),
        ...limitColumns(fields),
      })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst();
    return row && toSite(row);
  }

  async delete(id: number): Promise<boolean> {
    const result = await this.db.deleteFrom('sites').where('id', '=', id).executeTakeFirst();
    return result.numDeletedRows > 0n;
  }

  /** Stations at the site, whoever may see them. */
  async stationCount(id: number): Promise<number> {
    return countOf(this.db.selectFrom('stations').where('site_id', '=', id));
  }
}

function toSite(row: Selectable<SitesTable>): Site {
  return {
    id: row.id,
    name: row.name,
    address: row.address,
    latitude: row.latitude,
    longitude: row.longitude,
    timeZone: row.time_zone,
    maxPowerKw: row.max_power_kw,
    maxCurrentA: row.max_current_a,
    phases: row.phases,
    voltage: row.voltage,
    minCurrentA: row.min_current_a,
    limitSchedule:
      row.limit_schedule === null ? null : (JSON.parse(row.limit_schedule) as SiteLimit['limitSchedule']),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** The limit fields given, as columns; absent fields are left out. */
function limitColumns(fields: Partial<SiteLimit>) {
  const schedule = fields.limitSchedule;
  return given({
    time_zone: fields.timeZone,
    max_power_kw: fields.maxPowerKw,
    max_current_a: fields.maxCurrentA,
    phases: fields.phases,
    voltage: fields.voltage,
    min_current_a: fields.minCurrentA,
    limit_schedule: schedule === undefined || schedule === null ? schedule : JSON.stringify(schedule),
  });
}
