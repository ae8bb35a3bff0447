/** The user and role resources: `/api/auth`, `/api/users`, `/api/roles`, `/api/permissions`. */
import { Type, type Static } from 'typebox';
import {
  Body,
  ChargePointId,
  Nullable,
  Password,
  Resource,
  RoleName,
  RowId,
  Timestamps,
  Username,
} from './common.js';

export const UserSchema = Resource('User', {
  id: Type.Integer(),
  username: Type.String(),
  roles: Type.Array(Type.String()),
  permissions: Type.Array(Type.String(), {
    description: 'effective permissions: system.admin holders are given every permission',
  }),
  allowedStations: Nullable(Type.Array(Type.String()), {
    description: 'null (with allowedSites null): every station; a list: these charge point ids',
  }),
  allowedSites: Nullable(Type.Array(Type.Integer()), {
    description: 'null (with allowedStations null): every station; a list: the stations of these sites',
  }),
  active: Type.Boolean(),
  ...Timestamps({ format: 'date-time' }),
});
export type UserView = Static<typeof UserSchema>;

/** The answer of `POST /api/auth/login`. */
export const LoginAnswerSchema = Type.Object({
  token: Type.String(),
  expiresIn: Type.Integer({ description: 'token lifetime in seconds' }),
  user: Type.Ref('User'),
});

const Scope = Nullable(Type.Array(ChargePointId, { maxItems: 10000 }), {
  description:
    'absent or null (with allowedSites too): every station; a list: these charge point ids, plus the stations of allowedSites',
});
const SiteScope = Nullable(Type.Array(RowId(), { maxItems: 1000 }), {
  description:
    'absent or null (with allowedStations too): every station; a list: the stations of these sites',
});
const Roles = Type.Array(RoleName, { maxItems: 100 });

/** What a user is given besides name, password and roles, each optional in `POST` and `PATCH`. */
const UserOptions = {
  allowedStations: Type.Optional(Scope),
  allowedSites: Type.Optional(SiteScope),
  active: Type.Optional(Type.Boolean()),
};

/** The body of `POST /api/users`. */
export const NewUserSchema = Body({ username: Username, password: Password, roles: Roles, ...UserOptions });
export type NewUser = Static<typeof NewUserSchema>;

/** The body of `PATCH /api/users/{id}`. */
export const UserChangesSchema = Body({
  password: Type.Optional(Password),
  roles: Type.Optional(Roles),
  ...UserOptions,
});
export type UserChanges = Static<typeof UserChangesSchema>;

export const RoleSchema = Resource('Role', {
  id: Type.Integer(),
  name: Type.String(),
  description: Type.String(),
  builtIn: Type.Boolean(),
  permissions: Type.Array(Type.String()),
});
export type Role = Static<typeof RoleSchema>;

const Permissions = Type.Array(Type.String({ maxLength: 64 }), { maxItems: 200 });
const Description = Type.String({ maxLength: 500 });

/** The body of `POST /api/roles`. */
export const NewRoleSchema = Body({
  name: RoleName,
  description: Type.Optional(Description),
  permissions: Permissions,
});
export type NewRole = Static<typeof NewRoleSchema>;

/** The body of `PATCH /api/roles/{id}`. */
export const RoleChangesSchema = Body({
  name: Type.Optional(RoleName),
  description: Type.Optional(Description),
  permissions: Type.Optional(Permissions),
});
export type RoleChanges = Static<typeof RoleChangesSchema>;

/** One entry of `GET /api/permissions`. */
export const PermissionInfoSchema = Type.Object({ name: Type.String(), description: Type.String() });
export type PermissionInfo = Static<typeof PermissionInfoSchema>;

/** The user object of the API; `permissions` is what the user may effectively do. */
export interface LoginResponse extends Omit<Static<typeof LoginAnswerSchema>, 'user'> {
  user: UserView;
}
