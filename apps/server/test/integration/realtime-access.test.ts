import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, SHARED_DIALECTS, type TestDatabase } from '../support/databases.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { clusterEnv } from '../support/use-test-app.js';
import { connectChargePoint, type TestChargePoint } from '../support/ocpp-client.js';
import { connectSocket, join, leave, recorder, type TestSocket } from '../support/realtime-client.js';

/**
 * A change of a user's access reaches its open Socket.IO connections at once (CONTRACT section
 * 6): on one node, and with two nodes sharing Redis, where the change is made on node A and the
 * user's socket is on node B. Each case ends by showing that no further event of what the user
 * lost reaches it, while an admin's socket on the same node still gets it.
 */
const setups: [string, 'sqlite' | 'postgres', boolean][] = [
  ['one node', 'sqlite', false],
  ...(process.env.CIMORINGS_TEST_REDIS
    ? SHARED_DIALECTS.map(
        (dialect) => ['two nodes sharing Redis', dialect, true] as [string, typeof dialect, boolean],
      )
    : []),
];

describe.each(setups)('access changes on open real-time connections: %s, %s', (_name, dialect, twoNodes) => {
  let database: TestDatabase;
  /** Where changes are made and stations connect. */
  let nodeA: TestApp;
  /** Where the users' sockets are. */
  let nodeB: TestApp;
  let admin: string;
  let control: TestSocket;
  let controlEvents: ReturnType<typeof recorder>;
  const sockets: TestSocket[] = [];
  const stations = new Map<string, TestChargePoint>();
  const suffix = randomBytes(3).toString('hex');
  const KEPT = `RA-K-${suffix}`;
  const LOST = `RA-L-${suffix}`;
  let toggle = 0;

  beforeAll(async () => {
    database = await createTestDatabase(dialect);
    const env = {
      OCPP_UNKNOWN_STATIONS: 'accept',
      ...(twoNodes && clusterEnv()),
    };
    nodeA = await startTestApp({ databaseUrl: database.url, env });
    nodeB = twoNodes ? await startTestApp({ databaseUrl: database.url, env }) : nodeA;
    admin = (await nodeA.login()).token;
    for (const id of [KEPT, LOST]) {
      const cp = await connectChargePoint(nodeA.url, id);
      await cp.call('BootNotification', { chargePointVendor: 'V', chargePointModel: 'M' });
      stations.set(id, cp);
    }
    control = await connectSocket(nodeB.url, admin);
    sockets.push(control);
    expect(await join(control, 'dashboard')).toEqual({ ok: true });
    controlEvents = recorder(control);
  });
  afterAll(async () => {
    for (const socket of sockets) socket.close();
    for (const cp of stations.values()) await cp.close({ force: true });
    await nodeA?.close();
    if (twoNodes) await nodeB?.close();
    await database?.drop();
  });

  let users = 0;
  /** A user with these roles and scope, its socket on node B in the dashboard room. */
  const userSocket = async (roles: string[], allowedStations: string[] | null = [KEPT, LOST]) => {
    const username = `ra${++users}`;
    const password = `${username}-password-1`;
    const created = await nodeA.request('POST', '/api/users', {
      token: admin,
      body: { username, password, roles, allowedStations },
    });
    expect(created.status, created.text).toBe(201);
    const { token } = await nodeB.login(username, password);
    const socket = await connectSocket(nodeB.url, token);
    sockets.push(socket);
    expect(await join(socket, 'dashboard')).toEqual({ ok: true });
    return { id: created.body.id as number, username, password, token, socket, events: recorder(socket) };
  };

  /** One status event from a station, awaited at the admin's socket on the users' node. */
  const statusFrom = async (id: string) => {
    const seen = controlEvents.of('connector_status_updated').length;
    await stations.get(id)?.call('StatusNotification', {
      connectorId: 1,
      status: ++toggle % 2 ? 'Preparing' : 'Available',
      errorCode: 'NoError',
    });
    await controlEvents.waitFor('connector_status_updated', seen + 1);
  };
  const eventsOf = (events: ReturnType<typeof recorder>, id: string) =>
    events.of('connector_status_updated').filter((payload) => payload.chargePointId === id).length;

  /**
   * Whether an event of `id` still reaches the user's socket: the event is sent, the admin's
   * socket on the same node gets it, and an acknowledged no-op on the user's socket (answered
   * after anything sent to it before) shows whether it got it too.
   */
  const stillReceives = async (
    user: { socket: TestSocket; events: ReturnType<typeof recorder> },
    id: string,
  ) => {
    const before = eventsOf(user.events, id);
    await statusFrom(id);
    expect(await leave(user.socket, 'reservations')).toEqual({ ok: true });
    return eventsOf(user.events, id) > before;
  };

  /** Waits (at most 5 s, the contract's bound) until the user no longer gets `id`'s events, and checks once more. */
  const cutOff = async (user: { socket: TestSocket; events: ReturnType<typeof recorder> }, id: string) => {
    // Rounds spaced out to stay well under the real-time rate limit (10 client events a second).
    const end = Date.now() + 5000;
    while (await stillReceives(user, id)) {
      if (Date.now() > end) throw new Error(`still receives the events of ${id} after 5 s`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(await stillReceives(user, id)).toBe(false);
  };

  const disconnected = (socket: TestSocket) =>
    new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('still connected after 5 s')), 5000);
      socket.once('disconnect', (reason) => {
        clearTimeout(timer);
        resolve(reason);
      });
    });

  /** An administrator's PATCH /api/users/{id}, through node A. */
  const patchUser = (id: number, body: Record<string, unknown>) =>
    nodeA.request('PATCH', `/api/users/${id}`, { token: admin, body });

  /** After a socket was closed by the server: the old token is refused, and events go on without it. */
  const expectShutOut = async (user: { token: string; events: ReturnType<typeof recorder> }) => {
    await expect(connectSocket(nodeB.url, user.token)).rejects.toMatchObject({ message: 'Unauthorized' });
    const before = eventsOf(user.events, KEPT);
    await statusFrom(KEPT);
    expect(eventsOf(user.events, KEPT)).toBe(before);
  };

  /** `change` is answered `status`, the server closes the user's socket, and the user is shut out. */
  const expectClosedBy = async (
    user: Awaited<ReturnType<typeof userSocket>>,
    change: () => Promise<{ status: number }>,
    status = 200,
  ) => {
    const closed = disconnected(user.socket);
    expect((await change()).status).toBe(status);
    expect(await closed).toBe('io server disconnect');
    await expectShutOut(user);
  };

  it('closes the connections of a user who is disabled', async () => {
    const user = await userSocket(['viewer']);
    expect(await stillReceives(user, KEPT)).toBe(true);
    await expectClosedBy(user, () => patchUser(user.id, { active: false }));
  });

  it('closes the connections of a user whose password an administrator changed', async () => {
    const user = await userSocket(['viewer']);
    await expectClosedBy(user, () => patchUser(user.id, { password: 'a-brand-new-password-1' }));
  });

  it('closes the connections opened with the old token when users change their own password', async () => {
    const user = await userSocket(['viewer']);
    await expectClosedBy(user, () =>
      nodeA.request('POST', '/api/auth/password', {
        token: user.token,
        body: { currentPassword: user.password, newPassword: 'my-own-new-password-1' },
      }),
    );
  });

  it('closes the connections of a user who is deleted', async () => {
    const user = await userSocket(['viewer']);
    await expectClosedBy(user, () => nodeA.request('DELETE', `/api/users/${user.id}`, { token: admin }), 204);
  });

  it('narrows the events of a connection at once when the station scope shrinks, keeping it open', async () => {
    const user = await userSocket(['viewer']);
    expect(await stillReceives(user, LOST)).toBe(true);
    const patched = await patchUser(user.id, { allowedStations: [KEPT] });
    expect(patched.status).toBe(200);
    await cutOff(user, LOST);
    expect(await stillReceives(user, KEPT)).toBe(true);
    expect(user.socket.connected).toBe(true);
  });

  it('narrows the events of a site-scoped connection when a station leaves the site', async () => {
    const site = await nodeA.request('POST', '/api/sites', {
      token: admin,
      body: { name: `Site ${suffix}` },
    });
    expect(site.status).toBe(201);
    const place = (siteId: number | null) =>
      nodeA.request('PATCH', `/api/stations/${LOST}`, { token: admin, body: { siteId } });
    expect((await place(site.body.id)).status).toBe(200);
    const username = `ra-site-${suffix}`;
    const created = await nodeA.request('POST', '/api/users', {
      token: admin,
      body: { username, password: `${username}-password-1`, roles: ['viewer'], allowedSites: [site.body.id] },
    });
    expect(created.status, created.text).toBe(201);
    const socket = await connectSocket(
      nodeB.url,
      (await nodeB.login(username, `${username}-password-1`)).token,
    );
    sockets.push(socket);
    expect(await join(socket, 'dashboard')).toEqual({ ok: true });
    const user = { socket, events: recorder(socket) };
    expect(await stillReceives(user, LOST)).toBe(true);
    expect((await place(null)).status).toBe(200);
    await cutOff(user, LOST);
    expect(socket.connected).toBe(true);
  });

  it('stops the events of a room whose permission a removed role gave', async () => {
    const role = await nodeA.request('POST', '/api/roles', {
      token: admin,
      body: { name: `tags-${suffix}`, permissions: ['idtags.view'] },
    });
    expect(role.status).toBe(201);
    const user = await userSocket(['viewer', `tags-${suffix}`]);
    expect(await stillReceives(user, KEPT)).toBe(true);
    const patched = await patchUser(user.id, { roles: [`tags-${suffix}`] });
    expect(patched.status).toBe(200);
    await cutOff(user, KEPT);
  });

  it('stops the events of a room when its role loses the permission', async () => {
    const role = await nodeA.request('POST', '/api/roles', {
      token: admin,
      body: { name: `watch-${suffix}`, permissions: ['stations.view', 'idtags.view'] },
    });
    expect(role.status).toBe(201);
    const user = await userSocket([`watch-${suffix}`]);
    expect(await stillReceives(user, KEPT)).toBe(true);
    const patched = await nodeA.request('PATCH', `/api/roles/${role.body.id}`, {
      token: admin,
      body: { permissions: ['idtags.view'] },
    });
    expect(patched.status).toBe(200);
    await cutOff(user, KEPT);
    expect(user.socket.connected).toBe(true);
  });
});
