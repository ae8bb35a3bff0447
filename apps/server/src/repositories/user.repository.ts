import { sql, type Kysely, type Selectable } from 'kysely';
import type { Database, UsersTable } from '../db/schema.js';
import type { ScopeGrant, User } from '../domain/user.js';
import {
  activeAdmins,
  lockAdmins,
  LastAdminError,
  type AdminGuard,
  type AdminsWithout,
} from './admin-guard.js';
import { countOf, firstOf, pageOfQuery, type Page, type PageRequest } from './paging.js';
import { given, flagOf } from './patch.js';

type Db = Kysely<Database>;

/** What login needs: the stored hash and whether the account may log in. */
export interface Credentials {
  id: number;
  passwordHash: string;
  active: boolean;
}

export interface NewUser {
  username: string;
  passwordHash: string;
  active: boolean;
  roleIds: number[];
  /** `null`: every station. */
  scope: ScopeGrant;
  now: string;
}

export interface UserChanges {
  passwordHash?: string;
  active?: boolean;
  roleIds?: number[];
  /** The whole new scope: both lists are replaced. */
  scope?: ScopeGrant;
  now: string;
}

/** Users with their roles, permissions and station scope. Queries only. */
export class UserRepository {
  constructor(private readonly db: Db) {}

  async count(): Promise<number> {
    return countOf(this.db.selectFrom('users'));
  }

