import { scopeWithin, sitesWithin, type User } from './user.js';

/**
 * What a user limited to some stations (a scoped user) may see and manage beyond stations:
 * other users and id tags. Unscoped users reach everything.
 *
 * - Users: a scoped user reaches itself and the users whose station scope lies within its own
 *   (their stations and sites are a subset of its stations and sites), so a site manager sees
 *   the staff of its sites and nobody with wider or other rights.
 * - Id tags: a scoped user reaches the tags created by a user it reaches (itself included) and
 *   the tags assigned (`userId`) to a user it reaches: the tags of its sites' people. Tags
 *   created by an unscoped user (or before creators were recorded) and not assigned to anyone
 *   it reaches are network-wide cards, which only unscoped users manage.
 */
export type Reacher = Pick<User, 'id' | 'stationScope' | 'allowedSites'>;

export function reachesUser(
  actor: Reacher,
  target: Pick<User, 'id' | 'stationScope' | 'allowedSites'>,
): boolean {
  if (actor.stationScope === null || actor.id === target.id) return true;
  return (
    scopeWithin(target.stationScope, actor.stationScope) &&
    sitesWithin(target.allowedSites, actor.allowedSites)
  );
}

/** Who an id tag belongs to, as far as reach is concerned. */
export interface TagOwnership {
  /** The user who created the tag; `null` when unknown (created before this was recorded, or that user is gone). */
  createdBy: number | null;
  /** The user the tag is assigned to. */
  userId: number | null;
}

/**
 * @param reachable the ids of the users `actor` reaches (see `reachesUser`); ignored for an
 * unscoped actor.
 */
export function reachesIdTag(actor: Reacher, tag: TagOwnership, reachable: ReadonlySet<number>): boolean {
  if (actor.stationScope === null) return true;
  return (
    (tag.createdBy !== null && reachable.has(tag.createdBy)) ||
    (tag.userId !== null && reachable.has(tag.userId))
  );
}
