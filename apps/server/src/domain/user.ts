import { hasPermission, SUPER_PERMISSION, type Permission } from '@cimorings/contracts';

/** A user as the services see it: roles resolved to names, grants to permission names. */
export interface User {
  id: number;
  username: string;
  active: boolean;
  roles: string[];
  permissions: string[];
  /**
   * The stations the user is limited to by name, as granted. `null` (with `allowedSites` null
   * too): every station.
   */
  allowedStations: string[] | null;
  /** The sites whose stations the user is limited to, as granted; `null` when not limited. */
  allowedSites: number[] | null;
  /**
   * The stations the user may see, resolved when the user is loaded: `null` for every station,
   * else `allowedStations` plus the stations now at `allowedSites`. Every scope check reads this.
   */
  stationScope: string[] | null;
  /** Part of every token; raised to make older tokens invalid. */
  tokenVersion: number;
  createdAt: string;
  updatedAt: string;
}

export interface Role {
  id: number;
  name: string;
  description: string;
  builtIn: boolean;
  permissions: string[];
}

/** The one who asks for something, as the access rules need them. */
export type Actor = Pick<User, 'id' | 'permissions' | 'allowedStations' | 'allowedSites' | 'stationScope'>;

/** What a user's station scope is granted as: `null` for every station. */
export type ScopeGrant = { stations: string[]; sites: number[] } | null;

export function can(actor: Pick<User, 'permissions'>, permission: Permission): boolean {
  return hasPermission(actor.permissions, permission);
}

/**
 * True when `actor` holds every permission of `wanted`, so granting them raises nobody above
 * the one who grants. `system.admin` holders hold everything.
 */
export function holdsAll(actor: Pick<User, 'permissions'>, wanted: readonly string[]): boolean {
  if (actor.permissions.includes(SUPER_PERMISSION)) return true;
  return wanted.every((permission) => actor.permissions.includes(permission));
}

/**
 * True when a station scope `inner` is within `outer` (`null` is every station), so that a
 * scoped manager cannot hand out stations they cannot see themselves.
 */
export function scopeWithin(inner: readonly string[] | null, outer: readonly string[] | null): boolean {
  if (outer === null) return true;
  if (inner === null) return false;
  return inner.every((station) => outer.includes(station));
}

/** True when a user with this scope may see the station `chargePointId`. */
export function canSeeStation(scope: readonly string[] | null, chargePointId: string): boolean {
  return scope === null || scope.includes(chargePointId);
}

/** True when every site of `inner` is in `outer` (`null` is not limited by site: every site). */
export function sitesWithin(inner: readonly number[] | null, outer: readonly number[] | null): boolean {
  if (outer === null) return true;
  if (inner === null) return false;
  return inner.every((site) => outer.includes(site));
}

/**
 * The scope a user gets from the two lists of a request: every station when both are `null`,
 * else the union of both, a `null` list counting as empty (the user is limited by the other).
 */
export function scopeGrant(stations: string[] | null, sites: number[] | null): ScopeGrant {
  if (stations === null && sites === null) return null;
  return { stations: stations ?? [], sites: sites ?? [] };
}

/**
 * True when a station with this id and site would be within the actor's scope: how writes that
 * place a station (create it, move it to another site) are checked, before the station exists
 * there. Unscoped actors may place any station anywhere.
 */
export function mayPlaceStation(
  actor: Pick<User, 'stationScope' | 'allowedStations' | 'allowedSites'>,
  station: { chargePointId: string; siteId: number | null },
): boolean {
  if (actor.stationScope === null) return true;
  return (
    (actor.allowedStations ?? []).includes(station.chargePointId) ||
    (station.siteId !== null && (actor.allowedSites ?? []).includes(station.siteId))
  );
}
