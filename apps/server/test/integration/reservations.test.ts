import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { userToken } from '../support/builders.js';
import ocppRpc from 'ocpp-rpc';
import { DIALECTS } from '../support/databases.js';
import { useTestApp, useTestDatabase } from '../support/use-test-app.js';
import { startTestApp } from '../support/test-app.js';
import { bootChargePoint, eventually, type TestChargePoint } from '../support/ocpp-client.js';
import type { DomainEvent } from '../../src/domain/events.js';

/** An ISO time `ms` from now. */
const inMs = (ms: number) => new Date(Date.now() + ms).toISOString();
/** The same instant written in UTC+07:00 (WIB), to check that it is stored as UTC. */
const asWib = (iso: string) => new Date(Date.parse(iso) + 7 * 3_600_000).toISOString().replace('Z', '+07:00');

type Answer = 'Accepted' | 'Occupied' | 'Faulted' | 'Unavailable' | 'Rejected' | 'silence' | 'CallError';

/** A charge point that answers ReserveNow and CancelReservation as the test sets, and records them. */
function scriptedChargePoint(client: TestChargePoint) {
  const script = { reserve: 'Accepted' as Answer, cancel: 'Accepted' as Answer };
  const received: { action: string; params: unknown }[] = [];
  client.handle(async ({ method, params }) => {
    received.push({ action: method ?? '', params });
    const answer = method === 'ReserveNow' ? script.reserve : script.cancel;
    if (answer === 'silence') return new Promise(() => {});
    if (answer === 'CallError') throw ocppRpc.createRPCError('InternalError', 'reservation store broken');
    return { status: answer };
  });
  return { script, received };
}

const ofType = <T extends DomainEvent['type']>(events: DomainEvent[], type: T) =>
  events.filter((event): event is Extract<DomainEvent, { type: T }> => event.type === type);

