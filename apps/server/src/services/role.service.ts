import { ADMIN_ROLE, isPermission, SUPER_PERMISSION } from '@cimorings/contracts';
import type { EventBus } from '../cluster/event-bus.js';
import type { Clock } from '../domain/clock.js';
import { isoNow } from '../domain/clock.js';
import { reachesUser } from '../domain/reach.js';
import { holdsAll, type Actor, type Role } from '../domain/user.js';
import { AppError } from '../errors.js';
import type { RoleRepository } from '../repositories/role.repository.js';
import type { UserRepository } from '../repositories/user.repository.js';
import { lastAdminKept } from './last-admin.js';

export interface RoleInput {
  name: string;
  description?: string;
  permissions: string[];
}

/**
 * Roles are data (CONTRACT section 2): created, edited and deleted through the API, within
 * three limits: nobody grants a permission they do not hold; the built-in roles keep their
 * names (clients refer to them) while `admin` keeps `system.admin`; and a user limited to some
 * stations changes only roles that no user beyond its reach holds (domain/reach.ts), never a
 * built-in one: roles are shared by every site, so editing `operator` from one site would change
 * what the operators of every other site may do.
 */
export class RoleService {
  constructor(
    private readonly roles: RoleRepository,
    private readonly users: UserRepository,
    private readonly events: EventBus,
    private readonly clock: Clock,
  ) {}

  list(): Promise<Role[]> {
    return this.roles.list();
  }

  listPermissions(): Promise<{ name: string; description: string }[]> {
    return this.roles.listPermissions();
  }

  async create(actor: Actor, input: RoleInput): Promise<Role> {
    this.checkGrantable(actor, input.permissions);
    const role = await this.roles.create({
      name: input.name,
      description: input.description ?? '',
      builtIn: false,
      permissions: input.permissions,
      now: isoNow(this.clock),
    });
    if (!role) throw new AppError('ALREADY_EXISTS', `Role ${input.name} already exists`);
    return role;
  }

  async update(actor: Actor, id: number, input: Partial<RoleInput>): Promise<Role> {
    const role = await this.get(id);
    this.checkGrantable(actor, role.permissions);
    if (input.permissions !== undefined) this.checkGrantable(actor, input.permissions);
    await this.checkHoldersReached(actor, role);
    if (role.builtIn && input.name !== undefined && input.name !== role.name) {
      throw new AppError('BUILT_IN_ROLE', `The built-in role ${role.name} cannot be renamed`);
    }
    if (input.name !== undefined && (await this.roles.isNameTaken(input.name, id))) {
      throw new AppError('ALREADY_EXISTS', `Role ${input.name} already exists`);
    }
    const dropsAdmin =
      input.permissions !== undefined &&
      role.permissions.includes(SUPER_PERMISSION) &&
      !input.permissions.includes(SUPER_PERMISSION);
    if (dropsAdmin && role.name === ADMIN_ROLE) {
      throw new AppError('BUILT_IN_ROLE', `The ${ADMIN_ROLE} role always keeps ${SUPER_PERMISSION}`);
    }
    if (dropsAdmin && (await this.users.countAdmins({ roleId: id })) === 0) {
      throw new AppError('LAST_ADMIN', 'This role is what the last active administrator holds');
    }
    const changes = {
      ...(input.name !== undefined && { name: input.name }),
      ...(input.description !== undefined && { description: input.description }),
      ...(input.permissions !== undefined && { permissions: input.permissions }),
      now: isoNow(this.clock),
    };
    // Checked again where the change is made, atomically (as for users: UserService.update).
    const updated = await lastAdminKept(() => this.roles.update(id, changes, { keepAnAdmin: dropsAdmin }));
    if (!updated) throw new AppError('NOT_FOUND', `No role ${id}`);
    // Its holders' open connections follow the new permissions at once.
    if (input.permissions !== undefined) this.events.publish({ type: 'AccessChanged', userId: null });
    return updated;
  }

  async delete(actor: Actor, id: number): Promise<void> {
    const role = await this.get(id);
    if (role.builtIn) throw new AppError('BUILT_IN_ROLE', `The built-in role ${role.name} cannot be deleted`);
    this.checkGrantable(actor, role.permissions);
    await this.checkHoldersReached(actor, role);
    const holders = await this.roles.countUsers(id);
    if (holders > 0) {
      throw new AppError('ROLE_IN_USE', `Role ${role.name} is held by ${holders} user(s)`, {
        users: holders,
      });
    }
    if (!(await this.roles.delete(id))) throw new AppError('NOT_FOUND', `No role ${id}`);
  }

  private async get(id: number): Promise<Role> {
    const role = await this.roles.findById(id);
    if (!role) throw new AppError('NOT_FOUND', `No role ${id}`);
    return role;
  }

  /** Refuses a scoped actor a built-in role, or a role held by a user it does not reach. */
  private async checkHoldersReached(actor: Actor, role: Role): Promise<void> {
    if (actor.stationScope === null) return;
    if (role.builtIn) {
      throw new AppError(
        'PERMISSION_REQUIRED',
        `Only users who see every station change the built-in role ${role.name}`,
      );
    }
    const holders = (await this.users.all()).filter((user) => user.roles.includes(role.name));
    if (holders.some((holder) => !reachesUser(actor, holder))) {
      throw new AppError(
        'PERMISSION_REQUIRED',
        `Role ${role.name} is held by users beyond your station scope`,
      );
    }
  }

  private checkGrantable(actor: Actor, permissions: readonly string[]): void {
    const unknown = permissions.filter((name) => !isPermission(name));
    if (unknown.length > 0) {
      throw new AppError('VALIDATION_ERROR', `Unknown permission: ${unknown.join(', ')}`, {
        fields: ['permissions'],
      });
    }
    if (!holdsAll(actor, permissions)) {
      throw new AppError('PERMISSION_REQUIRED', 'You cannot grant permissions you do not hold');
    }
  }
}
