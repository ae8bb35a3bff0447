import { setTimeout as pause } from 'node:timers/promises';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  ackedSoFar,
  expectEveryEventOnce,
  expectStoredOnce,
  openDashboard,
  startFleet,
  type Dashboard,
  type FleetStation,
} from '../support/cluster-fleet.js';
import {
  adminToken,
  callNode,
  startNodeCluster,
  startProxy,
  type NodeCluster,
} from '../support/node-cluster.js';
import { describeCluster } from '../support/describe-cluster.js';
import { eventually } from '../support/ocpp-client.js';

const STATIONS = 200;
const DASHBOARDS = 20;

/**
 * Issue 16 end to end: three node processes on PostgreSQL and Redis behind HAProxy configured
 * from deploy/haproxy.cfg, 200 simulated stations charging with MeterValues every second, 20
 * dashboards (one limited to 20 stations). One node is killed with SIGKILL, then every node is
 * restarted in turn with SIGTERM, all under load; what was acknowledged must be stored once,
 * every dashboard must get every event of its scope once and in order, sessions must end right.
 */
describeCluster(
  'three nodes behind HAProxy under load: a node killed, then a rolling restart',
  ['n1', 'n2', 'n3'],
  ({ run, nodeIds }) => {
    let cluster: NodeCluster;
    let proxy: Awaited<ReturnType<typeof startProxy>>;
    let database: pg.Client;
    let token: string;
    let fleet: FleetStation[] = [];
    const dashboards: Dashboard[] = [];
    const scope = new Set<string>();
    /** Stations that never came back after the kill: their sessions stay open. */
    const gone = new Set<string>();

    /** Every dashboard got every event of its scope so far once, in order (given 3 s to arrive). */
    const expectAllEvents = async () => {
      const counts = ackedSoFar(fleet);
      await pause(3_000);
      for (const dashboard of dashboards) {
        expectEveryEventOnce(dashboard, fleet, counts, dashboard === dashboards[0] ? scope : undefined);
      }
    };

    beforeAll(async () => {
      const setupAt = Date.now();
      cluster = await startNodeCluster(nodeIds);
      proxy = await startProxy(cluster.nodes);
      database = new pg.Client({ connectionString: cluster.database.url });
      database.on('error', () => undefined);
      await database.connect();
      token = await adminToken(proxy.url);
      const ids = Array.from({ length: STATIONS }, (_, i) => `LOAD-${String(i).padStart(3, '0')}-${run}`);
      const tagOf = (id: string) => `T${id.slice(5, 8)}${run}`;
      const imported = await fetch(`${proxy.url}/api/id-tags/import`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' },
        body: ['idTag', ...ids.map(tagOf)].join('\n'),
      });
      expect(imported.status).toBe(200);
      ids.slice(0, 20).forEach((id) => scope.add(id));
      const viewer = { username: `scoped-${run}`, password: `scoped-${run}-password-1` };
      const created = await callNode(proxy.url, 'POST', '/api/users', {
        token,
        body: { ...viewer, roles: ['viewer'], allowedStations: [...scope] },
      });
      expect(created.status).toBe(201);
      const login = await callNode(proxy.url, 'POST', '/api/auth/login', { body: viewer });
      dashboards.push(await openDashboard(proxy.url, login.body.token as string));
      dashboards.push(
        ...(await Promise.all(Array.from({ length: DASHBOARDS - 1 }, () => openDashboard(proxy.url, token)))),
      );
      process.stdout.write(`cluster-load: setup before fleet ${Date.now() - setupAt} ms\n`);
      fleet = await startFleet(`${proxy.url.replace('http', 'ws')}/ocpp`, ids, tagOf);
      process.stdout.write(`cluster-load: setup ${Date.now() - setupAt} ms\n`);
      // 200 stations boot and start a session through HAProxy: minutes on a machine others share.
    }, 600_000);

    afterAll(async () => {
      for (const dashboard of dashboards) dashboard.socket.close();
      const stopped = Promise.all(
        fleet.map(({ cp }) => cp.stop({ stopSessions: false }).catch(() => undefined)),
      );
      await Promise.race([stopped, pause(20_000)]);
      await database?.end().catch(() => undefined);
      await proxy?.close();
      await cluster?.close();
    }, 120_000);

    it('loses nothing when a node is killed: stations move, dashboards recover, commands follow', async () => {
      await pause(3_000);
      const listed = await callNode(proxy.url, 'GET', '/api/cluster', { token });
      const mine = listed.body.nodes.filter((node: { nodeId: string }) => nodeIds.includes(node.nodeId));
      expect(
        mine.map((node: { stations: number }) => node.stations).every((count: number) => count > 0),
      ).toBe(true);

      const victim = nodeIds[1];
      const held = mine.find((node: { nodeId: string }) => node.nodeId === victim).stations as number;
      const killedAt = Date.now();
      // The first three stations dropped by the kill do not come back (unplugged, say).
      const unplug = (station: FleetStation) => () => {
        if (gone.size >= 3) return;
        gone.add(station.cp.id);
        void station.cp.stop({ stopSessions: false });
      };
      const unplugs = fleet.map((station) => [station, unplug(station)] as const);
      for (const [station, listener] of unplugs) station.cp.once('disconnected', listener);
      await cluster.nodes.get(victim)!.kill();
      cluster.nodes.delete(victim);

      const moved = () => fleet.filter((station) => station.drops > 0 && !gone.has(station.cp.id));
      // Every station the dead node held has seen its socket drop (through HAProxy).
      await eventually(() => fleet.filter((station) => station.drops > 0).length >= held, 20_000);
      for (const [station, listener] of unplugs) station.cp.off('disconnected', listener);
      await eventually(
        () => fleet.every((station) => gone.has(station.cp.id) || station.cp.accepted),
        30_000,
      );
      const reconnectedIn = Date.now() - killedAt;
      expect(gone.size).toBe(3);
      expect(moved().length).toBeGreaterThan(0);

      // Those that stayed away are Unavailable within 30 s of the kill.
      await eventually(
        async () => {
          const { rows } = await database.query(
            'select count(*)::int as count from stations where charge_point_id = any($1) and connected = 0 and status = $2',
            [[...gone], 'Unavailable'],
          );
          return rows[0].count === gone.size;
        },
        30_000 - (Date.now() - killedAt),
      );

      // A command after the kill reaches a station that moved to another node.
      const target = moved()[0]!;
      const command = target.cp.waitFor('command', (event) => event.action === 'TriggerMessage', 10_000);
      const sent = await callNode(
        proxy.url,
        'POST',
        `/api/stations/${target.cp.id}/commands/TriggerMessage`,
        {
          token,
          body: { requestedMessage: 'Heartbeat' },
        },
      );
      expect(sent.status, JSON.stringify(sent.body)).toBe(200);
      await command;

      // Dashboards of the dead node reconnected through HAProxy and recovered their session.
      const dropped = dashboards.filter((dashboard) => dashboard.drops > 0);
      await eventually(() => dropped.every((dashboard) => dashboard.socket.connected), 60_000);
      for (const dashboard of dropped) expect(dashboard.recoveries).toEqual([true]);
      await expectAllEvents();
      process.stdout.write(
        `cluster-load: kill -9 of 1 of 3 nodes, ${moved().length} stations moved, all back in ${reconnectedIn} ms; ` +
          `${dropped.length} of ${DASHBOARDS} dashboards recovered\n`,
      );
    }, 120_000);

    it('loses and duplicates nothing through a rolling restart (SIGTERM each node, start it again)', async () => {
      const began = Date.now();
      const say = (what: string) => process.stdout.write(`cluster-load: +${Date.now() - began} ms ${what}\n`);
      await cluster.start(nodeIds[1]);
      say('killed node started again');
      for (const nodeId of nodeIds) {
        // HAProxy takes a node back after two good checks, 2 s apart.
        await pause(5_000);
        const node = cluster.nodes.get(nodeId)!;
        const code = await node.stop();
        say(`${nodeId} stopped (${code})`);
        if (code !== 0) process.stdout.write(node.output().slice(-3000));
        expect(code).toBe(0);
        await cluster.start(nodeId);
        say(`${nodeId} started again`);
      }
      await pause(5_000);
      await eventually(
        () => fleet.every((station) => gone.has(station.cp.id) || station.cp.accepted),
        30_000,
      );
      await eventually(() => dashboards.every((dashboard) => dashboard.socket.connected), 60_000);
      for (const dashboard of dashboards) expect(dashboard.recoveries.every(Boolean)).toBe(true);
      await expectAllEvents();
    }, 600_000);

    it('stored every acknowledged MeterValues once, and ends every session with its meterStop', async () => {
      const staying = fleet.filter((station) => !gone.has(station.cp.id));
      const stops = await Promise.all(staying.map((station) => station.cp.stopSession(1, 'Local')));
      const acknowledged = await expectStoredOnce(database, fleet);
      for (const [index, stop] of stops.entries()) {
        expect(stop?.delivered, staying[index]!.cp.id).toBe(true);
        const { rows } = await database.query('select meter_stop, status from transactions where id = $1', [
          stop!.transactionId,
        ]);
        expect(rows[0]).toEqual({ meter_stop: stop!.meterStop, status: 'completed' });
      }
      const { rows } = await database.query(
        'select count(*)::int as count from stations where charge_point_id = any($1) and connected = 1',
        [staying.map((station) => station.cp.id)],
      );
      expect(rows[0].count).toBe(staying.length);
      process.stdout.write(`cluster-load: ${acknowledged} acknowledged MeterValues, 0 lost, 0 duplicated\n`);
    }, 60_000);
  },
);
