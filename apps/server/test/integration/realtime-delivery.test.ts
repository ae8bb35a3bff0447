import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io } from 'socket.io-client';
import { SimulatedChargePoint } from '@cimorings/simulator';
import { SocketService } from '@cimorings/contracts/socket-service';
import { createTestDatabase, SHARED_DIALECTS, type TestDatabase } from '../support/databases.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { connectChargePoint, eventually, ocppUrl } from '../support/ocpp-client.js';
import { connectSocket, join, recorder, type TestSocket } from '../support/realtime-client.js';

describe('real-time delivery', () => {
  let database: TestDatabase;
  let app: TestApp;
  let admin: string;
  const sockets: TestSocket[] = [];
  const stations: SimulatedChargePoint[] = [];

  const open = async (token: string) => {
    const socket = await connectSocket(app.url, token);
    sockets.push(socket);
    return socket;
  };
  const userToken = async (username: string, roles: string[], allowedStations: string[] | null = null) => {
    await app.request('POST', '/api/users', {
      token: admin,
      body: { username, password: `${username}-password-1`, roles, allowedStations },
    });
    return (await app.login(username, `${username}-password-1`)).token;
  };

  beforeAll(async () => {
    database = await createTestDatabase('sqlite');
    app = await startTestApp({ databaseUrl: database.url, env: { OCPP_UNKNOWN_STATIONS: 'accept' } });
    admin = (await app.login()).token;
    await app.request('POST', '/api/id-tags', {
      token: admin,
      body: { idTag: 'SIMTAG', allowConcurrent: true },
    });
  });
  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await Promise.all(stations.map((cp) => cp.stop({ stopSessions: false })));
    await app?.close();
    await database?.drop();
  });

  it('never sends a scoped client an event of a station outside its scope, over a busy run', async () => {
    const scoped = await open(await userToken('scoped-op', ['operator'], ['BUSY-1', 'BUSY-3']));
    for (const room of ['dashboard', 'transactions', 'reservations'])
      expect(await join(scoped, room)).toEqual({ ok: true });
    expect(await join(scoped, 'station_BUSY-2')).toEqual({ ok: false, error: 'FORBIDDEN' });
    const everything = await open(admin);
    await join(everything, 'dashboard');
    const mine = recorder(scoped);
    const all = recorder(everything);

    const ids = ['BUSY-1', 'BUSY-2', 'BUSY-3', 'BUSY-4'];
    const cps = ids.map(
      (id) => new SimulatedChargePoint({ id, url: ocppUrl(app.url), meterIntervalMs: 50, connectors: 2 }),
    );
    stations.push(...cps);
    await Promise.all(cps.map(async (cp) => (await cp.start(), await cp.waitFor('accepted'))));
    await Promise.all(cps.flatMap((cp) => [cp.startSession(1), cp.startSession(2)]));
    await new Promise((resolve) => setTimeout(resolve, 600));
    await Promise.all(cps.flatMap((cp) => [cp.stopSession(1), cp.stopSession(2)]));
    await all.waitFor('transaction_stopped', 8);
    await mine.waitFor('transaction_stopped', 4);

    const stationsSeen = new Set(mine.received.map((r) => r.payload.chargePointId));
    expect([...stationsSeen].sort()).toEqual(['BUSY-1', 'BUSY-3']);
    expect(mine.of('meter_values_updated').length).toBeGreaterThan(4);
    expect(new Set(all.received.map((r) => r.payload.chargePointId))).toEqual(new Set(ids));
  });

  it('keeps the order of one station’s events over 200 rapid meter values', async () => {
    const socket = await open(admin);
    await join(socket, 'station_ORDER-1');
    const events = recorder(socket);
    const cp = await connectChargePoint(app.url, 'ORDER-1');
    await cp.call('BootNotification', { chargePointVendor: 'V', chargePointModel: 'M' });
    const { transactionId } = (await cp.call('StartTransaction', {
      connectorId: 1,
      idTag: 'SIMTAG',
      meterStart: 0,
      timestamp: new Date().toISOString(),
    })) as { transactionId: number };
    // Sent back to back, without waiting for each answer.
    await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        cp.call('MeterValues', {
          connectorId: 1,
          transactionId,
          meterValue: [{ timestamp: new Date().toISOString(), sampledValue: [{ value: String(i + 1) }] }],
        }),
      ),
    );
    const meter = await events.waitFor('meter_values_updated', 200);
    expect(meter.map((m) => m.energy)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    await cp.close();
  });

  it('answers a flooding client RATE_LIMITED and then disconnects it, without slowing another client', async () => {
    const flooder = await open(admin);
    const calm = await open(admin);
    const disconnected = new Promise((resolve) => flooder.once('disconnect', resolve));
    const answers = await Promise.all(
      Array.from({ length: 26 }, () => flooder.timeout(2000).emitWithAck('join_room', { room: 'dashboard' })),
    );
    // A burst of 20 passes; what comes faster than 10 per second after it is refused.
    const accepted = answers.filter((a) => a.ok).length;
    expect(accepted).toBeGreaterThanOrEqual(20);
    expect(accepted).toBeLessThan(26);
    expect(answers).toContainEqual({ ok: false, error: 'RATE_LIMITED' });
    expect(await join(calm, 'dashboard')).toEqual({ ok: true });
    // Keeps on flooding: cut off.
    for (let i = 0; i < 100 && flooder.connected; i++) flooder.emit('join_room', { room: 'dashboard' });
    await disconnected;
    expect(calm.connected).toBe(true);
    const calmEvents = recorder(calm);
    const cp = await connectChargePoint(app.url, 'CALM-1');
    await cp.call('BootNotification', { chargePointVendor: 'V', chargePointModel: 'M' });
    await cp.call('StatusNotification', { connectorId: 1, status: 'Available', errorCode: 'NoError' });
    await calmEvents.waitFor('connector_status_updated');
    await cp.close();
  });

  it('lets the customer document’s own SocketService code receive the events', async () => {
    // The document's code, as written, with a stand-in for its Vuex store.
    const dispatched: [string, unknown][] = [];
    const store = {
      getters: { token: admin },
      dispatch: (action: string, data: unknown) => dispatched.push([action, data]),
    };
    const process = { env: { VUE_APP_SOCKET_URL: app.url } };

    /* eslint-disable */
    class SocketService {
      socket: any;
      constructor() {
        this.socket = null;
      }

      connect() {
        const token = store.getters.token;

        this.socket = io(process.env.VUE_APP_SOCKET_URL || 'http://localhost:3000', {
          auth: {
            token,
          },
        });

        // Setup event listeners
        this.setupListeners();
      }

      setupListeners() {
        // Transaksi events
        this.socket.on('transaction_started', (data: any) => {
          store.dispatch('transactions/addActiveTransaction', data);
          this.showNotification('Transaksi dimulai', `Station ${data.chargePointId}`);
        });

        this.socket.on('transaction_stopped', (data: any) => {
          store.dispatch('transactions/removeActiveTransaction', data.transactionId);
          this.showNotification('Transaksi selesai', `Station ${data.chargePointId}`);
        });

        // Status events
        this.socket.on('station_status_updated', (data: any) => {
          store.dispatch('stations/updateStationStatus', data);
        });

        this.socket.on('connector_status_updated', (data: any) => {
          store.dispatch('stations/updateConnectorStatus', data);
        });

        // Real-time meter values
        this.socket.on('meter_values_updated', (data: any) => {
          store.dispatch('transactions/updateMeterValues', data);
        });

        // Reservasi events
        this.socket.on('reservation_created', (data: any) => {
          store.dispatch('reservations/addReservation', data);
        });

        this.socket.on('reservation_cancelled', (data: any) => {
          store.dispatch('reservations/removeReservation', data.reservationId);
        });
      }

      joinRoom(room: string) {
        if (this.socket) {
          this.socket.emit('join_room', { room });
        }
      }

      leaveRoom(room: string) {
        if (this.socket) {
          this.socket.emit('leave_room', { room });
        }
      }

      disconnect() {
        if (this.socket) {
          this.socket.disconnect();
          this.socket = null;
        }
      }

      showNotification(title: string, message: string) {
        // Implementasi notifikasi (toast, dll)
        console.log(`${title}: ${message}`);
      }
    }
    /* eslint-enable */

    const service = new SocketService();
    service.connect();
    await new Promise((resolve) => service.socket.once('connect', resolve));
    service.joinRoom('dashboard');
    await new Promise((resolve) => setTimeout(resolve, 100));
    const cp = new SimulatedChargePoint({ id: 'DOC-1', url: ocppUrl(app.url), meterIntervalMs: 100 });
    stations.push(cp);
    await cp.start();
    await cp.waitFor('accepted');
    const session = await cp.startSession(1);
    await eventually(() => dispatched.some(([action]) => action === 'transactions/updateMeterValues'));
    await cp.stopSession(1);
    await eventually(() => dispatched.some(([action]) => action === 'transactions/removeActiveTransaction'));
    service.leaveRoom('dashboard');
    service.disconnect();

    const actions = new Set(dispatched.map(([action]) => action));
    for (const action of [
      'transactions/addActiveTransaction',
      'transactions/updateMeterValues',
      'transactions/removeActiveTransaction',
      'stations/updateStationStatus',
      'stations/updateConnectorStatus',
    ]) {
      expect(actions).toContain(action);
    }
    expect(dispatched).toContainEqual([
      'transactions/removeActiveTransaction',
      session.started ? session.transactionId : -1,
    ]);
  });

  it('gives the dashboard a typed SocketService that joins its rooms again after reconnecting', async () => {
    const started: unknown[] = [];
    const service = new SocketService({
      url: app.url,
      token: () => admin,
      handlers: { transaction_started: (payload) => started.push(payload) },
    });
    const socket = service.connect();
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    // WebSocket from the start: no sticky sessions needed behind a load balancer (CONTRACT section 6).
    expect(socket.io.engine.transport.name).toBe('websocket');
    expect(await service.joinRoom('transactions')).toEqual({ ok: true });
    expect(await service.joinRoom('nowhere')).toEqual({ ok: false, error: 'UNKNOWN_ROOM' });
    // The server drops the connection; the client reconnects and joins again by itself.
    socket.io.engine.close();
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    await new Promise((resolve) => setTimeout(resolve, 100));
    const cp = await connectChargePoint(app.url, 'TYPED-1');
    await cp.call('BootNotification', { chargePointVendor: 'V', chargePointModel: 'M' });
    await cp.call('StartTransaction', {
      connectorId: 1,
      idTag: 'SIMTAG',
      meterStart: 5,
      timestamp: new Date().toISOString(),
    });
    await eventually(() => started.length === 1);
    expect(started[0]).toMatchObject({ chargePointId: 'TYPED-1', meterStart: 5 });
    service.disconnect();
    await cp.close();
  });
});

