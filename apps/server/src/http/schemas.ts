// The server's side of the REST schemas: the schemas themselves are in @cimorings/contracts/rest
// (shared with the dashboard); here is what only the server does with them.
import type { FastifyReply } from 'fastify';
import { Type, type Static, type TSchema } from 'typebox';
import { PERMISSION_NAMES, SUPER_PERMISSION, type UserView } from '@cimorings/contracts';
import { ChargePointParams, PageQuery, PageSchema } from '@cimorings/contracts/rest';
import type { User } from '../domain/user.js';
import type { PageRequest } from '../repositories/paging.js';
import type { Access } from './access.js';

export { ErrorSchema, RoleSchema, UserSchema } from '@cimorings/contracts/rest';

/** The OpenAPI security of a route that takes the bearer token. */
export const BEARER = [{ bearer: [] }];

/**
 * The options of a route called with the bearer token: the access it declares and its schema,
 * listed in the OpenAPI document under `tag`.
 */
export function bearerRoute<S extends object>(access: Access, tag: string, schema: S) {
  return { config: { access }, schema: { tags: [tag], security: BEARER, ...schema } };
}

/**
 * The options of a paged list, `GET` called with the bearer token: `querystring` takes the paging
 * (with the list's filters, if any); the answers are {@link pageAnswers} of `item`.
 */
export function pageRoute<Q extends TSchema, T extends TSchema>(
  access: Access,
  tag: string,
  querystring: Q,
  item: T,
  summary?: string,
) {
  return bearerRoute(access, tag, {
    ...(summary !== undefined && { summary }),
    querystring,
    response: pageAnswers(item),
  });
}

/**
 * The options of a paged list of one station's records, `GET /api/stations/:chargePointId/…`,
 * called with the bearer token: 404 for a station the caller does not see.
 */
export function stationPageRoute<T extends TSchema>(access: Access, tag: string, summary: string, item: T) {
  return bearerRoute(access, tag, {
    summary,
    params: ChargePointParams,
    querystring: PageQuery,
    response: { 200: PageSchema(item), ...errors(400, 401, 403, 404) },
  });
}

/**
 * The options of the routes on one resource's records, called with the bearer token: each is
 * listed under `tag`, addresses a record by `params` and answers it as `item` (a schema's `$id`),
 * else with one of the error `statuses` it names; `summary` goes to the OpenAPI document. A route
 * with other answers spells its options out with {@link bearerRoute}.
 */
export function recordRoutes<P extends TSchema>(tag: string, params: P, item: string) {
  const record = Type.Ref(item);
  const route = <S extends object>(access: Access, summary: string | undefined, schema: S) =>
    bearerRoute(access, tag, { ...(summary !== undefined && { summary }), ...schema });
  return {
    /** `GET` a page of the records; `querystring` takes the paging and the list's filters. */
    list: <Q extends TSchema>(access: Access, querystring: Q, summary?: string) =>
      pageRoute(access, tag, querystring, record, summary),
    /** `GET` one record. */
    read: (access: Access, statuses: number[], summary?: string) =>
      route(access, summary, { params, response: { 200: record, ...errors(...statuses) } }),
    /** `POST` a new record: 201 with it. */
    create: <B extends TSchema>(access: Access, body: B, statuses: number[], summary?: string) =>
      route(access, summary, { body, response: { 201: record, ...errors(...statuses) } }),
    /** `PATCH` one record: 200 with it as changed. */
    change: <B extends TSchema>(access: Access, body: B, statuses: number[], summary?: string) =>
      route(access, summary, { params, body, response: { 200: record, ...errors(...statuses) } }),
    /** `DELETE` one record: 204. */
    remove: (access: Access, statuses: number[], summary?: string) =>
      route(access, summary, { params, response: deleteAnswers(...statuses) }),
  };
}

/** Error answers a route may give, for the OpenAPI document. */
export function errors(...statuses: number[]): Record<number, TSchema> {
  return Object.fromEntries(statuses.map((status) => [status, Type.Ref('Error')]));
}

/** The answers of a paged list: 200 with a page of `item`, else 400, 401 or 403. */
export function pageAnswers<T extends TSchema>(item: T) {
  return { 200: PageSchema(item), ...errors(400, 401, 403) };
}

/** The answers of a route that deletes: 204 with no body, else one of the error `statuses`. */
export function deleteAnswers(...statuses: number[]) {
  return { 204: Type.Null(), ...errors(...statuses) };
}

/** Answers 201 with the record once `done`, its creation, has succeeded. */
export async function created<T>(reply: FastifyReply, done: Promise<T>) {
  return reply.status(201).send(await done);
}

/** Answers 204 with no body once `done`, the deletion, has succeeded. */
export async function noContent(reply: FastifyReply, done: Promise<void>) {
  await done;
  return reply.status(204).send(null);
}

/** The rows a list query asks for: `offset`, else `page` (from 1), else the first. */
export function pageOf(query: Static<typeof PageQuery>): PageRequest {
  const limit = query.limit ?? 50;
  const offset = query.offset ?? (query.page !== undefined ? (query.page - 1) * limit : 0);
  return { limit, offset };
}

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
