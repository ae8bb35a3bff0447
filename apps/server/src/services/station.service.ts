import { randomBytes } from 'node:crypto';
import type { StationLinks } from '../cluster/command-router.js';
import type { EventBus } from '../cluster/event-bus.js';
import { type Clock, isoNow } from '../domain/clock.js';
import {
  defaultSecurityProfile,
  profilePasswordProblem,
  type SecurityProfile,
} from '../domain/security-profile.js';
import type { Registration, Station } from '../domain/station.js';
import { canSeeStation, mayPlaceStation, type Actor } from '../domain/user.js';
import { AppError } from '../errors.js';
import type { Page, PageRequest } from '../repositories/paging.js';
import type { StationRepository } from '../repositories/station.repository.js';
import type { PasswordHasher } from './password-hasher.js';
import type { SecurityProfileRaise } from './security-profile-raise.js';

export interface CreateStationInput {
  chargePointId: string;
  name: string;
  siteId?: number | null;
  /** kW per connector; absent or null: the highest measured, 22 kW while none is. */
  maxPowerKw?: number | null;
  location?: string | null;
  /**
   * The Basic auth password the charger must present. Absent: a strong one is generated (a
   * station without a password can be impersonated by anyone who knows its id); `null`: none,
   * an explicit opt-out.
   */
  ocppPassword?: string | null;
  /** Absent: 1 when the station has a password, else 0. */
  securityProfile?: SecurityProfile;
}

/** A new station, with the password generated for it: shown once, stored only as a hash. */
export interface CreatedStation {
  station: Station;
  /** The generated password; `null` when the caller gave one or opted out. */
  generatedOcppPassword: string | null;
}

/**
 * 24 random bytes as base64url: 32 characters of [A-Za-z0-9_-], within the 16 to 40 characters
 * the OCPP 1.6 security whitepaper allows an AuthorizationKey (so it can be set on the charger
 * with ChangeConfiguration too) and free of the `:` that Basic auth cannot carry.
 */
export function generateOcppPassword(): string {
  return randomBytes(24).toString('base64url');
}

export interface UpdateStationInput {
  name?: string;
  /** Moves the station to a site, or out of any with `null`. */
  siteId?: number | null;
  maxPowerKw?: number | null;
  location?: string | null;
  /** A new password, or `null` to stop asking for one. */
  ocppPassword?: string | null;
  /**
   * Absent: kept, except that a station at profile 0 or 1 follows its password (1 with one,
   * 0 without), as it did before profiles existed.
   */
  securityProfile?: SecurityProfile;
}

export interface StationFilter {
  registration?: Registration;
  status?: string;
  search?: string;
  siteId?: number;
}

/** What the StationService does to a station's live connection, on whichever node holds it. */
export interface StationConnectionControl {
  /** Where a deleted station's connection is found, to be closed. */
  links: StationLinks;
  /** A connected station's profile is raised only once it accepted the new one. */
  profiles: SecurityProfileRaise;
}

/** Stations as operators manage them, always within the caller's station scope. */
export class StationService {
  private readonly links: StationLinks;
  private readonly profiles: SecurityProfileRaise;

  constructor(
    private readonly stations: StationRepository,
    private readonly hasher: PasswordHasher,
    connections: StationConnectionControl,
    private readonly events: EventBus,
    private readonly clock: Clock,
  ) {
    this.links = connections.links;
    this.profiles = connections.profiles;
  }

  list(actor: Actor, page: PageRequest, filter: StationFilter): Promise<Page<Station>> {
    return this.stations.list(page, { scope: actor.stationScope, ...filter });
  }

  /** @throws AppError NOT_FOUND for an unknown station and for one outside the caller's scope. */
  async get(actor: Actor, chargePointId: string): Promise<Station> {
    const station = canSeeStation(actor.stationScope, chargePointId)
      ? await this.stations.find(chargePointId)
      : undefined;
    if (!station) throw new AppError('NOT_FOUND', `No station ${chargePointId}`);
    return station;
  }

  async create(actor: Actor, input: CreateStationInput): Promise<CreatedStation> {
    const siteId = input.siteId ?? null;
    await this.checkPlacement(actor, input.chargePointId, siteId, null);
    const generatedOcppPassword = input.ocppPassword === undefined ? generateOcppPassword() : null;
    const password = generatedOcppPassword ?? input.ocppPassword;
    const securityProfile = input.securityProfile ?? defaultSecurityProfile(Boolean(password));
    checkProfile(securityProfile, Boolean(password));
    const station = await this.stations.create({
      chargePointId: input.chargePointId,
      name: input.name,
      siteId,
      maxPowerKw: input.maxPowerKw ?? null,
      location: input.location ?? null,
      ocppPasswordHash: password ? await this.hasher.hash(password) : null,
      securityProfile,
      registration: 'accepted',
      now: isoNow(this.clock),
    });
    if (!station) throw new AppError('ALREADY_EXISTS', `Station ${input.chargePointId} already exists`);
    if (siteId !== null) this.siteScopesChanged();
    return { station, generatedOcppPassword };
  }

  /**
   * Users limited by site see the stations now at their sites: a station placed at or moved
   * out of a site changes what their open real-time connections may receive.
   */
  private siteScopesChanged(): void {
    this.events.publish({ type: 'AccessChanged', userId: null });
  }

