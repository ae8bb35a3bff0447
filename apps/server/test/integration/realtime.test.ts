import { beforeAll, describe, expect, it } from 'vitest';
import { SimulatedChargePoint } from '@cimorings/simulator';
import { useRealtime } from '../support/use-realtime.js';
import { userToken as createUserToken } from '../support/builders.js';
import { useTestApp } from '../support/use-test-app.js';
import { ocppUrl } from '../support/ocpp-client.js';
import { connectSocket, join, leave, recorder } from '../support/realtime-client.js';

const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** Asserts a payload has exactly these fields with these types ('number|null' allowed). */
function expectShape(payload: Record<string, unknown>, shape: Record<string, string>) {
  expect(Object.keys(payload).sort()).toEqual(Object.keys(shape).sort());
  for (const [field, type] of Object.entries(shape)) {
    const value = payload[field];
    const allowed = type.split('|');
    const actual = value === null ? 'null' : typeof value;
    expect(allowed, `${field} is ${actual}`).toContain(
      actual === 'string' && allowed.includes('iso') ? 'iso' : actual,
    );
    if (allowed.includes('iso') && value !== null) expect(value).toMatch(ISO_UTC);
  }
}

/** What every station event carries besides its own fields: the station, and when. */
const STATION_EVENT = { chargePointId: 'string', timestamp: 'iso' };

