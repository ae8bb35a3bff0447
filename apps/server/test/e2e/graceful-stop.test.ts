import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { adminToken, callNode, startNodeCluster, type NodeCluster } from '../support/node-cluster.js';
import { describeCluster } from '../support/describe-cluster.js';
import { bootChargePoint, eventually, type TestChargePoint } from '../support/ocpp-client.js';
import { connectSocket, join, recorder, type TestSocket } from '../support/realtime-client.js';

const TAG = 'GRACE-TAG';

/** A booted station on `address`, Available, with a transaction running on connector 1. */
async function chargingStation(address: string, id: string) {
  const { client } = await bootChargePoint(address, id);
  await client.call('StatusNotification', { connectorId: 1, status: 'Available', errorCode: 'NoError' });
  const started = (await client.call('StartTransaction', {
    connectorId: 1,
    idTag: TAG,
    meterStart: 0,
    timestamp: new Date().toISOString(),
  })) as { transactionId: number };
  return { client, transactionId: started.transactionId };
}

/** One MeterValues of `value` Wh; resolves true when the node answered it. */
function meterValue(client: TestChargePoint, transactionId: number, value: number): Promise<boolean> {
  return client
    .call('MeterValues', {
      connectorId: 1,
      transactionId,
      meterValue: [
        {
          timestamp: new Date().toISOString(),
          sampledValue: [{ value: String(value), measurand: 'Energy.Active.Import.Register', unit: 'Wh' }],
        },
      ],
    })
    .then(
      () => true,
      () => false,
    );
}

/**
 * CONTRACT section 6, SIGTERM: a node stops taking connections, closes its stations' sockets
 * (which reconnect to another node, staying `connected` there without a flap through
 * Unavailable) and only its own dashboards, stores what it acknowledged, leaves the cluster
 * list at once, and exits 0 within 30 s. Real processes on PostgreSQL and Redis.
 */
describeCluster(
  'a node stopped with SIGTERM while two share PostgreSQL and Redis',
  ['stopping', 'staying'],
  ({ run, nodeIds: [idA, idB] }) => {
    let cluster: NodeCluster;
    const clients: TestChargePoint[] = [];
    const sockets: TestSocket[] = [];

    beforeAll(async () => {
      cluster = await startNodeCluster([idA, idB]);
    }, 120_000);
    afterAll(async () => {
      for (const socket of sockets) socket.close();
      await Promise.all(clients.map((client) => client.close({ force: true }).catch(() => undefined)));
      await cluster?.close();
    });

    it('hands its stations over, closes only its own dashboards, loses no acknowledged write and exits 0', async () => {
      const a = cluster.nodes.get(idA)!.address;
      const b = cluster.nodes.get(idB)!.address;
      const token = await adminToken(b);
      expect((await callNode(b, 'POST', '/api/id-tags', { token, body: { idTag: TAG } })).status).toBe(201);

      const ids = Array.from({ length: 6 }, (_, i) => `GRACE-${i}-${run}`);
      const [awayId, ...movingIds] = ids as [string, ...string[]];
      const stations = await Promise.all(ids.map((id) => chargingStation(a, id)));
      clients.push(...stations.map((station) => station.client));
      const closeCodes = stations.map(
        (station) =>
          new Promise<number>((resolve) =>
            station.client.once('close', ({ code }: { code: number }) => resolve(code)),
          ),
      );

      const onB = await connectSocket(b, token, { headers: { 'x-forwarded-for': '10.7.7.1' } });
      const onA = await connectSocket(a, token, { headers: { 'x-forwarded-for': '10.7.7.2' } });
      sockets.push(onB, onA);
      expect(await join(onB, 'dashboard')).toEqual({ ok: true });
      expect(await join(onA, 'dashboard')).toEqual({ ok: true });
      const seenOnB = recorder(onB);
      const bDisconnects: string[] = [];
      onB.on('disconnect', (reason) => bDisconnects.push(reason));
      const aDisconnected = new Promise<string>((resolve) => onA.once('disconnect', resolve));

      // Meter values keep coming while the node stops: each answered one must be stored.
      const answered = new Map<number, number[]>();
      let sending = true;
      const senders = stations.map(async ({ client, transactionId }) => {
        const values: number[] = [];
        answered.set(transactionId, values);
        for (let value = 1; sending; value++) {
          if (!(await meterValue(client, transactionId, value))) return;
          values.push(value);
        }
      });
      await new Promise((resolve) => setTimeout(resolve, 500));

      const stopAt = Date.now();
      const node = cluster.nodes.get(idA)!;
      expect(await node.stop()).toBe(0);
      expect(Date.now() - stopAt).toBeLessThan(30_000);
      sending = false;
      await Promise.all(senders);
      expect(node.output()).toContain('stopped: connections closed');

      // Closed as "going away", so that the stations reconnect; the dashboard on A was dropped
      // as a transport (it reconnects by itself), the one on B was never touched.
      expect(await Promise.all(closeCodes)).toEqual(ids.map(() => 1001));
      expect(await aDisconnected).toBe('transport close');
      expect(bDisconnects).toEqual([]);

      // Gone from the cluster list at once, not after the heartbeat's expiry.
      const listed = await callNode(b, 'GET', '/api/cluster', { token });
      expect(listed.body.nodes.map((n: { nodeId: string }) => n.nodeId)).not.toContain(idA);

      const database = new pg.Client({ connectionString: cluster.database.url });
      await database.connect();
      try {
        for (const [transactionId, values] of answered) {
          expect(values.length).toBeGreaterThan(0);
          const { rows } = await database.query<{ value: number; count: number }>(
            'select value, count(*)::int as count from meter_values where transaction_id = $1 group by value',
            [transactionId],
          );
          const stored = new Map(rows.map((row) => [Number(row.value), row.count]));
          for (const value of values) expect(stored.get(value), `tx ${transactionId} ${value} Wh`).toBe(1);
        }
      } finally {
        await database.end();
      }

      // Five reconnect to B and report at once; one never comes back.
      const moved = await Promise.all(
        movingIds.map(async (id) => {
          const { client } = await bootChargePoint(b, id);
          clients.push(client);
          await client.call('StatusNotification', {
            connectorId: 1,
            status: 'Charging',
            errorCode: 'NoError',
          });
          return id;
        }),
      );
      await eventually(async () => {
        const away = await callNode(b, 'GET', `/api/stations/${awayId}`, { token });
        return away.body.connected === false && away.body.status === 'Unavailable';
      }, 30_000);
      expect(Date.now() - stopAt).toBeLessThan(30_000);
      // Another sweep, for a wrong second verdict to show.
      await new Promise((resolve) => setTimeout(resolve, 6_000));
      for (const id of moved) {
        const view = await callNode(b, 'GET', `/api/stations/${id}`, { token });
        expect(view.body.connected, id).toBe(true);
      }
      const unavailable = seenOnB
        .of('station_status_updated')
        .filter((event) => event.status === 'Unavailable')
        .map((event) => event.chargePointId);
      expect(unavailable).toEqual([awayId]);
    }, 120_000);
  },
);
