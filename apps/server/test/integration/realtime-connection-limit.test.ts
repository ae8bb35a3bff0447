import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { userToken } from '../support/builders.js';
import { DIALECTS } from '../support/databases.js';
import { useTestApp } from '../support/use-test-app.js';
import { connectSocket, join, type TestSocket } from '../support/realtime-client.js';

const LIMIT = 5;

/**
 * One account cannot open real-time connections until the node runs out of memory: past its
 * limit (1000 by default, 5 here) a new connection is closed at once, counted synchronously so
 * that concurrent handshakes cannot all slip past; other users are not affected, and a closed
 * connection frees its place.
 */
describe.each(DIALECTS)('real-time connections per user, on %s', (dialect) => {
  const app = useTestApp(dialect, { realtimeSettings: { maxConnectionsPerUser: LIMIT } });
  let viewer: string;
  const sockets: TestSocket[] = [];

  beforeAll(async () => {
    viewer = await userToken(app, app.admin, { username: 'hoarder', roles: ['viewer'] });
  });
  afterAll(async () => {
    for (const socket of sockets) socket.close();
  });

  const openMany = async (token: string, count: number) => {
    const opened = await Promise.all(Array.from({ length: count }, () => connectSocket(app.url, token)));
    sockets.push(...opened);
    // A connection past the limit is closed right after its handshake.
    await new Promise((resolve) => setTimeout(resolve, 300));
    return opened;
  };

  it('closes the connections of one user beyond its limit, also when opened all at once', async () => {
    const opened = await openMany(viewer, LIMIT * 4);
    const open = opened.filter((socket) => socket.connected);
    expect(open).toHaveLength(LIMIT);
    for (const socket of open) expect((await join(socket, 'dashboard')).ok).toBe(true);

    // Another user is not held back by it.
    const others = await openMany(app.admin, 2);
    expect(others.every((socket) => socket.connected)).toBe(true);

    // A closed connection frees its place.
    open[0]!.close();
    await new Promise((resolve) => setTimeout(resolve, 200));
    const again = await openMany(viewer, 1);
    expect(again[0]!.connected).toBe(true);
    const beyond = await openMany(viewer, 1);
    expect(beyond[0]!.connected).toBe(false);
  });
});
