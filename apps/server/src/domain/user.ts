import { hasPermission, SUPER_PERMISSION, type Permission } from '@cimorings/contracts';

/** A user as the services see it: roles resolved to names, grants to permission names. */
export interface User {
  id: number;
  username: string;
  active: boolean;
  roles: string[];
  permissions: string[];
  /** `null`: every station; a list: only these charge point ids. */
  allowedStations: string[] | null;
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
export type Actor = Pick<User, 'id' | 'permissions' | 'allowedStations'>;

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
