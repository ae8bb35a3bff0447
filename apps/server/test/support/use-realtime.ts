import { afterAll } from 'vitest';
import type { SimulatedChargePoint } from '@cimorings/simulator';
import { connectSocket, type TestSocket } from './realtime-client.js';

/**
 * Keeps the Socket.IO clients and simulated charge points a describe block opens against `app`,
 * and closes them after its tests (before the app closes, when called after `useTestApp`).
 */
export function useRealtime(app: { readonly url: string }) {
  const sockets: TestSocket[] = [];
  const stations: SimulatedChargePoint[] = [];
  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await Promise.all(stations.map((cp) => cp.stop({ stopSessions: false })));
  });
  return {
    sockets,
    stations,
    /** Opens a socket with `token` (none when undefined), closed after the block's tests. */
    async open(token?: string): Promise<TestSocket> {
      const socket = await connectSocket(app.url, token);
      sockets.push(socket);
      return socket;
    },
  };
}
