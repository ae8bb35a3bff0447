import { SUPER_PERMISSION } from '@cimorings/contracts';
import type { EventBus } from '../cluster/event-bus.js';
import type { Clock } from '../domain/clock.js';
import { isoNow } from '../domain/clock.js';
import {
  holdsAll,
  scopeGrant,
  scopeWithin,
  sitesWithin,
  type Actor,
  type ScopeGrant,
  type User,
} from '../domain/user.js';
import { reachesUser, type Reacher } from '../domain/reach.js';
import { AppError } from '../errors.js';
import type { Page, PageRequest } from '../repositories/paging.js';
import type { RoleRepository } from '../repositories/role.repository.js';
import type { SiteRepository } from '../repositories/site.repository.js';
import type { UserRepository } from '../repositories/user.repository.js';
import { lastAdminKept } from './last-admin.js';
import type { PasswordHasher } from './password-hasher.js';

export interface CreateUserInput {
  username: string;
  password: string;
  roles: string[];
  allowedStations?: string[] | null;
  allowedSites?: number[] | null;
  active?: boolean;
}

export interface UpdateUserInput {
  password?: string;
  roles?: string[];
  allowedStations?: string[] | null;
  allowedSites?: number[] | null;
  active?: boolean;
}

/** What a user's grant may name, looked up to check it: roles by name, sites by id. */
export interface GrantTargets {
  roles: RoleRepository;
  sites: SiteRepository;
}

/**
 * Users and the rules around them: nobody grants what they do not hold, nobody changes their
 * own rights, and the last active administrator stays.
 *
 * A user's station scope is granted as two lists, stations by id and sites: both `null` means
 * every station; otherwise the user sees the union of both, a `null` list counting as empty.
 */
export class UserService {
  constructor(
    private readonly users: UserRepository,
    private readonly grants: GrantTargets,
    private readonly hasher: PasswordHasher,
    private readonly events: EventBus,
    private readonly clock: Clock,
  ) {}

  /** The users within the actor's reach (domain/reach.ts): everyone for an unscoped actor. */
  async list(actor: Reacher, page: PageRequest): Promise<Page<User>> {
    if (actor.stationScope === null) return this.users.list(page);
    const reached = (await this.users.all()).filter((user) => reachesUser(actor, user));
    return { items: reached.slice(page.offset, page.offset + page.limit), total: reached.length };
  }

  /** @throws AppError NOT_FOUND, also for a user beyond the actor's reach. */
  async get(actor: Reacher, id: number): Promise<User> {
    const user = await this.users.findById(id);
    if (!user || !reachesUser(actor, user)) throw new AppError('NOT_FOUND', `No user ${id}`);
    return user;
  }

  async create(actor: Actor, input: CreateUserInput): Promise<User> {
    const scope = scopeGrant(input.allowedStations ?? null, input.allowedSites ?? null);
    const roleIds = await this.grantableRoles(actor, input.roles);
    await this.checkScope(actor, scope);
    const created = await this.users.create({
      username: input.username,
      passwordHash: await this.hasher.hash(input.password),
      active: input.active ?? true,
      roleIds,
      scope,
      now: isoNow(this.clock),
    });
    if (!created) throw new AppError('ALREADY_EXISTS', `User ${input.username} already exists`);
    return created;
  }

