import { randomBytes } from 'node:crypto';
import { ADMIN_ROLE, BUILT_IN_ROLES, PERMISSIONS } from '@cimorings/contracts';
import type { Clock } from '../domain/clock.js';
import { isoNow } from '../domain/clock.js';
import type { RoleRepository } from '../repositories/role.repository.js';
import type { SettingsRepository } from '../repositories/settings.repository.js';
import type { UserRepository } from '../repositories/user.repository.js';
import type { PasswordHasher } from './password-hasher.js';

const JWT_SECRET_KEY = 'jwt_secret';

/** What the first start of an empty database created. */
export interface SetupResult {
  /** Set when the `admin` user was created just now with a generated password. */
  generatedAdminPassword: string | null;
  adminCreated: boolean;
}

/**
 * The seed data every database must hold, written idempotently on each start: the permission
 * catalogue, the built-in roles (their grants only when a role is new, since roles are data
 * that operators edit) and, on an empty database, the `admin` user.
 */
export class SetupService {
  constructor(
    private readonly users: UserRepository,
    private readonly roles: RoleRepository,
    private readonly settings: SettingsRepository,
    private readonly hasher: PasswordHasher,
    private readonly clock: Clock,
  ) {}

  async seed(adminPassword: string | null): Promise<SetupResult> {
    await this.roles.upsertPermissions(
      Object.entries(PERMISSIONS).map(([name, description]) => ({ name, description })),
    );
    const now = isoNow(this.clock);
    for (const [name, role] of Object.entries(BUILT_IN_ROLES)) {
      const [existing] = await this.roles.findByNames([name]);
      if (!existing) {
        await this.roles.create({
          name,
          description: role.description,
          builtIn: true,
          permissions: role.permissions,
          now,
        });
      } else if (name === ADMIN_ROLE) {
        await this.roles.addGrants(existing.id, role.permissions);
      }
    }
    if ((await this.users.count()) > 0) return { generatedAdminPassword: null, adminCreated: false };

    const password = adminPassword ?? randomBytes(12).toString('base64url');
    const [adminRole] = await this.roles.findByNames([ADMIN_ROLE]);
    const created = await this.users.create({
      username: 'admin',
      passwordHash: await this.hasher.hash(password),
      active: true,
      roleIds: adminRole ? [adminRole.id] : [],
      scope: null,
      now,
    });
    // Another node may have created it first; then it printed the password, not this one.
    return {
      adminCreated: created !== undefined,
      generatedAdminPassword: created && adminPassword === null ? password : null,
    };
  }

  /** The configured JWT secret, or the one stored with the data (generated on first start). */
  async jwtSecret(configured: string | null): Promise<string> {
    if (configured !== null) return configured;
    return this.settings.getOrInsert(JWT_SECRET_KEY, randomBytes(48).toString('base64url'));
  }
}
