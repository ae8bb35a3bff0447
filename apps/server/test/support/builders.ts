import { expect } from 'vitest';
import type { TestChargePoint } from './ocpp-client.js';
import type { TestApp } from './test-app.js';

/**
 * Builders for test data. Each goes through the public API as a client would, and fails the test
 * at once when the server refuses, so that a test never runs on data it only believes it has.
 */

/** The body of POST /api/stations; `name` is the charge point id unless given. */
export interface StationFields {
  chargePointId: string;
  name?: string;
  [field: string]: unknown;
}

/** Creates a station and answers what the server stored. */
export async function createStation(app: TestApp, token: string, fields: StationFields) {
  const response = await app.request('POST', '/api/stations', {
    token,
    body: { name: fields.chargePointId, ...fields },
  });
  expect(response.status, response.text).toBe(201);
  return response.body;
}

/** Creates id tags, given by their text or by the whole body of POST /api/id-tags. */
export async function createIdTags(
  app: TestApp,
  token: string,
  ...tags: (string | { idTag: string; [field: string]: unknown })[]
): Promise<void> {
  for (const tag of tags) {
    const body = typeof tag === 'string' ? { idTag: tag } : tag;
    const response = await app.request('POST', '/api/id-tags', { token, body });
    expect(response.status, `${body.idTag}: ${response.text}`).toBe(201);
  }
}

/** The body of POST /api/users; the password is `<username>-password-1` unless given. */
export interface UserFields {
  username: string;
  roles: string[];
  password?: string;
  [field: string]: unknown;
}

/** Creates a user and answers what the server stored (its `id` among it). */
export async function createUser(app: TestApp, token: string, fields: UserFields) {
  const response = await app.request('POST', '/api/users', {
    token,
    body: { password: `${fields.username}-password-1`, ...fields },
  });
  expect(response.status, response.text).toBe(201);
  return response.body;
}

/** Creates a user and answers a token of theirs. */
export async function userToken(app: TestApp, token: string, fields: UserFields): Promise<string> {
  return (await loggedInUser(app, token, fields)).token;
}

/** Creates a user, logs them in, and answers their id and token. */
export async function loggedInUser(
  app: TestApp,
  token: string,
  fields: UserFields,
): Promise<{ id: number; token: string }> {
  const created = await createUser(app, token, fields);
  const login = await app.login(fields.username, fields.password ?? `${fields.username}-password-1`);
  return { id: created.id as number, token: login.token };
}

/** The fields of a StartTransaction; connector 1 and meter 0 unless given. */
export interface StartFields {
  idTag: string;
  timestamp: string;
  connectorId?: number;
  meterStart?: number;
  [field: string]: unknown;
}

/** Starts a transaction from a booted charge point and answers the whole StartTransaction answer. */
export async function startTransaction(cp: TestChargePoint, fields: StartFields) {
  return (await cp.call('StartTransaction', { connectorId: 1, meterStart: 0, ...fields })) as {
    transactionId: number;
    idTagInfo: { status: string; [field: string]: unknown };
  };
}

/** One sampled value of a 1.6 MeterValues: its text value, and measurand and unit when not the defaults. */
export interface SampledValue {
  value: string;
  measurand?: string;
  unit?: string;
}

/** Sends the 1.6 MeterValues of one instant of a transaction, on connector 1 unless given. */
export async function sendMeterValue(
  cp: TestChargePoint,
  fields: { transactionId: number; timestamp: string; connectorId?: number },
  sampledValue: SampledValue[],
): Promise<void> {
  const { connectorId = 1, transactionId, timestamp } = fields;
  await cp.call('MeterValues', { connectorId, transactionId, meterValue: [{ timestamp, sampledValue }] });
}

/**
 * Expects `path` to answer 401 without a token and 403 to `username`, a user made here without
 * any role (and so without any permission).
 */
export async function expectPermissionRequired(
  app: TestApp,
  token: string,
  path: string,
  username: string,
): Promise<void> {
  expect((await app.request('GET', path)).status).toBe(401);
  const none = await userToken(app, token, { username, roles: [] });
  expect((await app.request('GET', path, { token: none })).status).toBe(403);
}

/**
 * Expects a command to `chargePointId` to answer 403 to a new viewer (no stations.control) and
 * 404 to a new operator whose scope holds only `otherStation`; answers that operator's token.
 */
export async function expectCommandsGuarded(
  app: TestApp,
  token: string,
  chargePointId: string,
  otherStation: string,
  usernames: { viewer: string; scoped: string },
): Promise<string> {
  const clearCache = (as: string) =>
    app.request('POST', `/api/stations/${chargePointId}/commands/ClearCache`, { token: as, body: {} });
  const viewer = await userToken(app, token, { username: usernames.viewer, roles: ['viewer'] });
  expect((await clearCache(viewer)).status).toBe(403);
  const scoped = await userToken(app, token, {
    username: usernames.scoped,
    roles: ['operator'],
    allowedStations: [otherStation],
  });
  expect((await clearCache(scoped)).status).toBe(404);
  return scoped;
}

/** One change of PATCH /api/stations/{id}/variables. */
export interface VariableChange {
  component: string;
  variable: string;
  value: string;
  evseId?: number;
}

/** PATCHes `changes` to a station's variables, expects 200, and answers each change's attributeStatus in order. */
export async function changeVariables(
  app: TestApp,
  token: string,
  chargePointId: string,
  changes: VariableChange[],
): Promise<string[]> {
  const response = await app.request('PATCH', `/api/stations/${chargePointId}/variables`, {
    token,
    body: changes,
  });
  expect(response.status, response.text).toBe(200);
  return response.body.results.map((result: { attributeStatus: string }) => result.attributeStatus);
}