describe('the real-time API', () => {
  const app = useTestApp('sqlite', { env: { OCPP_UNKNOWN_STATIONS: 'accept' } });
  const { sockets, stations, open } = useRealtime(app);
  const station = async (
    id: string,
    options: Partial<ConstructorParameters<typeof SimulatedChargePoint>[0]> = {},
  ) => {
    const cp = new SimulatedChargePoint({ id, url: ocppUrl(app.url), meterIntervalMs: 60_000, ...options });
    stations.push(cp);
    await cp.start();
    await cp.waitFor('accepted');
    return cp;
  };
  const userToken = (username: string, roles: string[], allowedStations: string[] | null = null) =>
    createUserToken(app, app.admin, { username, roles, allowedStations });
  /** An administrator's client in `room`, recording what it receives from then on. */
  const listen = async (room: string) => {
    const socket = await open(app.admin);
    await join(socket, room);
    return { socket, events: recorder(socket) };
  };

  beforeAll(async () => {
    for (const idTag of ['SIMTAG', 'TAG-A', 'TAG-B']) {
      await app.request('POST', '/api/id-tags', { token: app.admin, body: { idTag, allowConcurrent: true } });
    }
  });

  describe('handshake', () => {
    it.each([
      ['no token', undefined],
      ['a malformed token', 'not-a-token'],
      ['a forged token', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIiwidHYiOjB9.c2lnbmF0dXJl'],
    ])('refuses %s with connect_error Unauthorized', async (_case, token) => {
      await expect(connectSocket(app.url, token)).rejects.toMatchObject({ message: 'Unauthorized' });
    });

    it('accepts the REST token in auth.token, or in an Authorization header', async () => {
      const socket = await open(app.admin);
      expect(socket.connected).toBe(true);
      const viaHeader = await connectSocket(app.url, undefined, {
        headers: { authorization: `Bearer ${app.admin}` },
      });
      sockets.push(viaHeader);
      expect(viaHeader.connected).toBe(true);
    });
  });

  describe('rooms', () => {
    it('joins and leaves the public rooms with acknowledgements', async () => {
      const socket = await open(app.admin);
      for (const room of ['dashboard', 'transactions', 'reservations', 'station_ANY-1']) {
        expect(await join(socket, room)).toEqual({ ok: true });
        expect(await leave(socket, room)).toEqual({ ok: true });
      }
    });

    it('refuses unknown rooms and bad payloads', async () => {
      const socket = await open(app.admin);
      expect(await join(socket, 'everything')).toEqual({ ok: false, error: 'UNKNOWN_ROOM' });
      expect(await join(socket, 'station_')).toEqual({ ok: false, error: 'UNKNOWN_ROOM' });
      expect(await join(socket, 'dashboard|stations|*')).toEqual({ ok: false, error: 'UNKNOWN_ROOM' });
      expect(await join(socket, 42)).toEqual({ ok: false, error: 'INVALID_PAYLOAD' });
      expect(await socket.timeout(5000).emitWithAck('join_room', 'dashboard')).toEqual({
        ok: false,
        error: 'INVALID_PAYLOAD',
      });
      expect(await socket.timeout(5000).emitWithAck('join_room', null)).toEqual({
        ok: false,
        error: 'INVALID_PAYLOAD',
      });
      expect(socket.connected).toBe(true);
    });

    it('needs the view permission of a room, and access to a station for its room', async () => {
      const role = await app.request('POST', '/api/roles', {
        token: app.admin,
        body: { name: 'station-watch', permissions: ['stations.view'] },
      });
      expect(role.status).toBe(201);
      const watcher = await open(await userToken('watch1', ['station-watch'], ['RT-A']));
      expect(await join(watcher, 'dashboard')).toEqual({ ok: true });
      expect(await join(watcher, 'transactions')).toEqual({ ok: false, error: 'FORBIDDEN' });
      expect(await join(watcher, 'reservations')).toEqual({ ok: false, error: 'FORBIDDEN' });
      expect(await join(watcher, 'station_RT-A')).toEqual({ ok: true });
      expect(await join(watcher, 'station_RT-B')).toEqual({ ok: false, error: 'FORBIDDEN' });
    });
  });

  describe('events', () => {
    it('sends each station event with exactly the document’s fields and types', async () => {
      const { events } = await listen('dashboard');
      const cp = await station('RT-SHAPE', { meterIntervalMs: 100 });
      const session = await cp.startSession(1, 'TAG-A');
      expect(session.started).toBe(true);
      const [started] = await events.waitFor('transaction_started');
      const [meter] = await events.waitFor('meter_values_updated');
      await cp.stopSession(1, 'Remote');
      const [stopped] = await events.waitFor('transaction_stopped');
      const [connector] = await events.waitFor('connector_status_updated');
      const [stationStatus] = await events.waitFor('station_status_updated');

      expectShape(started!, {
        ...STATION_EVENT,
        transactionId: 'number',
        connectorId: 'number',
        idTag: 'string',
        meterStart: 'number',
      });
      expect(started).toMatchObject({ chargePointId: 'RT-SHAPE', connectorId: 1, idTag: 'TAG-A' });
      expectShape(meter!, {
        ...STATION_EVENT,
        transactionId: 'number',
        connectorId: 'number',
        energy: 'number|null',
        power: 'number|null',
        soc: 'number|null',
      });
      expect(meter!.transactionId).toBe(started!.transactionId);
      // The simulator reports energy and power at the outlet and SoC at the EV, as chargers do.
      expect(meter).toMatchObject({
        energy: expect.any(Number),
        power: expect.any(Number),
        soc: expect.any(Number),
      });
      expectShape(stopped!, {
        ...STATION_EVENT,
        transactionId: 'number',
        meterStop: 'number',
        reason: 'string',
      });
      expect(stopped).toMatchObject({ transactionId: started!.transactionId, reason: 'Remote' });
      expectShape(connector!, {
        ...STATION_EVENT,
        connectorId: 'number',
        status: 'string',
        errorCode: 'string',
      });
      expectShape(stationStatus!, { ...STATION_EVENT, status: 'string' });
      expect(['Available', 'Occupied', 'Reserved', 'Unavailable', 'Faulted']).toContain(
        stationStatus!.status,
      );
    });

    it('sends reservation events with the document’s fields, only to those who may see reservations', async () => {
      const manager = await open(app.admin);
      await join(manager, 'reservations');
      const stationsOnly = await open(await userToken('watch2', ['station-watch']));
      await join(stationsOnly, 'dashboard');
      const managerEvents = recorder(manager);
      const stationEvents = recorder(stationsOnly);
      app.events.publish({
        type: 'ReservationCreated',
        reservationId: 5,
        chargePointId: 'RT-A',
        connectorId: 1,
        idTag: 'TAG-A',
        expiryDate: '2026-01-11T16:00:00.000Z',
        userName: 'John Doe',
        phoneNumber: '+6281234567890',
      });
      app.events.publish({
        type: 'ReservationCancelled',
        reservationId: 5,
        chargePointId: 'RT-A',
        connectorId: 1,
        reason: 'User cancelled',
      });
      const [created] = await managerEvents.waitFor('reservation_created');
      const [cancelled] = await managerEvents.waitFor('reservation_cancelled');
      expectShape(created!, {
        reservationId: 'number',
        chargePointId: 'string',
        connectorId: 'number',
        idTag: 'string',
        expiryDate: 'iso',
        userName: 'string|null',
        phoneNumber: 'string|null',
      });
      expectShape(cancelled!, {
        reservationId: 'number',
        chargePointId: 'string',
        connectorId: 'number',
        reason: 'string',
      });
      expect(stationEvents.of('reservation_created')).toEqual([]);
    });

    it('sends room events only to the room: transactions gets no status events', async () => {
      const { events } = await listen('transactions');
      const cp = await station('RT-ROOM');
      await cp.startSession(1, 'TAG-B');
      await events.waitFor('transaction_started');
      await cp.stopSession(1);
      await events.waitFor('transaction_stopped');
      expect(events.of('connector_status_updated')).toEqual([]);
      expect(events.of('station_status_updated')).toEqual([]);
    });

    it('stops sending a room’s events after leave_room', async () => {
      const { socket, events } = await listen('station_RT-LEAVE');
      const cp = await station('RT-LEAVE');
      await events.waitFor('connector_status_updated');
      await leave(socket, 'station_RT-LEAVE');
      const before = events.received.length;
      await cp.setConnectorStatus(1, 'Unavailable');
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(events.received.length).toBe(before);
    });

    it('sends one copy of an event to a client in several rooms that carry it', async () => {
      const socket = await open(app.admin);
      await join(socket, 'dashboard');
      await join(socket, 'transactions');
      await join(socket, 'station_RT-ONCE');
      const events = recorder(socket);
      const cp = await station('RT-ONCE');
      await cp.startSession(2, 'TAG-B');
      await events.waitFor('transaction_started');
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(events.of('transaction_started')).toHaveLength(1);
      await cp.stopSession(2);
    });
  });
});
