import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { bootChargePoint, eventually } from '../support/ocpp-client.js';
import { TWO_NODE_REDIS, withTwoNodesAndHandle } from '../support/database-handle.js';

if (TWO_NODE_REDIS) {
  describe('stations no live node holds, with two nodes sharing Redis', () => {
    it('disconnects a station recorded as connected that no node holds, once', async () => {
      await withTwoNodesAndHandle(async (nodeA, nodeB, handle) => {
        const id = `UNHELD-${randomBytes(3).toString('hex')}`;
        const held = `HELD-${randomBytes(3).toString('hex')}`;
        const { client } = await bootChargePoint(nodeA.url, id);
        const { client: stays } = await bootChargePoint(nodeB.url, held);
        await client.close();
        const { token } = await nodeA.login();
        const view = async (chargePointId: string) =>
          (await nodeB.request('GET', `/api/stations/${chargePointId}`, { token })).body;
        await eventually(async () => (await view(id)).connected === false);
        // As a node that died before Redis learned of its station leaves it.
        await handle.db
          .updateTable('stations')
          .set({ connected: 1, status: 'Available' })
          .where('charge_point_id', '=', id)
          .execute();
        const since = [nodeA.publishedEvents.length, nodeB.publishedEvents.length] as const;

        await eventually(async () => (await view(id)).connected === false, 20_000);
        expect((await view(id)).status).toBe('Unavailable');
        expect((await view(held)).connected).toBe(true);
        await new Promise((r) => setTimeout(r, 6_000));
        const unavailable = [
          ...nodeA.publishedEvents.slice(since[0]),
          ...nodeB.publishedEvents.slice(since[1]),
        ].filter((event) => event.type === 'StationStatusChanged' && event.chargePointId === id);
        expect(unavailable).toHaveLength(1);
        await stays.close();
      });
    }, 40_000);
  });
}
