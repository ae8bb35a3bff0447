import { randomBytes } from 'node:crypto';
import { io, type ManagerOptions, type Socket, type SocketOptions } from 'socket.io-client';
import { describe, expect, it } from 'vitest';
import { createTestDatabase, SHARED_DIALECTS } from '../support/databases.js';
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
  work: (nodeA: TestApp, nodeB: TestApp, open: OpenDashboard) => Promise<void>,
): Promise<void> {
  const database = await createTestDatabase(dialect);
  const nodeA = await startTestApp({ databaseUrl: database.url, env });
  const nodeB: TestApp = env.REDIS_URL ? await startTestApp({ databaseUrl: database.url, env }) : nodeA;
  const clients: Socket[] = [];
  const open: OpenDashboard = async (node, token, options) => {
    const client = io(node.url, { auth: { token }, transports: ['websocket'], forceNew: true, ...options });
    clients.push(client);
    await new Promise<void>((resolve) => client.once('connect', () => resolve()));
    expect(await client.timeout(5000).emitWithAck('join_room', { room: 'dashboard' })).toEqual({ ok: true });
    const seen: string[] = [];
    client.on('station_status_updated', (payload: { status: string }) => void seen.push(payload.status));
    return { client, seen };
  };
  try {
    await work(nodeA, nodeB, open);
  } finally {
    for (const client of clients) client.close();
    await nodeA.close();
    if (nodeB !== nodeA) await nodeB.close();
    await database.drop();
  }
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