describe('a real-time client whose token expires', () => {
  it('is disconnected by the server at that moment', async () => {
    const database = await createTestDatabase('sqlite');
    const app = await startTestApp({ databaseUrl: database.url, env: { JWT_EXPIRES_IN: '2s' } });
    try {
      const { token } = await app.login();
      const socket = await connectSocket(app.url, token);
      const connectedAt = Date.now();
      const reason = await new Promise((resolve) => socket.once('disconnect', resolve));
      expect(reason).toBe('io server disconnect');
      expect(Date.now() - connectedAt).toBeGreaterThan(1000);
      expect(Date.now() - connectedAt).toBeLessThan(3500);
      await expect(connectSocket(app.url, token)).rejects.toMatchObject({ message: 'Unauthorized' });
    } finally {
      await app.close();
      await database.drop();
    }
  });
});

const redisUrl = process.env.CIMORINGS_TEST_REDIS;

// Declared only when Redis is there to test against, so that no test is ever reported skipped.
if (redisUrl && SHARED_DIALECTS.length > 0) {
  // REDIS_URL needs PostgreSQL (SQLite with it is refused at start).
  describe.each(SHARED_DIALECTS)('two nodes sharing Redis and the %s database', (dialect) => {
    it('deliver an event from a station on one node to a dashboard on the other', async () => {
      const database = await createTestDatabase(dialect);
      const env = {
        REDIS_URL: /^rediss?:\/\//.test(redisUrl) ? redisUrl : 'redis://127.0.0.1:6379',
        JWT_SECRET: randomBytes(32).toString('hex'),
        OCPP_UNKNOWN_STATIONS: 'accept',
      };
      const nodeA = await startTestApp({ databaseUrl: database.url, env });
      const nodeB = await startTestApp({ databaseUrl: database.url, env });
      try {
        const { token } = await nodeA.login();
        const socket = await connectSocket(nodeB.url, token);
        expect(await join(socket, 'dashboard')).toEqual({ ok: true });
        const events = recorder(socket);
        const id = `NODE-${randomBytes(3).toString('hex')}`;
        const cp = await connectChargePoint(nodeA.url, id);
        await cp.call('BootNotification', { chargePointVendor: 'V', chargePointModel: 'M' });
        await cp.call('StatusNotification', { connectorId: 1, status: 'Charging', errorCode: 'NoError' });
        const [status] = await events.waitFor('connector_status_updated');
        expect(status).toMatchObject({ chargePointId: id, connectorId: 1, status: 'Charging' });
        socket.close();
        await cp.close();
      } finally {
        await nodeA.close();
        await nodeB.close();
        await database.drop();
      }
    });
  });
}
