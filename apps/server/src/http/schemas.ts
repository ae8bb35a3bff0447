import { Type, type Static, type TSchema } from 'typebox';
import { ERROR_STATUS, MIN_PASSWORD_LENGTH } from '@cimorings/contracts';
import type { User } from '../domain/user.js';
import type { UserView } from '@cimorings/contracts';
import { PERMISSION_NAMES, SUPER_PERMISSION } from '@cimorings/contracts';
import type { PageRequest } from '../repositories/paging.js';

/** The body of every error answer. */
export const ErrorSchema = Type.Object(
  {
    error: Type.Object({
      code: Type.Union(Object.keys(ERROR_STATUS).map((code) => Type.Literal(code))),
      message: Type.String(),
      details: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
    }),
  },
  { $id: 'Error' },
);

/** Error answers a route may give, for the OpenAPI document. */
export function errors(...statuses: number[]): Record<number, TSchema> {
  return Object.fromEntries(statuses.map((status) => [status, Type.Ref('Error')]));
}

/**
 * The largest value of an `integer` column (int4 on PostgreSQL, where every id and count is
 * one): a number above it cannot name a row, and PostgreSQL refuses to compare with it.
 */
export const SQL_INTEGER_MAX = 2_147_483_647;

/**
 * The id of a row in an `integer` column (user, role, site): 1 to SQL_INTEGER_MAX. Transaction
 * and reservation ids are OCPP integers kept in 64-bit columns: their routes bound them by
 * Number.MAX_SAFE_INTEGER instead.
 */
export const RowId = (options: { description?: string } = {}) =>
  Type.Integer({ minimum: 1, maximum: SQL_INTEGER_MAX, ...options });

/**
 * Paging of every list. Each bound is part of the schema, so that a huge or negative value is a
 * 400 before any query runs; `page × limit` stays far inside what both databases take as OFFSET.
 */
export const PageQuery = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 50 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: SQL_INTEGER_MAX })),
  page: Type.Optional(
    Type.Integer({ minimum: 1, maximum: SQL_INTEGER_MAX, description: 'alternative to offset, from 1' }),
  ),
});

export function pageOf(query: Static<typeof PageQuery>): PageRequest {
  const limit = query.limit ?? 50;
  const offset = query.offset ?? (query.page !== undefined ? (query.page - 1) * limit : 0);
  return { limit, offset };
}

export function PageSchema<T extends TSchema>(item: T) {
  return Type.Object({ items: Type.Array(item), total: Type.Integer() });
}

export const IdParams = Type.Object({ id: RowId() });

/** Charge point ids as OCPP 1.6 bounds them (CiString20 in the boot identity, ≤ 48 in the URL). */
export const ChargePointId = Type.String({ minLength: 1, maxLength: 48, pattern: '^[A-Za-z0-9._:*+-]+$' });

export const Username = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9._@+-]+$' });
export const Password = Type.String({ minLength: MIN_PASSWORD_LENGTH, maxLength: 256 });
export const RoleName = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9._-]+$' });

export const UserSchema = Type.Object(
  {
    id: Type.Integer(),
    username: Type.String(),
    roles: Type.Array(Type.String()),
    permissions: Type.Array(Type.String(), {
      description: 'effective permissions: system.admin holders are given every permission',
    }),
    allowedStations: Type.Union([Type.Array(Type.String()), Type.Null()], {
      description: 'null (with allowedSites null): every station; a list: these charge point ids',
    }),
    allowedSites: Type.Union([Type.Array(Type.Integer()), Type.Null()], {
      description: 'null (with allowedStations null): every station; a list: the stations of these sites',
    }),
    active: Type.Boolean(),
    createdAt: Type.String({ format: 'date-time' }),
    updatedAt: Type.String({ format: 'date-time' }),
  },
  { $id: 'User' },
);

/** The user object of the API; `permissions` is what the user may effectively do. */
export function userView(user: User): UserView {
  return {
    id: user.id,
    username: user.username,
    roles: user.roles,
    permissions: user.permissions.includes(SUPER_PERMISSION) ? [...PERMISSION_NAMES] : user.permissions,
    allowedStations: user.allowedStations,
    allowedSites: user.allowedSites,
    active: user.active,
    createdAt: user.createdAt,
    updatedAt: user.updatedAt,
  };
}

export const RoleSchema = Type.Object(
  {
    id: Type.Integer(),
    name: Type.String(),
    description: Type.String(),
    builtIn: Type.Boolean(),
    permissions: Type.Array(Type.String()),
  },
  { $id: 'Role' },
);
