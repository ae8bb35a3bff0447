import type { Kysely, Selectable } from 'kysely';
import type { Database, RolesTable } from '../db/schema.js';
import type { Role } from '../domain/user.js';
import { activeAdmins, lockAdmins, LastAdminError, type AdminGuard } from './admin-guard.js';
import { countOf, hasRow } from './paging.js';
import { given } from './patch.js';

type Db = Kysely<Database>;

export interface NewRole {
  name: string;
  description: string;
  builtIn: boolean;
  permissions: readonly string[];
  now: string;
}

export interface RoleChanges {
  name?: string;
  description?: string;
  permissions?: readonly string[];
  now: string;
}

/** Roles, their permission grants and the permission catalogue. Queries only. */
export class RoleRepository {
  constructor(private readonly db: Db) {}

  async list(): Promise<Role[]> {
    const rows = await this.db.selectFrom('roles').selectAll().orderBy('id').execute();
    return this.hydrate(rows);
  }

  async findById(id: number): Promise<Role | undefined> {
    const rows = await this.db.selectFrom('roles').selectAll().where('id', '=', id).execute();
    const [role] = await this.hydrate(rows);
    return role;
  }

  async findByNames(names: readonly string[]): Promise<Role[]> {
    if (names.length === 0) return [];
    const rows = await this.db.selectFrom('roles').selectAll().where('name', 'in', names).execute();
    return this.hydrate(rows);
  }

  /** Creates the role with its grants; `undefined` when the name is taken. */
  async create(role: NewRole): Promise<Role | undefined> {
    const id = await this.db.transaction().execute(async (trx) => {
      const inserted = await trx
        .insertInto('roles')
        .values({
          name: role.name,
          description: role.description,
          built_in: role.builtIn ? 1 : 0,
          created_at: role.now,
          updated_at: role.now,
        })
        .onConflict((oc) => oc.column('name').doNothing())
        .returning('id')
        .executeTakeFirst();
      if (!inserted) return undefined;
      await grant(trx, inserted.id, role.permissions);
      return inserted.id;
    });
    return id === undefined ? undefined : this.findById(id);
  }

  /** Applies the changes; `permissions` replaces every grant. `undefined` if there is no such role. */
  async update(id: number, changes: RoleChanges, guard: AdminGuard = {}): Promise<Role | undefined> {
    const found = await this.db.transaction().execute(async (trx) => {
      if (guard.keepAnAdmin) await lockAdmins(trx);
      const updated = await trx
        .updateTable('roles')
        .set({
          updated_at: changes.now,
          ...given({ name: changes.name, description: changes.description }),
        })
        .where('id', '=', id)
        .returning('id')
        .executeTakeFirst();
      if (!updated) return false;
      if (changes.permissions !== undefined) {
        await trx.deleteFrom('role_permissions').where('role_id', '=', id).execute();
        await grant(trx, id, changes.permissions);
      }
      if (guard.keepAnAdmin && (await activeAdmins(trx)) === 0) throw new LastAdminError();
      return true;
    });
    return found ? this.findById(id) : undefined;
  }

  async delete(id: number): Promise<boolean> {
    const result = await this.db.deleteFrom('roles').where('id', '=', id).executeTakeFirst();
    return result.numDeletedRows > 0n;
  }

  async countUsers(roleId: number): Promise<number> {
    return countOf(this.db.selectFrom('user_roles').where('role_id', '=', roleId));
  }

  async isNameTaken(name: string, exceptId: number): Promise<boolean> {
    return hasRow(
      this.db.selectFrom('roles').select('id').where('name', '=', name).where('id', '!=', exceptId),
    );
  }

  async listPermissions(): Promise<{ name: string; description: string }[]> {
    return this.db.selectFrom('permissions').selectAll().orderBy('name').execute();
  }

  /** Inserts the permissions that are missing and refreshes the descriptions of the others. */
  async upsertPermissions(entries: readonly { name: string; description: string }[]): Promise<void> {
    if (entries.length === 0) return;
    await this.db
      .insertInto('permissions')
      .values([...entries])
      .onConflict((oc) =>
        oc.column('name').doUpdateSet((eb) => ({ description: eb.ref('excluded.description') })),
      )
      .execute();
  }

  /** Grants permissions to a role, keeping the grants it has. */
  async addGrants(roleId: number, permissions: readonly string[]): Promise<void> {
    if (permissions.length === 0) return;
    await this.db
      .insertInto('role_permissions')
      .values(permissions.map((permission) => ({ role_id: roleId, permission })))
      .onConflict((oc) => oc.columns(['role_id', 'permission']).doNothing())
      .execute();
  }

  private async hydrate(rows: Selectable<RolesTable>[]): Promise<Role[]> {
    if (rows.length === 0) return [];
    const grants = await this.db
      .selectFrom('role_permissions')
      .select(['role_id', 'permission'])
      .where(
        'role_id',
        'in',
        rows.map((row) => row.id),
      )
      .orderBy('permission')
      .execute();
    return rows.map((row) => ({
      id: row.id,
      name: row.name,
      description: row.description,
      builtIn: row.built_in === 1,
      permissions: grants.filter((g) => g.role_id === row.id).map((g) => g.permission),
    }));
  }
}

async function grant(db: Db, roleId: number, permissions: readonly string[]): Promise<void> {
  const unique = [...new Set(permissions)];
  if (unique.length === 0) return;
  await db
    .insertInto('role_permissions')
    .values(unique.map((permission) => ({ role_id: roleId, permission })))
    .execute();
}
