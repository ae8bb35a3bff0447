import { sql, type Kysely } from 'kysely';
import { ADMIN_ROLE, SUPER_PERMISSION } from '@cimorings/contracts';
import type { Database } from '../db/schema.js';
import { countOf } from './paging.js';

type Db = Kysely<Database>;

/**
 * Thrown (and the change rolled back) when a change made with `keepAnAdmin` would leave no
 * active administrator.
 */
export class LastAdminError extends Error {
  constructor() {
    super('This is the last active administrator');
    this.name = 'LastAdminError';
  }
}

/** What a change that may take an administrator away asks for. */
export interface AdminGuard {
  /** Refuse (LastAdminError, nothing changed) a change after which no active administrator remains. */
  keepAnAdmin?: boolean;
}

/**
 * Serializes the changes that may take an administrator away, on every node and dialect: each
 * first writes the row of the built-in `admin` role (a row lock on PostgreSQL, the write lock
 * on SQLite) and holds it to its commit, so that two administrators disabling each other at
 * the same moment cannot both see the other one still active.
 */
export async function lockAdmins(db: Db): Promise<void> {
  await db
    .updateTable('roles')
    .set({ updated_at: sql<string>`updated_at` })
    .where('name', '=', ADMIN_ROLE)
    .execute();
}

/** Who is left out when counting administrators: one user and/or the grants of one role. */
export interface AdminsWithout {
  userId?: number;
  roleId?: number;
}

/**
 * Active users holding `system.admin` through a role, leaving out one user and/or the grants
 * of one role: what would remain if that user lost admin, or that role lost the permission.
 */
export async function activeAdmins(db: Db, without: AdminsWithout = {}): Promise<number> {
  return countOf(
    db
      .selectFrom('users')
      .where('users.active', '=', 1)
      .$if(without.userId !== undefined, (qb) => qb.where('users.id', '!=', without.userId ?? 0))
      .where((eb) =>
        eb.exists(
          eb
            .selectFrom('user_roles')
            .innerJoin('role_permissions', 'role_permissions.role_id', 'user_roles.role_id')
            .whereRef('user_roles.user_id', '=', 'users.id')
            .where('role_permissions.permission', '=', SUPER_PERMISSION)
            .$if(without.roleId !== undefined, (qb) =>
              qb.where('user_roles.role_id', '!=', without.roleId ?? 0),
            )
            .select('user_roles.user_id'),
        ),
      ),
  );
}