describe.each(DIALECTS)('reservations on %s', (dialect) => {
  const app = useTestApp(dialect, {
    env: { OCPP_UNKNOWN_STATIONS: 'accept', OCPP_CALL_TIMEOUT_MS: '400' },
    reservationExpiryIntervalMs: 100,
  });
  let cp: TestChargePoint;
  let other: TestChargePoint;
  let station: ReturnType<typeof scriptedChargePoint>;

  beforeAll(async () => {
    for (const tag of [
      { idTag: 'PARENT' },
      { idTag: 'CHILD', parentIdTag: 'PARENT' },
      { idTag: 'SIBLING', parentIdTag: 'PARENT' },
      { idTag: 'STRANGER' },
      { idTag: 'ALICE' },
      { idTag: 'BOB' },
      { idTag: 'CAROL' },
    ]) {
      expect((await app.request('POST', '/api/id-tags', { token: app.admin, body: tag })).status).toBe(201);
    }
    ({ client: cp } = await bootChargePoint(app.url, 'RSV-1'));
    station = scriptedChargePoint(cp);
    ({ client: other } = await bootChargePoint(app.url, 'RSV-2'));
    scriptedChargePoint(other);
    await app.request('POST', '/api/stations', {
      token: app.admin,
      body: { chargePointId: 'RSV-OFF', name: 'Off' },
    });
  });
  afterAll(async () => {
    // A ReserveNow it never answered would hold a graceful close.
    await cp?.close({ force: true });
    await other?.close({ force: true });
  });

  const reserve = (body: Record<string, unknown>, token = app.admin) =>
    app.request('POST', '/api/reservations', { token, body });
  const valid = (fields: Record<string, unknown> = {}) => ({
    chargePointId: 'RSV-1',
    connectorId: 1,
    idTag: 'ALICE',
    expiryDate: inMs(3_600_000),
    ...fields,
  });
  const get = async (id: number, token = app.admin) =>
    (await app.request('GET', `/api/reservations/${id}`, { token })).body;
  const cancel = (id: number, token = app.admin) =>
    app.request('DELETE', `/api/reservations/${id}`, { token });
  const activeIds = async () =>
    (
      await app.request('GET', '/api/reservations?status=active&limit=1000', { token: app.admin })
    ).body.items.map((r: { reservationId: number }) => r.reservationId);
  const endedEvents = (reservationId: number) =>
    ofType(app.publishedEvents, 'ReservationCancelled').filter((e) => e.reservationId === reservationId);
  const startTransaction = (params: Record<string, unknown>) =>
    cp.call('StartTransaction', {
      meterStart: 0,
      timestamp: new Date().toISOString(),
      ...params,
    }) as Promise<{
      transactionId: number;
      idTagInfo: { status: string };
    }>;

  it('reserves, lists, cancels: ReserveNow and CancelReservation on the wire, events for both', async () => {
    const expiryDate = inMs(3_600_000);
    const created = await reserve({
      ...valid({ expiryDate: asWib(expiryDate) }),
      userName: 'Budi Santoso',
      phoneNumber: '+6281234567890',
    });
    expect(created.status, created.text).toBe(201);
    const { reservationId } = created.body;
    expect(created.body).toMatchObject({
      reservationId: expect.any(Number),
      status: 'Accepted',
      chargePointId: 'RSV-1',
      connectorId: 1,
      idTag: 'ALICE',
      parentIdTag: null,
      expiryDate,
      userName: 'Budi Santoso',
      phoneNumber: '+6281234567890',
    });
    expect(station.received.at(-1)).toEqual({
      action: 'ReserveNow',
      params: { connectorId: 1, expiryDate, idTag: 'ALICE', reservationId },
    });
    expect(ofType(app.publishedEvents, 'ReservationCreated').at(-1)).toEqual({
      type: 'ReservationCreated',
      reservationId,
      chargePointId: 'RSV-1',
      connectorId: 1,
      idTag: 'ALICE',
      expiryDate,
      userName: 'Budi Santoso',
      phoneNumber: '+6281234567890',
    });

    const list = await app.request('GET', '/api/reservations?status=active&chargePointId=RSV-1', {
      token: app.admin,
    });
    expect(list.status).toBe(200);
    expect(list.body.items[0]).toMatchObject({
      reservationId,
      status: 'active',
      createdBy: expect.any(Number),
    });
    expect(list.body.total).toBeGreaterThanOrEqual(1);
    expect(await get(reservationId)).toMatchObject({ reservationId, status: 'active' });

    const cancelled = await cancel(reservationId);
    expect(cancelled.status, cancelled.text).toBe(200);
    expect(cancelled.body).toMatchObject({ reservationId, status: 'cancelled' });
    expect(station.received.at(-1)).toEqual({ action: 'CancelReservation', params: { reservationId } });
    expect(endedEvents(reservationId)).toEqual([
      {
        type: 'ReservationCancelled',
        reservationId,
        chargePointId: 'RSV-1',
        connectorId: 1,
        reason: 'User cancelled',
      },
    ]);
    expect(await get(reservationId)).toMatchObject({ status: 'cancelled' });
    expect(await activeIds()).not.toContain(reservationId);

    const again = await cancel(reservationId);
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ code: 'CONFLICT', details: { status: 'cancelled' } });
  });

  it('lists newest first, pages, and filters by status', async () => {
    const first = (await reserve(valid({ connectorId: 2 }))).body.reservationId as number;
    const second = (await reserve(valid({ connectorId: 3 }))).body.reservationId as number;
    const page = await app.request('GET', '/api/reservations?limit=1', { token: app.admin });
    expect(page.body.items.map((r: { reservationId: number }) => r.reservationId)).toEqual([second]);
    const next = await app.request('GET', '/api/reservations?limit=1&offset=1', { token: app.admin });
    expect(next.body.items.map((r: { reservationId: number }) => r.reservationId)).toEqual([first]);
    expect(page.body.total).toBe(next.body.total);
    const cancelledOnly = await app.request('GET', '/api/reservations?status=cancelled', {
      token: app.admin,
    });
    expect(cancelledOnly.body.items.every((r: { status: string }) => r.status === 'cancelled')).toBe(true);
    expect((await app.request('GET', '/api/reservations?status=lost', { token: app.admin })).status).toBe(
      400,
    );
    for (const id of [first, second]) expect((await cancel(id)).status).toBe(200);
  });

  it.each(['Occupied', 'Faulted', 'Unavailable', 'Rejected'] as const)(
    'answers 409 RESERVATION_REFUSED when the charge point answers %s, and keeps nothing active',
    async (answer) => {
      station.script.reserve = answer;
      const created = ofType(app.publishedEvents, 'ReservationCreated').length;
      try {
        const response = await reserve(valid());
        expect(response.status).toBe(409);
        expect(response.body.error).toMatchObject({
          code: 'RESERVATION_REFUSED',
          details: { status: answer },
        });
        const { reservationId } = response.body.error.details;
        expect(await get(reservationId)).toMatchObject({ status: 'refused' });
        expect(await activeIds()).not.toContain(reservationId);
        expect(ofType(app.publishedEvents, 'ReservationCreated').length).toBe(created);
      } finally {
        station.script.reserve = 'Accepted';
      }
    },
  );

  it('answers 504 when ReserveNow gets no answer and 502 for a CallError, leaving nothing active', async () => {
    const before = await activeIds();
    station.script.reserve = 'silence';
    try {
      const timeout = await reserve(valid());
      expect(timeout.status).toBe(504);
      expect(timeout.body.error.code).toBe('STATION_TIMEOUT');
      station.script.reserve = 'CallError';
      const callError = await reserve(valid());
      expect(callError.status).toBe(502);
      expect(callError.body.error).toMatchObject({
        code: 'OCPP_CALL_ERROR',
        details: { ocppErrorCode: 'InternalError' },
      });
    } finally {
      station.script.reserve = 'Accepted';
    }
    expect(await activeIds()).toEqual(before);
    const failed = await app.request('GET', '/api/reservations?status=failed', { token: app.admin });
    expect(failed.body.total).toBe(2);
  });

  it('keeps the reservation active when the charge point rejects CancelReservation', async () => {
    const { reservationId } = (await reserve(valid())).body;
    station.script.cancel = 'Rejected';
    try {
      const response = await cancel(reservationId);
      expect(response.status).toBe(409);
      expect(response.body.error).toMatchObject({
        code: 'RESERVATION_REFUSED',
        details: { status: 'Rejected' },
      });
      expect(await get(reservationId)).toMatchObject({ status: 'active' });
      expect(endedEvents(reservationId)).toEqual([]);
    } finally {
      station.script.cancel = 'Accepted';
    }
    expect((await cancel(reservationId)).status).toBe(200);
  });

  it('carries the tag’s parentIdTag in ReserveNow when it has one', async () => {
    const response = await reserve(valid({ idTag: 'CHILD', connectorId: 0 }));
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ idTag: 'CHILD', parentIdTag: 'PARENT', connectorId: 0 });
    expect(station.received.at(-1)?.params).toMatchObject({
      idTag: 'CHILD',
      parentIdTag: 'PARENT',
      connectorId: 0,
    });
    expect((await cancel(response.body.reservationId)).status).toBe(200);
    // A tag not in the id tag table can be reserved for too; it has no parent to send.
    const unknown = await reserve(valid({ idTag: 'VISITOR' }));
    expect(unknown.status).toBe(201);
    expect(station.received.at(-1)?.params).not.toHaveProperty('parentIdTag');
    expect((await cancel(unknown.body.reservationId)).status).toBe(200);
  });

  it.each([
    ['a phone number not in E.164', { phoneNumber: '081234567890' }, 'phoneNumber'],
    ['a phone number with a leading zero country code', { phoneNumber: '+0812345678' }, 'phoneNumber'],
    ['a too long phone number', { phoneNumber: '+62812345678901234' }, 'phoneNumber'],
    ['an expiry in the past', { expiryDate: inMs(-60_000) }, 'expiryDate'],
    ['an expiry that is no date-time', { expiryDate: 'tomorrow' }, 'expiryDate'],
    ['a negative connector', { connectorId: -1 }, 'connectorId'],
    ['a fractional connector', { connectorId: 1.5 }, 'connectorId'],
    ['a connector given as text', { connectorId: '1' }, 'connectorId'],
    ['an id tag over 20 characters', { idTag: 'X'.repeat(21) }, 'idTag'],
    ['an empty id tag', { idTag: '' }, 'idTag'],
    ['a user name over 100 characters', { userName: 'n'.repeat(101) }, 'userName'],
    ['an unknown field', { colour: 'blue' }, 'colour'],
  ])('refuses %s with 400 naming the field, sending nothing', async (_case, fields, field) => {
    const sent = station.received.length;
    const response = await reserve(valid(fields));
    expect(response.status, response.text).toBe(400);
    expect(response.body.error.code).toBe('VALIDATION_ERROR');
    expect(response.body.error.details.fields).toContain(field);
    expect(station.received.length).toBe(sent);
  });

  it.each(['chargePointId', 'connectorId', 'idTag', 'expiryDate'])(
    'refuses a reservation without %s with 400 naming it',
    async (field) => {
      const body: Record<string, unknown> = valid();
      delete body[field];
      const response = await reserve(body);
      expect(response.status).toBe(400);
      expect(response.body.error.details.fields).toEqual([field]);
    },
  );

  it('answers 401 without a token, 403 without reservations.manage, 404 for unknown things, 409 offline', async () => {
    expect((await app.request('GET', '/api/reservations')).status).toBe(401);
    expect((await app.request('POST', '/api/reservations', { body: valid() })).status).toBe(401);
    expect((await app.request('DELETE', '/api/reservations/1')).status).toBe(401);

    const viewer = await userToken(app, app.admin, { username: 'rsv-viewer', roles: ['viewer'] });
    const { reservationId } = (await reserve(valid())).body;
    expect((await app.request('GET', '/api/reservations', { token: viewer })).status).toBe(200);
    expect((await get(reservationId, viewer)).status).toBe('active');
    const forbidden = await reserve(valid(), viewer);
    expect(forbidden.status).toBe(403);
    expect(forbidden.body.error.code).toBe('PERMISSION_REQUIRED');
    expect((await cancel(reservationId, viewer)).status).toBe(403);
    expect(await get(reservationId)).toMatchObject({ status: 'active' });
    expect((await cancel(reservationId)).status).toBe(200);

    const unknownStation = await reserve(valid({ chargePointId: 'NOPE' }));
    expect(unknownStation.status).toBe(404);
    expect(unknownStation.body.error.code).toBe('NOT_FOUND');
    expect((await app.request('GET', '/api/reservations/999999', { token: app.admin })).status).toBe(404);
    expect((await cancel(999_999)).status).toBe(404);

    const before = (await app.request('GET', '/api/reservations', { token: app.admin })).body.total;
    const offline = await reserve(valid({ chargePointId: 'RSV-OFF' }));
    expect(offline.status).toBe(409);
    expect(offline.body.error.code).toBe('STATION_OFFLINE');
    expect((await app.request('GET', '/api/reservations', { token: app.admin })).body.total).toBe(before);
  });

  it('shows a user limited to some stations only the reservations there', async () => {
    const local = await userToken(app, app.admin, {
      username: 'rsv-local',
      roles: ['operator'],
      allowedStations: ['RSV-2'],
    });
    const mine = await reserve(valid({ chargePointId: 'RSV-2' }), local);
    expect(mine.status, mine.text).toBe(201);
    const theirs = (await reserve(valid())).body.reservationId as number;

    const list = await app.request('GET', '/api/reservations?limit=1000', { token: local });
    expect(list.body.items.map((r: { chargePointId: string }) => r.chargePointId)).toEqual(['RSV-2']);
    expect(list.body.total).toBe(1);
    const filtered = await app.request('GET', '/api/reservations?chargePointId=RSV-1', { token: local });
    expect(filtered.body).toEqual({ items: [], total: 0 });
    expect((await app.request('GET', `/api/reservations/${theirs}`, { token: local })).status).toBe(404);
    expect((await cancel(theirs, local)).status).toBe(404);
    expect((await reserve(valid(), local)).status).toBe(404);
    expect(await get(theirs)).toMatchObject({ status: 'active' });

    expect((await cancel(mine.body.reservationId, local)).status).toBe(200);
    expect((await cancel(theirs)).status).toBe(200);
  });

  it('shows a user limited to a site the reservations at that site’s stations', async () => {
    const site = await app.request('POST', '/api/sites', {
      token: app.admin,
      body: { name: 'Reserved mall' },
    });
    expect(site.status).toBe(201);
    expect(
      (
        await app.request('PATCH', '/api/stations/RSV-2', {
          token: app.admin,
          body: { siteId: site.body.id },
        })
      ).status,
    ).toBe(200);
    const bySite = await userToken(app, app.admin, {
      username: 'rsv-site',
      roles: ['operator'],
      allowedSites: [site.body.id],
    });
    const here = await reserve(valid({ chargePointId: 'RSV-2' }), bySite);
    expect(here.status, here.text).toBe(201);
    const elsewhere = (await reserve(valid())).body.reservationId as number;
    const list = await app.request('GET', '/api/reservations?status=active&limit=1000', { token: bySite });
    expect(list.body.items.map((r: { reservationId: number }) => r.reservationId)).toEqual([
      here.body.reservationId,
    ]);
    expect(
      (await app.request('GET', `/api/reservations/${here.body.reservationId}`, { token: bySite })).status,
    ).toBe(200);
    expect((await app.request('GET', `/api/reservations/${elsewhere}`, { token: bySite })).status).toBe(404);
    expect((await cancel(here.body.reservationId, bySite)).status).toBe(200);
    expect((await cancel(elsewhere)).status).toBe(200);
  });

  it('admits only the reserved tag or its parent’s tags on a reserved connector, and uses the reservation', async () => {
    const { reservationId } = (await reserve(valid({ connectorId: 1, idTag: 'CHILD' }))).body;

    // Authorize does not know about reservations.
    expect(await cp.call('Authorize', { idTag: 'STRANGER' })).toMatchObject({
      idTagInfo: { status: 'Accepted' },
    });
    const stranger = await startTransaction({ connectorId: 1, idTag: 'STRANGER' });
    expect(stranger.transactionId).toBeGreaterThan(0);
    expect(stranger.idTagInfo.status).toBe('Invalid');
    expect(await get(reservationId)).toMatchObject({ status: 'active', transactionId: null });

    const request = { connectorId: 1, idTag: 'SIBLING', reservationId, timestamp: new Date().toISOString() };
    const sibling = await startTransaction(request);
    expect(sibling.idTagInfo.status).toBe('Accepted');
    expect(await get(reservationId)).toMatchObject({ status: 'used', transactionId: sibling.transactionId });
    const transaction = await app.request('GET', `/api/transactions/${sibling.transactionId}`, {
      token: app.admin,
    });
    expect(transaction.body.reservationId).toBe(reservationId);

    // A retry after a lost answer: the same transaction, the same answer, no second event.
    const retry = await startTransaction(request);
    expect(retry).toEqual(sibling);
    expect(endedEvents(reservationId)).toEqual([
      { type: 'ReservationCancelled', reservationId, chargePointId: 'RSV-1', connectorId: 1, reason: 'Used' },
    ]);
    expect(await activeIds()).not.toContain(reservationId);
  });

  it('reserves the whole station with connector 0 for the tag itself', async () => {
    const { reservationId } = (await reserve(valid({ connectorId: 0, idTag: 'BOB' }))).body;
    const stranger = await startTransaction({ connectorId: 2, idTag: 'CAROL' });
    expect(stranger.idTagInfo.status).toBe('Invalid');
    expect(await get(reservationId)).toMatchObject({ status: 'active' });
    const bob = await startTransaction({ connectorId: 3, idTag: 'BOB' });
    expect(bob.idTagInfo.status).toBe('Accepted');
    expect(await get(reservationId)).toMatchObject({ status: 'used', transactionId: bob.transactionId });
    expect(endedEvents(reservationId).map((e) => e.reason)).toEqual(['Used']);
  });

  it('expires a reservation by itself soon after its expiryDate', async () => {
    const response = await reserve(valid({ connectorId: 4, expiryDate: inMs(1_000) }));
    expect(response.status).toBe(201);
    const { reservationId } = response.body;
    expect(await get(reservationId)).toMatchObject({ status: 'active' });
    await eventually(async () => (await get(reservationId)).status === 'expired', 5_000);
    expect(endedEvents(reservationId)).toEqual([
      {
        type: 'ReservationCancelled',
        reservationId,
        chargePointId: 'RSV-1',
        connectorId: 4,
        reason: 'Expired',
      },
    ]);
    const late = await cancel(reservationId);
    expect(late.status).toBe(409);
    expect(late.body.error.details.status).toBe('expired');
  });
});