  async findById(id: number): Promise<User | undefined> {
    const row = await this.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) return undefined;
    const [user] = await this.hydrate(this.db, [row]);
    return user;
  }

  async findCredentials(username: string): Promise<Credentials | undefined> {
    return firstOf(
      this.db.selectFrom('users').select(['id', 'password_hash', 'active']).where('username', '=', username),
      (row) => ({ id: row.id, passwordHash: row.password_hash, active: row.active === 1 }),
    );
  }

  async list(page: PageRequest): Promise<Page<User>> {
    const query = this.db.selectFrom('users').selectAll().orderBy('id');
    return pageOfQuery(query, page, (rows) => this.hydrate(this.db, rows));
  }

  /** Every user, in id order: what reach rules filter (user counts are small). */
  async all(): Promise<User[]> {
    return this.hydrate(this.db, await this.db.selectFrom('users').selectAll().orderBy('id').execute());
  }

  /** Creates the user with roles and scope in one transaction; `undefined` if the name is taken. */
  async create(user: NewUser): Promise<User | undefined> {
    return this.db.transaction().execute(async (trx) => {
      const inserted = await trx
        .insertInto('users')
        .values({
          username: user.username,
          password_hash: user.passwordHash,
          active: user.active ? 1 : 0,
          station_scoped: user.scope === null ? 0 : 1,
          token_version: 0,
          created_at: user.now,
          updated_at: user.now,
        })
        .onConflict((oc) => oc.column('username').doNothing())
        .returningAll()
        .executeTakeFirst();
      if (!inserted) return undefined;
      await replaceRoles(trx, inserted.id, user.roleIds);
      await replaceScope(trx, inserted.id, user.scope);
      const [created] = await this.hydrate(trx, [inserted]);
      return created;
    });
  }

  /**
   * Applies the changes in one transaction. A new password or a change of `active` raises the
   * token version, which ends every token issued before.
   */
  async update(id: number, changes: UserChanges, guard: AdminGuard = {}): Promise<User | undefined> {
    return this.db.transaction().execute(async (trx) => {
      if (guard.keepAnAdmin) await lockAdmins(trx);
      const endsTokens = changes.passwordHash !== undefined || changes.active !== undefined;
      const updated = await trx
        .updateTable('users')
        .set({
          updated_at: changes.now,
          ...given({
            password_hash: changes.passwordHash,
            active: flagOf(changes.active),
            station_scoped: changes.scope === undefined ? undefined : changes.scope === null ? 0 : 1,
          }),
          ...(endsTokens && { token_version: sql<number>`token_version + 1` }),
        })
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirst();
      if (!updated) return undefined;
      if (changes.roleIds !== undefined) await replaceRoles(trx, id, changes.roleIds);
      if (changes.scope !== undefined) await replaceScope(trx, id, changes.scope);
      if (guard.keepAnAdmin && (await activeAdmins(trx)) === 0) throw new LastAdminError();
      const [user] = await this.hydrate(trx, [updated]);
      return user;
    });
  }

  async delete(id: number, guard: AdminGuard = {}): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      if (guard.keepAnAdmin) await lockAdmins(trx);
      const result = await trx.deleteFrom('users').where('id', '=', id).executeTakeFirst();
      if (guard.keepAnAdmin && (await activeAdmins(trx)) === 0) throw new LastAdminError();
      return result.numDeletedRows > 0n;
    });
  }

  /** Active administrators, leaving out what `without` names (see activeAdmins). */
  countAdmins(without: AdminsWithout = {}): Promise<number> {
    return activeAdmins(this.db, without);
  }

  /**
   * Adds roles, permissions and the station scope to user rows, with one query each for all
   * rows. The scope is resolved here, once per load: the listed stations plus those now at the
   * listed sites.
   */
  private async hydrate(db: Db, rows: Selectable<UsersTable>[]): Promise<User[]> {
    if (rows.length === 0) return [];
    const ids = rows.map((row) => row.id);
    const grants = await db
      .selectFrom('user_roles')
      .innerJoin('roles', 'roles.id', 'user_roles.role_id')
      .leftJoin('role_permissions', 'role_permissions.role_id', 'roles.id')
      .select(['user_roles.user_id', 'roles.name', 'role_permissions.permission'])
      .where('user_roles.user_id', 'in', ids)
      .orderBy('roles.name')
      .execute();
    const stations = await db
      .selectFrom('user_stations')
      .select(['user_id', 'charge_point_id'])
      .where('user_id', 'in', ids)
      .orderBy('charge_point_id')
      .execute();
    const sites = await db
      .selectFrom('user_sites')
      .leftJoin('stations', 'stations.site_id', 'user_sites.site_id')
      .select(['user_sites.user_id', 'user_sites.site_id', 'stations.charge_point_id'])
      .where('user_sites.user_id', 'in', ids)
      .orderBy('user_sites.site_id')
      .execute();
    return rows.map((row) => {
      const mine = grants.filter((grant) => grant.user_id === row.id);
      const listed = stations.filter((s) => s.user_id === row.id).map((s) => s.charge_point_id);
      const bySite = sites.filter((s) => s.user_id === row.id);
      const scoped = row.station_scoped === 1;
      return {
        id: row.id,
        username: row.username,
        active: row.active === 1,
        roles: [...new Set(mine.map((grant) => grant.name))],
        permissions: [
          ...new Set(mine.flatMap((grant) => (grant.permission ? [grant.permission] : []))),
        ].sort(),
        allowedStations: scoped ? listed : null,
        allowedSites: scoped ? [...new Set(bySite.map((s) => s.site_id))] : null,
        stationScope: scoped
          ? [
              ...new Set([
                ...listed,
                ...bySite.flatMap((s) => (s.charge_point_id ? [s.charge_point_id] : [])),
              ]),
            ].sort()
          : null,
        tokenVersion: row.token_version,
        createdAt: row.created_at,
        updatedAt: row.updated_at,
      };
    });
  }
}

async function replaceRoles(db: Db, userId: number, roleIds: number[]): Promise<void> {
  await db.deleteFrom('user_roles').where('user_id', '=', userId).execute();
  if (roleIds.length === 0) return;
  await db
    .insertInto('user_roles')
    .values([...new Set(roleIds)].map((roleId) => ({ user_id: userId, role_id: roleId })))
    .execute();
}

async function replaceScope(db: Db, userId: number, scope: ScopeGrant): Promise<void> {
  await db.deleteFrom('user_stations').where('user_id', '=', userId).execute();
  await db.deleteFrom('user_sites').where('user_id', '=', userId).execute();
  if (scope === null) return;
  if (scope.stations.length > 0) {
    await db
      .insertInto('user_stations')
      .values([...new Set(scope.stations)].map((id) => ({ user_id: userId, charge_point_id: id })))
      .execute();
  }
  if (scope.sites.length > 0) {
    await db
      .insertInto('user_sites')
      .values([...new Set(scope.sites)].map((siteId) => ({ user_id: userId, site_id: siteId })))
      .execute();
  }
}
