import type { EventBus } from '../cluster/event-bus.js';
import { type Clock, isoNow } from '../domain/clock.js';
import { incompletePosition, type Site } from '../domain/site.js';
import { isTimeZone, scheduleProblems } from '../domain/site-limit.js';
import type { Actor } from '../domain/user.js';
import { AppError } from '../errors.js';
import type { Page, PageRequest } from '../repositories/paging.js';
import type { SiteFields, SiteRepository, SiteVisibility } from '../repositories/site.repository.js';

/**
 * Sites group stations. Everyone sees the sites granted to them and the sites of the stations
 * they see; a scoped user may change only the sites granted to them, and only users who see
 * every station create or delete sites (a new site would be outside any scope, and deleting
 * one would change the scope of the users granted it).
 */
export class SiteService {
  constructor(
    private readonly sites: SiteRepository,
    private readonly events: EventBus,
    private readonly clock: Clock,
  ) {}

  list(actor: Actor, page: PageRequest, search?: string): Promise<Page<Site>> {
    return this.sites.list(page, visibility(actor), search);
  }

  /** @throws AppError NOT_FOUND for an unknown site and for one the caller does not see. */
  async get(actor: Actor, id: number): Promise<Site> {
    const site = (await this.sites.isVisible(id, visibility(actor))) ? await this.sites.find(id) : undefined;
    if (!site) throw new AppError('NOT_FOUND', `No site ${id}`);
    return site;
  }

  async create(actor: Actor, fields: SiteFields & { name: string }): Promise<Site> {
    requireUnscoped(actor, 'create sites');
    checkPosition(fields.latitude ?? null, fields.longitude ?? null);
    checkLimit(fields);
    const site = await this.sites.create(fields, isoNow(this.clock));
    this.events.publish({ type: 'SiteLimitChanged', siteId: site.id });
    return site;
  }

  async update(actor: Actor, id: number, fields: SiteFields): Promise<Site> {
    const site = await this.get(actor, id);
    if (actor.stationScope !== null && !(actor.allowedSites ?? []).includes(id)) {
      throw new AppError('PERMISSION_REQUIRED', `Site ${id} is not one of your sites`);
    }
    checkPosition(
      fields.latitude === undefined ? site.latitude : fields.latitude,
      fields.longitude === undefined ? site.longitude : fields.longitude,
    );
    checkLimit(fields);
    const updated = await this.sites.update(id, fields, isoNow(this.clock));
    if (!updated) throw new AppError('NOT_FOUND', `No site ${id}`);
    this.events.publish({ type: 'SiteLimitChanged', siteId: id });
    return updated;
  }

  /** @throws AppError CONFLICT while stations are at the site: move or delete them first. */
  async delete(actor: Actor, id: number): Promise<void> {
    await this.get(actor, id);
    requireUnscoped(actor, 'delete sites');
    const stations = await this.sites.stationCount(id);
    if (stations > 0) {
      throw new AppError('CONFLICT', `Site ${id} still has ${stations} station(s)`, { stations });
    }
    if (!(await this.sites.delete(id))) throw new AppError('NOT_FOUND', `No site ${id}`);
  }
}

function visibility(actor: Actor): SiteVisibility {
  return { scope: actor.stationScope, sites: actor.allowedSites ?? [] };
}

function requireUnscoped(actor: Actor, what: string): void {
  if (actor.stationScope !== null) {
    throw new AppError('PERMISSION_REQUIRED', `Only users who see every station ${what}`);
  }
}

function checkPosition(latitude: number | null, longitude: number | null): void {
  const fields = incompletePosition(latitude, longitude);
  if (fields.length > 0) {
    throw new AppError('VALIDATION_ERROR', 'A position needs both latitude and longitude', { fields });
  }
}

/** The time zone and the schedule's windows (HH:MM, no overlap); the schema checked the rest. */
function checkLimit(fields: SiteFields): void {
  if (fields.timeZone !== undefined && !isTimeZone(fields.timeZone)) {
    throw new AppError('VALIDATION_ERROR', `${fields.timeZone} is not an IANA time zone`, {
      fields: ['timeZone'],
    });
  }
  const problems = scheduleProblems(fields.limitSchedule ?? []);
  if (problems.length > 0) {
    throw new AppError('VALIDATION_ERROR', problems.join('; '), { fields: ['limitSchedule'] });
  }
}
