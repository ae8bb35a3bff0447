import { randomBytes } from 'node:crypto';
import { io, type ManagerOptions, type Socket, type SocketOptions } from 'socket.io-client';
import { describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { loadConfig } from '../../src/config.js';
import { openDatabase } from '../../src/db/connect.js';
import type { RealtimeSettings } from '../../src/realtime/io.js';
import { createTestDatabase, SHARED_DIALECTS, type TestDatabase } from '../support/databases.js';
import { eventually } from '../support/ocpp-client.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const redisUrl = process.env.CIMORINGS_TEST_REDIS;

const setups: { name: string; dialect: 'sqlite' | 'postgres'; env: Record<string, string> }[] = [
  { name: 'one node', dialect: 'sqlite', env: {} },
  ...(redisUrl
    ? SHARED_DIALECTS.map((dialect) => ({
        name: 'two nodes sharing Redis',
        dialect,
        env: {
          REDIS_URL: /^rediss?:\/\//.test(redisUrl) ? redisUrl : 'redis://127.0.0.1:6379',
          JWT_SECRET: randomBytes(32).toString('hex'),
        },
      }))
    : []),
];

const status = (chargePointId: string, value: string) => ({
  type: 'StationStatusChanged' as const,
  chargePointId,
  status: value as 'Available',
  timestamp: new Date().toISOString(),
});

/** A dashboard client in the dashboard room, and the statuses station_status_updated brought it. */
interface Dashboard {
  client: Socket;
  seen: string[];
}
type OpenDashboard = (
  node: TestApp,
  token: string,
  options: Partial<ManagerOptions & SocketOptions>,
) => Promise<Dashboard>;

/**
 * Node A and node B (A itself without Redis) on a fresh database, closed after `work`, and a way
 * to open dashboard clients (socket.io `options` added), closed before the nodes.
 */
async function withNodes(
  dialect: 'sqlite' | 'postgres',
  env: Record<string, string>,
  work: (nodeA: TestApp, nodeB: TestApp, open: OpenDashboard, database: TestDatabase) => Promise<void>,
  realtimeSettings: Partial<RealtimeSettings> = {},
): Promise<void> {
  const database = await createTestDatabase(dialect);
  const options = { databaseUrl: database.url, env, realtimeSettings };
  const nodeA = await startTestApp(options);
  const nodeB: TestApp = env.REDIS_URL ? await startTestApp(options) : nodeA;
  const clients: Socket[] = [];
  const open: OpenDashboard = async (node, token, socketOptions) => {
    const client = io(node.url, {
      auth: { token },
      transports: ['websocket'],
      forceNew: true,
      ...socketOptions,
    });
    clients.push(client);
    await new Promise<void>((resolve) => client.once('connect', () => resolve()));
    expect(await client.timeout(5000).emitWithAck('join_room', { room: 'dashboard' })).toEqual({ ok: true });
    const seen: string[] = [];
    client.on('station_status_updated', (payload: { status: string }) => void seen.push(payload.status));
    return { client, seen };
  };
  try {
    await work(nodeA, nodeB, open, database);
  } finally {
    for (const client of clients) client.close();
    await nodeA.close();
    if (nodeB !== nodeA) await nodeB.close();
    await database.drop();
  }
}

/** A client of `node` in the dashboard room, and the stations of the status events it gets, in order. */
async function dashboardClient(node: TestApp, token: string): Promise<{ client: Socket; seen: string[] }> {
  const client = io(node.url, {
    auth: { token },
    transports: ['websocket'],
    reconnectionDelay: 200,
    reconnectionDelayMax: 200,
    forceNew: true,
  });
  await new Promise<void>((resolve) => client.once('connect', () => resolve()));
  expect(await client.timeout(5000).emitWithAck('join_room', { room: 'dashboard' })).toEqual({ ok: true });
  const seen: string[] = [];
  client.on(
    'station_status_updated',
    (payload: { chargePointId: string }) => void seen.push(payload.chargePointId),
  );
  return { client, seen };
}

/** Drops the client's connection; it comes back through `node`. Resolves once it is connected again. */
function reconnectThrough(client: Socket, node: TestApp): Promise<void> {
  (client.io as unknown as { uri: string }).uri = node.url;
  const back = new Promise<void>((resolve) => client.once('connect', () => resolve()));
  client.io.engine.close();
  return back;
}

/** CONTRACT section 6: a dashboard that drops for less than 2 minutes gets what it missed, once, in order. */
describe.each(setups)('real-time connection state recovery: $name', ({ dialect, env }) => {
  // Two servers start in each: unhurried on a busy machine.
  it(
    'gives a client that reconnects, on any node, the events it missed once and in order, with its rooms',
    { timeout: 120_000 },
    () =>
      withNodes(dialect, env, async (nodeA, nodeB, open) => {
        const { token } = await nodeA.login();
        const { client, seen } = await open(nodeA, token, {
          reconnectionDelay: 200,
          reconnectionDelayMax: 200,
        });
        nodeA.events.publish(status('REC-1', 'Available'));
        await eventually(() => seen.length === 1);

        // The connection drops; the client comes back through the other node (the same one alone).
        (client.io as unknown as { uri: string }).uri = nodeB.url;
        const back = new Promise<void>((resolve) => client.once('connect', () => resolve()));
        client.io.engine.close();
        nodeA.events.publish(status('REC-1', 'Occupied'));
        nodeA.events.publish(status('REC-1', 'Faulted'));
        await back;
        expect(client.recovered).toBe(true);
        await eventually(() => seen.length >= 3);
        // Its room came back with it: a later event arrives without joining again.
        nodeB.events.publish(status('REC-1', 'Reserved'));
        await eventually(() => seen.length >= 4);
        await new Promise((r) => setTimeout(r, 300));
        expect(seen).toEqual(['Available', 'Occupied', 'Faulted', 'Reserved']);
      }),
  );

  it(
    'sends nothing it missed to a client whose user was disabled while it was away',
    { timeout: 120_000 },
    () =>
      withNodes(dialect, env, async (nodeA, nodeB, open) => {
        const admin = (await nodeA.login()).token;
        const user = {
          username: `away-${randomBytes(3).toString('hex')}`,
          password: 'away-user-password-1',
        };
        const created = await nodeA.request('POST', '/api/users', {
          token: admin,
          body: { ...user, roles: ['viewer'], allowedStations: null },
        });
        expect(created.status, created.text).toBe(201);
        const { token } = await nodeA.login(user.username, user.password);
        const { client, seen } = await open(nodeA, token, { reconnection: false });
        nodeA.events.publish(status('AWAY-1', 'Available'));
        await eventually(() => seen.length === 1);

        // Every event packet that reaches the client, delivered to it or not.
        const packets: unknown[] = [];
        client.io.on('packet', (packet) => {
          if (packet.type === 2) packets.push(packet.data);
        });
        const gone = new Promise<void>((resolve) => client.once('disconnect', () => resolve()));
        client.io.engine.close();
        await gone;
        nodeA.events.publish(status('AWAY-1', 'Occupied'));
        const disabled = await nodeA.request('PATCH', `/api/users/${created.body.id}`, {
          token: admin,
          body: { active: false },
        });
        expect(disabled.status).toBe(200);

        // It comes back, through the other node, with its session: refused, and sent nothing.
        (client.io as unknown as { uri: string }).uri = nodeB.url;
        const refused = new Promise<Error>((resolve) => client.once('connect_error', resolve));
        client.connect();
        expect((await refused).message).toBe('Unauthorized');
        await new Promise((r) => setTimeout(r, 300));
        expect(packets).toEqual([]);
        expect(seen).toEqual(['Available']);
      }),
  );
});

/** One node on PostgreSQL too: its token check waits for the database, as events go on. */
const withPostgres = [
  ...setups,
  ...SHARED_DIALECTS.map((dialect) => ({ name: 'one node', dialect, env: {} })),
];

describe.each(withPostgres)(
  'real-time recovery while events keep coming: $name on $dialect',
  ({ dialect, env }) => {
    it(
      'gives a client that reconnects while events keep coming each of them once, in order',
      { timeout: 120_000 },
      () =>
        withNodes(dialect, env, async (nodeA, nodeB) => {
          const { client, seen } = await dashboardClient(nodeA, (await nodeA.login()).token);
          try {
            // An event every millisecond or so, told where the client comes back: some are live
            // while it reconnects, as its session is restored, and just after.
            let sent = 0;
            const publisher = setInterval(
              () => nodeB.events.publish(status(`ORD-${sent++}`, 'Available')),
              1,
            );
            try {
              await eventually(() => seen.length >= 20);
              await reconnectThrough(client, nodeB);
              expect(client.recovered).toBe(true);
              await new Promise((r) => setTimeout(r, 200));
            } finally {
              clearInterval(publisher);
            }
            await eventually(() => seen.length >= sent, 10_000).catch(() => undefined);
            await new Promise((r) => setTimeout(r, 300));
            expect(seen).toEqual(Array.from({ length: sent }, (_, n) => `ORD-${n}`));
          } finally {
            client.close();
          }
        }),
    );

    it(
      'restores a session presented twice at once only once: the other handshake gets a fresh one',
      { timeout: 120_000 },
      () =>
        withNodes(dialect, env, async (nodeA, nodeB) => {
          const { token } = await nodeA.login();
          const { client, seen } = await dashboardClient(nodeA, token);
          const twins: Socket[] = [];
          try {
            nodeA.events.publish(status('TWIN-1', 'Available'));
            await eventually(() => seen.length === 1);
            const session = client as unknown as { _pid: string; _lastOffset: string };
            client.io.reconnection(false);
            const gone = new Promise((resolve) => client.once('disconnect', resolve));
            client.io.engine.close();
            await gone;
            nodeA.events.publish(status('TWIN-2', 'Available'));
            await new Promise((r) => setTimeout(r, 200));
            // Two handshakes presenting the same session (a client repeating its own, or a copy).
            const twinSeen: string[][] = [[], []];
            for (const got of twinSeen) {
              const twin = io(nodeB.url, {
                auth: { token },
                transports: ['websocket'],
                reconnection: false,
                forceNew: true,
                autoConnect: false,
              });
              Object.assign(twin, { _pid: session._pid, _lastOffset: session._lastOffset });
              twin.on(
                'station_status_updated',
                (payload: { chargePointId: string }) => void got.push(payload.chargePointId),
              );
              twins.push(twin);
            }
            const connected = twins.map(
              (twin) => new Promise((resolve) => twin.once('connect', () => resolve(undefined))),
            );
            for (const twin of twins) twin.connect();
            await Promise.all(connected);
            await new Promise((r) => setTimeout(r, 300));
            expect(twins.map((twin) => twin.recovered).sort()).toEqual([false, true]);
            expect(twins[0]?.id).not.toBe(twins[1]?.id);
            const restored = twins.findIndex((twin) => twin.recovered);
            expect(twinSeen[restored]).toEqual(['TWIN-2']);
            expect(twinSeen[1 - restored]).toEqual([]);
          } finally {
            client.close();
            for (const twin of twins) twin.close();
          }
        }),
    );
  },
);

/**
 * A restored session whose token check outlasts `restoreTimeoutMs` (the users table locked) is
 * not kept silently short of what it missed: the client gets a fresh session, and sees it.
 */
describe.each(withPostgres.filter(({ dialect }) => dialect === 'postgres'))(
  'real-time recovery with a slow token check: $name on postgres',
  ({ dialect, env }) => {
    it(
      'gives the client a fresh session, which it sees, and nothing of the old one',
      { timeout: 120_000 },
      () =>
        withNodes(
          dialect,
          env,
          async (nodeA, nodeB, _open, database) => {
            const { client, seen } = await dashboardClient(nodeA, (await nodeA.login()).token);
            const handle = openDatabase(loadConfig({ DATABASE_URL: database.url }).database);
            try {
              nodeA.events.publish(status('SLOW-1', 'Available'));
              await eventually(() => seen.length === 1);
              let unlock = () => undefined as void;
              let locked = () => undefined as void;
              const isLocked = new Promise<void>((resolve) => (locked = resolve));
              const lock = handle.db.transaction().execute(async (trx) => {
                await sql`LOCK TABLE users IN ACCESS EXCLUSIVE MODE`.execute(trx);
                locked();
                await new Promise<void>((resolve) => (unlock = resolve));
              });
              await isLocked;
              const back = reconnectThrough(client, nodeB);
              nodeA.events.publish(status('SLOW-2', 'Available'));
              // Well past restoreTimeoutMs, the token check reads the user.
              await new Promise((r) => setTimeout(r, 1500));
              unlock();
              await lock;
              await back;
              expect(client.recovered).toBe(false);
              // Not in its room any more: it joins again, as a client does after a fresh session.
              expect(await client.timeout(5000).emitWithAck('join_room', { room: 'dashboard' })).toEqual({
                ok: true,
              });
              nodeB.events.publish(status('SLOW-4', 'Available'));
              await eventually(() => seen.length === 2);
              await new Promise((r) => setTimeout(r, 300));
              expect(seen).toEqual(['SLOW-1', 'SLOW-4']);
            } finally {
              client.close();
              await handle.close();
            }
          },
          { restoreTimeoutMs: 300 },
        ),
    );
  },
);
