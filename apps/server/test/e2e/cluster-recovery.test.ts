import { setTimeout as pause } from 'node:timers/promises';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  ackedSoFar,
  expectEveryEventOnce,
  openDashboard,
  startFleet,
  type Dashboard,
  type FleetStation,
} from '../support/cluster-fleet.js';
import { adminToken, startNodeCluster, type NodeCluster } from '../support/node-cluster.js';
import { describeCluster } from '../support/describe-cluster.js';
import { eventually } from '../support/ocpp-client.js';

const STATIONS_PER_NODE = 25;
const DROPS = 12;

/**
 * CONTRACT section 6, connection state recovery across nodes: two node processes on PostgreSQL
 * and Redis, stations on both sending MeterValues every second, dashboards on both. Each
 * dashboard's connection is dropped again and again at random moments; each reconnection
 * recovers its session, and in the end every dashboard got every event once, in order.
 *
 * Before the stream-order fix a dashboard's last offset could be its own node's newest event
 * while an older event of the other node was still unread there: a drop at that moment lost it.
 */
describeCluster(
  'dashboards dropped and recovered under load from two nodes',
  ['ra', 'rb'],
  ({ run, nodeIds }) => {
    let cluster: NodeCluster;
    let fleet: FleetStation[] = [];
    const dashboards: Dashboard[] = [];

    beforeAll(async () => {
      cluster = await startNodeCluster(nodeIds);
      const nodes = nodeIds.map((id) => cluster.nodes.get(id)!);
      const token = await adminToken(nodes[0]!.address);
      const ids = Array.from(
        { length: 2 * STATIONS_PER_NODE },
        (_, i) => `REC-${String(i).padStart(2, '0')}-${run}`,
      );
      const tagOf = (id: string) => `R${id.slice(4, 6)}${run}`;
      const imported = await fetch(`${nodes[0]!.address}/api/id-tags/import`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' },
        body: ['idTag', ...ids.map(tagOf)].join('\n'),
      });
      expect(imported.status).toBe(200);
      for (const node of nodes) {
        dashboards.push(await openDashboard(node.address, token), await openDashboard(node.address, token));
      }
      const halves = [ids.slice(0, STATIONS_PER_NODE), ids.slice(STATIONS_PER_NODE)];
      const started = await Promise.all(
        nodes.map((node, i) => startFleet(`${node.address.replace('http', 'ws')}/ocpp`, halves[i]!, tagOf)),
      );
      fleet = started.flat();
    }, 300_000);

    afterAll(async () => {
      for (const dashboard of dashboards) dashboard.socket.close();
      await Promise.all(fleet.map(({ cp }) => cp.stop({ stopSessions: false }).catch(() => undefined)));
      await cluster?.close();
    }, 60_000);

    it('gives every dashboard every event once and in order, whenever its connection drops', async () => {
      await pause(1_000);
      for (let drop = 0; drop < DROPS; drop++) {
        await Promise.all(
          dashboards.map(async (dashboard) => {
            await pause(200 + Math.random() * 600);
            // The transport closes under the socket, as when its node dies: Socket.IO reconnects.
            dashboard.socket.io.engine.close();
            await eventually(() => dashboard.socket.connected, 20_000);
          }),
        );
      }
      const counts = ackedSoFar(fleet);
      await pause(3_000);
      for (const dashboard of dashboards) {
        expect(dashboard.drops).toBe(DROPS);
        expect(dashboard.recoveries).toEqual(Array.from({ length: DROPS }, () => true));
        expectEveryEventOnce(dashboard, fleet, counts);
      }
      const events = dashboards.reduce((sum, d) => sum + [...d.energies.values()].flat().length, 0);
      process.stdout.write(
        `cluster-recovery: ${DROPS} drops of ${dashboards.length} dashboards, ${events} events\n`,
      );
    }, 180_000);
  },
);
