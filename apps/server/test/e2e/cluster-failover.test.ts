import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { adminToken, callNode, startNodeCluster, type NodeCluster } from '../support/node-cluster.js';
import { describeCluster } from '../support/describe-cluster.js';
import { bootChargePoint, eventually, type TestChargePoint } from '../support/ocpp-client.js';
import { connectSocket, join, recorder, type TestSocket } from '../support/realtime-client.js';
import type { ReadyServerProcess as ServerProcess } from '../support/server-process.js';

const api = (node: ServerProcess, path: string, token: string) =>
  callNode(node.address, 'GET', path, { token });

/**
 * CONTRACT section 6 with real node processes on PostgreSQL and Redis: a node killed with
 * SIGKILL (no goodbye) leaves the cluster list, and its stations are Unavailable within 30 s
 * with one station_status_updated each across the two survivors, unless they reconnected.
 */
describeCluster(
  'three nodes sharing PostgreSQL and Redis, one killed',
  ['a', 'b', 'c'],
  ({ nodeIds: [idA, idB, idC] }) => {
    let cluster: NodeCluster;
    const nodes: ServerProcess[] = [];
    const stations: TestChargePoint[] = [];
    let socket: TestSocket | undefined;

    beforeAll(async () => {
      cluster = await startNodeCluster([idA, idB, idC]);
      nodes.push(...[idA, idB, idC].map((id) => cluster.nodes.get(id)!));
    }, 120_000);

    afterAll(async () => {
      socket?.close();
      await Promise.all(stations.map((station) => station.close({ force: true }).catch(() => undefined)));
      await cluster?.close();
    });

    it('marks the stations of the dead node Unavailable within 30 s, once each, unless they reconnected', async () => {
      const [nodeA, nodeB, nodeC] = nodes as [ServerProcess, ServerProcess, ServerProcess];
      const token = await adminToken(nodeB.address);
      const listed = await api(nodeB, '/api/cluster', token);
      expect(listed.status).toBe(200);
      // Other tests' nodes may share this Redis: these three are listed, whatever else is.
      expect(nodeIds(listed.body)).toEqual(expect.arrayContaining([idA, idB, idC]));

      const ids = ['LOST-1', 'LOST-2', 'MOVED'].map((name) => `${name}-${randomBytes(3).toString('hex')}`);
      for (const id of ids) {
        const { client } = await bootChargePoint(nodeA.address, id);
        // Available once connected: only a lost station is Unavailable.
        await client.call('StatusNotification', {
          connectorId: 1,
          status: 'Available',
          errorCode: 'NoError',
        });
        stations.push(client);
      }
      await eventually(async () => {
        const cluster = await api(nodeB, '/api/cluster', token);
        const a = cluster.body.nodes.find((node: { nodeId: string }) => node.nodeId === idA);
        return a?.stations === 3;
      }, 15_000);

      socket = await connectSocket(nodeB.address, token, { headers: { 'x-forwarded-for': '10.9.9.8' } });
      expect(await join(socket, 'dashboard')).toEqual({ ok: true });
      const events = recorder(socket);

      const killedAt = Date.now();
      await nodeA.kill();
      // A station that reconnects at once to another node stays connected there.
      const moved = ids[2] as string;
      stations.push((await bootChargePoint(nodeC.address, moved)).client);

      const lost = ids.slice(0, 2);
      await eventually(async () => {
        const views = await Promise.all(lost.map((id) => api(nodeC, `/api/stations/${id}`, token)));
        return views.every((view) => view.body.connected === false && view.body.status === 'Unavailable');
      }, 30_000);
      expect(Date.now() - killedAt).toBeLessThan(30_000);

      // Both survivors sweep every 5 s: give the slower one time to (wrongly) repeat it.
      await new Promise((r) => setTimeout(r, 8_000));
      const unavailable = events
        .of('station_status_updated')
        .filter((event) => event.status === 'Unavailable')
        .map((event) => event.chargePointId);
      expect(unavailable.sort()).toEqual([...lost].sort());
      const movedView = await api(nodeB, `/api/stations/${moved}`, token);
      expect(movedView.body.connected).toBe(true);

      const after = await api(nodeB, '/api/cluster', token);
      expect(nodeIds(after.body)).toEqual(expect.arrayContaining([idB, idC]));
      expect(nodeIds(after.body)).not.toContain(idA);
      const c = after.body.nodes.find((node: { nodeId: string }) => node.nodeId === idC);
      expect(c.stations).toBe(1);
    }, 90_000);
  },
);

function nodeIds(cluster: { nodes: { nodeId: string }[] }): string[] {
  return cluster.nodes.map((node) => node.nodeId).sort();
}
