/**
 * The building blocks of the REST schemas (CONTRACT section 3): the error body, paging, row ids
 * and the identifiers every resource shares. Each is a TypeBox schema: the server validates and
 * documents with it, clients take its type with `Static<>` (a type-only import, erased).
 */
import { Type, type TProperties, type TSchema, type TUnsafe } from 'typebox';
import { ERROR_STATUS } from '../errors.js';
import { CHARGE_POINT_ID_MAX_LENGTH, CHARGE_POINT_ID_PATTERN } from '../lists.js';
import { MIN_PASSWORD_LENGTH } from '../users.js';

/** A request body of exactly these fields: a field it does not list is refused (400). */
export const Body = <T extends TProperties>(properties: T) =>
  Type.Object(properties, { additionalProperties: false });

/** An object the API answers with, registered as `$id` so that routes refer to it by `Type.Ref(id)`. */
export const Resource = <T extends TProperties>(id: string, properties: T, description?: string) =>
  Type.Object(properties, { $id: id, ...(description !== undefined && { description }) });

/** The body of every error answer. */
export const ErrorSchema = Resource('Error', {
  error: Type.Object({
    code: Type.Union(Object.keys(ERROR_STATUS).map((code) => Type.Literal(code))),
    message: Type.String(),
    details: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  }),
});

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

/** The paging of a list that also takes a free-text `search` of at most `maxLength` characters. */
export const SearchPageQuery = (maxLength: number) =>
  Type.Object({ ...PageQuery.properties, search: Type.Optional(Type.String({ maxLength })) });

/** A page of a list: `{ items, total }`. */
export function PageSchema<T extends TSchema>(item: T) {
  return Type.Object({ items: Type.Array(item), total: Type.Integer() });
}

export const IdParams = Type.Object({ id: RowId() });

/** Charge point ids as OCPP 1.6 bounds them (CiString20 in the boot identity, ≤ 48 in the URL). */
export const ChargePointId = Type.String({
  minLength: 1,
  maxLength: CHARGE_POINT_ID_MAX_LENGTH,
  pattern: CHARGE_POINT_ID_PATTERN,
});
export const ChargePointParams = Type.Object({ chargePointId: ChargePointId });

/** OCPP 1.6 IdToken: CiString20Type, printable ASCII as in the id tag table. */
export const IdToken = Type.String({ minLength: 1, maxLength: 20, pattern: '^[\\x20-\\x7E]+$' });

export const Username = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9._@+-]+$' });
export const Password = Type.String({ minLength: MIN_PASSWORD_LENGTH, maxLength: 256 });
export const RoleName = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9._-]+$' });

/**
 * When a record was created and last changed (ISO 8601 UTC, as stored); `options` apply to both,
 * e.g. `{ format: 'date-time' }`.
 */
export const Timestamps = (options: { format?: 'date-time' } = {}) => ({
  createdAt: Type.String(options),
  updatedAt: Type.String(options),
});

/** `T` or `null`. */
export const Nullable = <T extends TSchema>(schema: T, options: { description?: string } = {}) =>
  Type.Union([schema, Type.Null()], options);

/**
 * One of a list of strings, as `anyOf` of constants; typed as the union of the list (TypeBox's
 * own union of mapped literals loses it when its object is spread into another).
 */
export function Literals<const T extends readonly (string | number)[]>(
  values: T,
  options: { description?: string } = {},
): TUnsafe<T[number]> {
  return Type.Unsafe<T[number]>(
    Type.Union(
      values.map((value) => Type.Literal(value)),
      options,
    ),
  );
}