  /**
   * Raising the profile of a connected station asks it first (SecurityProfileRaise): it is stored
   * once the station accepted, and nothing of the request is stored when it did not.
   * @throws AppError as SecurityProfileRaise.ask, VALIDATION_ERROR, NOT_FOUND, STATION_FORBIDDEN.
   */
  async update(actor: Actor, chargePointId: string, input: UpdateStationInput): Promise<Station> {
    const current = await this.get(actor, chargePointId);
    if (input.siteId !== undefined && input.siteId !== current.siteId) {
      await this.checkPlacement(actor, chargePointId, input.siteId, current.siteId);
    }
    const hasPassword =
      input.ocppPassword === undefined ? current.hasOcppPassword : input.ocppPassword !== null;
    const securityProfile =
      input.securityProfile ??
      (current.securityProfile <= 1 ? defaultSecurityProfile(hasPassword) : current.securityProfile);
    checkProfile(securityProfile, hasPassword);
    const raising = input.securityProfile !== undefined && this.profiles.needed(current, securityProfile);
    if (raising) await this.profiles.ask(actor, current, securityProfile, input.ocppPassword !== undefined);
    const updated = await this.stations
      .update(chargePointId, {
        // Written only when asked for or when it follows the password: what was read may be stale
        // by now (a raise stored meanwhile), and writing it back would undo that.
        ...((input.securityProfile !== undefined || securityProfile !== current.securityProfile) && {
          securityProfile,
        }),
        // A profile set ends any transition: after a raise the pending profile is the stored one,
        // and one the operator sets replaces whatever an earlier, unstored raise left pending.
        ...(input.securityProfile !== undefined && { pendingSecurityProfile: null }),
        ...(input.name !== undefined && { name: input.name }),
        ...(input.siteId !== undefined && { siteId: input.siteId }),
        ...(input.maxPowerKw !== undefined && { maxPowerKw: input.maxPowerKw }),
        ...(input.location !== undefined && { location: input.location }),
        ...(input.ocppPassword !== undefined && {
          ocppPasswordHash: input.ocppPassword === null ? null : await this.hasher.hash(input.ocppPassword),
        }),
        now: isoNow(this.clock),
      })
      .catch((error: unknown) => {
        throw raising ? this.profiles.unstored(current, securityProfile, error) : error;
      });
    if (!updated) throw new AppError('NOT_FOUND', `No station ${chargePointId}`);
    if (input.siteId !== undefined && input.siteId !== current.siteId) this.siteScopesChanged();
    if (raising) void this.profiles.reconnect(actor, current);
    return updated;
  }

  /** Deletes a station and closes its connection; refused while a transaction runs there. */
  async delete(actor: Actor, chargePointId: string): Promise<void> {
    await this.get(actor, chargePointId);
    const active = await this.stations.countActiveTransactions(chargePointId);
    if (active > 0) {
      throw new AppError('CONFLICT', `Station ${chargePointId} has an active transaction`, {
        activeTransactions: active,
      });
    }
    if (!(await this.stations.delete(chargePointId)))
      throw new AppError('NOT_FOUND', `No station ${chargePointId}`);
    await this.links.presence.get(chargePointId)?.close(4002, 'Station deleted', true);
  }

  /** Accepts a pending station (StationApprovalService also asks it to boot again). */
  async approve(actor: Actor, chargePointId: string): Promise<Station> {
    await this.get(actor, chargePointId);
    const station = await this.stations.update(chargePointId, {
      registration: 'accepted',
      now: isoNow(this.clock),
    });
    if (!station) throw new AppError('NOT_FOUND', `No station ${chargePointId}`);
    return station;
  }

  /**
   * Stores a new OCPP password, after the charge point accepted it as its AuthorizationKey; a
   * station at profile 0 moves to 1, since it now has a password to present.
   */
  async storeAuthorizationKey(chargePointId: string, key: string): Promise<void> {
    const current = await this.stations.findCredentials(chargePointId);
    await this.stations.update(chargePointId, {
      ...(current?.securityProfile === 0 && { securityProfile: 1 }),
      ocppPasswordHash: await this.hasher.hash(key),
      now: isoNow(this.clock),
    });
  }

  /**
   * A station goes only to a site that exists, and a scoped actor may place it only where it
   * stays within their own scope (listed by id, or at one of their sites). A scoped actor moves
   * a station only between its own sites (or none): a station listed for it by id may still not
   * be pushed into, or pulled out of, a site of someone else; a site beyond it is refused
   * before its existence is checked, so that its ids cannot be probed.
   */
  private async checkPlacement(
    actor: Actor,
    chargePointId: string,
    siteId: number | null,
    fromSiteId: number | null,
  ): Promise<void> {
    const ownSites = actor.allowedSites ?? [];
    const foreign = (id: number | null) => id !== null && !ownSites.includes(id);
    if (actor.stationScope !== null && (foreign(siteId) || foreign(fromSiteId))) {
      throw new AppError(
        'STATION_FORBIDDEN',
        `Station ${chargePointId} may only move between your own sites`,
      );
    }
    if (siteId !== null && !(await this.stations.siteExists(siteId))) {
      throw new AppError('VALIDATION_ERROR', `No site ${siteId}`, { fields: ['siteId'] });
    }
    if (!mayPlaceStation(actor, { chargePointId, siteId })) {
      throw new AppError('STATION_FORBIDDEN', `Station ${chargePointId} would be outside your station scope`);
    }
  }
}

/** @throws AppError VALIDATION_ERROR for a profile without the password it needs, or 0 with one. */
function checkProfile(profile: SecurityProfile, hasPassword: boolean): void {
  const problem = profilePasswordProblem(profile, hasPassword);
  if (problem !== null) throw new AppError('VALIDATION_ERROR', problem, { fields: ['securityProfile'] });
}