  async update(actor: Actor, id: number, input: UpdateUserInput): Promise<User> {
    const target = await this.get(actor, id);
    this.checkManageable(actor, target);
    const changesScope = input.allowedStations !== undefined || input.allowedSites !== undefined;
    const changesRights = input.roles !== undefined || changesScope || input.active !== undefined;
    if (target.id === actor.id && changesRights) {
      throw new AppError(
        'PERMISSION_REQUIRED',
        'You cannot change your own roles, station scope or active flag',
      );
    }
    // One's own password changes only where the current one is asked for, throttled like a
    // login (POST /api/auth/password): otherwise a stolen token would take the account over.
    if (target.id === actor.id && input.password !== undefined) {
      throw new AppError(
        'PERMISSION_REQUIRED',
        'Change your own password with POST /api/auth/password, which asks for the current one',
      );
    }
    const roleIds = input.roles === undefined ? undefined : await this.grantableRoles(actor, input.roles);
    // Sites stay as they are unless given; no sites at all count as none granted, so that
    // `allowedStations: null` still means every station for a user without sites (CONTRACT 3).
    const keptSites = target.allowedSites?.length ? target.allowedSites : null;
    const scope = changesScope
      ? scopeGrant(
          input.allowedStations === undefined ? target.allowedStations : input.allowedStations,
          input.allowedSites === undefined ? keptSites : input.allowedSites,
        )
      : undefined;
    if (scope !== undefined) await this.checkScope(actor, scope);
    let mayTakeAnAdmin = false;
    if (isAdmin(target) && target.active) {
      const staysAdmin =
        input.active !== false && (input.roles === undefined || (await this.rolesGrantAdmin(input.roles)));
      mayTakeAnAdmin = !staysAdmin;
    }
    const changes = {
      ...(input.password !== undefined && { passwordHash: await this.hasher.hash(input.password) }),
      ...(input.active !== undefined && { active: input.active }),
      ...(roleIds !== undefined && { roleIds }),
      ...(scope !== undefined && { scope }),
      now: isoNow(this.clock),
    };
    // Checked again where the change is made, atomically: two administrators disabling each
    // other at once must not both succeed.
    const updated = await lastAdminKept(() =>
      this.users.update(id, changes, { keepAnAdmin: mayTakeAnAdmin }),
    );
    if (!updated) throw new AppError('NOT_FOUND', `No user ${id}`);
    // Open real-time connections are closed (disabled, new password) or narrowed at once.
    this.events.publish({ type: 'AccessChanged', userId: id });
    return updated;
  }

  async delete(actor: Actor, id: number): Promise<void> {
    const target = await this.get(actor, id);
    if (target.id === actor.id) throw new AppError('CONFLICT', 'You cannot delete yourself');
    this.checkManageable(actor, target);
    const takesAnAdmin = isAdmin(target) && target.active;
    if (!(await lastAdminKept(() => this.users.delete(id, { keepAnAdmin: takesAnAdmin })))) {
      throw new AppError('NOT_FOUND', `No user ${id}`);
    }
    this.events.publish({ type: 'AccessChanged', userId: id });
  }

  /** Resolves role names to ids, refusing unknown roles and roles above the actor. */
  private async grantableRoles(actor: Actor, names: string[]): Promise<number[]> {
    const wanted = [...new Set(names)];
    const found = await this.grants.roles.findByNames(wanted);
    const unknown = wanted.filter((name) => !found.some((role) => role.name === name));
    if (unknown.length > 0) {
      throw new AppError('VALIDATION_ERROR', `Unknown role: ${unknown.join(', ')}`, {
        fields: ['roles'],
      });
    }
    if (
      !holdsAll(
        actor,
        found.flatMap((role) => role.permissions),
      )
    ) {
      throw new AppError('PERMISSION_REQUIRED', 'You cannot grant permissions you do not hold');
    }
    return found.map((role) => role.id);
  }

  /** Refuses unknown sites, and stations or sites beyond the actor's own scope. */
  private async checkScope(actor: Actor, scope: ScopeGrant): Promise<void> {
    if (scope !== null && scope.sites.length > 0) {
      const found = await this.grants.sites.existing(scope.sites);
      const unknown = scope.sites.filter((site) => !found.includes(site));
      if (unknown.length > 0) {
        throw new AppError('VALIDATION_ERROR', `Unknown site: ${unknown.join(', ')}`, {
          fields: ['allowedSites'],
        });
      }
    }
    if (actor.stationScope === null) return;
    if (
      scope === null ||
      !scopeWithin(scope.stations, actor.stationScope) ||
      !sitesWithin(scope.sites, actor.allowedSites)
    ) {
      throw new AppError('PERMISSION_REQUIRED', 'You cannot grant stations outside your own scope');
    }
  }

  /** A manager may only touch users whose rights are within their own. */
  private checkManageable(actor: Actor, target: User): void {
    const withinScope =
      actor.stationScope === null ||
      (scopeWithin(target.stationScope, actor.stationScope) &&
        sitesWithin(target.allowedSites, actor.allowedSites));
    if (!holdsAll(actor, target.permissions) || !withinScope) {
      throw new AppError('PERMISSION_REQUIRED', 'You cannot change a user with rights you do not hold');
    }
  }

  private async rolesGrantAdmin(names: string[]): Promise<boolean> {
    const roles = await this.grants.roles.findByNames(names);
    return roles.some((role) => role.permissions.includes(SUPER_PERMISSION));
  }
}

function isAdmin(user: User): boolean {
  return user.permissions.includes(SUPER_PERMISSION);
}