describe.each(DIALECTS)('reservation expiry across a restart on %s', (dialect) => {
  const database = useTestDatabase(dialect);

  it('expires, on start, a reservation whose expiryDate passed while the server was down', async () => {
    // An hour between runs: only the run at start can expire it in time.
    const settings = { databaseUrl: database.url, env: { OCPP_UNKNOWN_STATIONS: 'accept' } };
    const first = await startTestApp({ ...settings, reservationExpiryIntervalMs: 3_600_000 });
    const { client } = await bootChargePoint(first.url, 'RSV-R');
    client.handle('ReserveNow', async () => ({ status: 'Accepted' }));
    const token = (await first.login()).token;
    const expiryDate = inMs(1_500);
    const created = await first.request('POST', '/api/reservations', {
      token,
      body: { chargePointId: 'RSV-R', connectorId: 1, idTag: 'ALICE', expiryDate },
    });
    expect(created.status, created.text).toBe(201);
    const { reservationId } = created.body;
    await client.close();
    await first.close();

    await new Promise((resolve) => setTimeout(resolve, Date.parse(expiryDate) - Date.now() + 100));
    const second = await startTestApp({ ...settings, reservationExpiryIntervalMs: 3_600_000 });
    try {
      await eventually(() =>
        second.publishedEvents.some(
          (e) => e.type === 'ReservationCancelled' && e.reservationId === reservationId,
        ),
      );
      expect(ofType(second.publishedEvents, 'ReservationCancelled')).toEqual([
        {
          type: 'ReservationCancelled',
          reservationId,
          chargePointId: 'RSV-R',
          connectorId: 1,
          reason: 'Expired',
        },
      ]);
      const after = await second.request('GET', `/api/reservations/${reservationId}`, {
        token: (await second.login()).token,
      });
      expect(after.body).toMatchObject({ status: 'expired', expiryDate });
    } finally {
      await second.close();
    }
  });
});
