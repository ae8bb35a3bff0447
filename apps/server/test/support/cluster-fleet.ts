import { fleetStation, type FleetStation } from '@cimorings/simulator';
import type pg from 'pg';
import { io, type Socket } from 'socket.io-client';
import { expect } from 'vitest';

export type { FleetStation };

/**
 * Simulated stations through `url` (ws://…/ocpp), each charging on connector 1 with the id tag
 * `idTagOf(id)` (one tag may not run two transactions at once) and sending MeterValues every
 * second; they reconnect within 2 s when dropped.
 */
export async function startFleet(
  url: string,
  ids: string[],
  idTagOf: (id: string) => string,
): Promise<FleetStation[]> {
  const fleet: FleetStation[] = [];
  // In groups, as a real fleet comes online: not every handshake in the same millisecond.
  for (let first = 0; first < ids.length; first += 25) {
    const group = ids.slice(first, first + 25).map(async (id) => {
      const station = fleetStation(id, url, 1000);
      const { cp } = station;
      const accepted = cp.waitFor('accepted', () => true, 60_000);
      await cp.start();
      await accepted;
      const started = await cp.startSession(1, idTagOf(id));
      if (!started.started) throw new Error(`${id}: no session (${started.reason})`);
      station.transactionId = started.transactionId;
      return station;
    });
    fleet.push(...(await Promise.all(group)));
  }
  return fleet;
}

/** A dashboard of a load test: a socket.io client through the proxy, and what it received. */
export interface Dashboard {
  socket: Socket;
  /** meter_values_updated energies by charge point, in arrival order. */
  energies: Map<string, number[]>;
  /** Every event's charge point id, to check a scope. */
  stations: Set<string>;
  drops: number;
  /** Whether each reconnection recovered the session (Socket.IO connection state recovery). */
  recoveries: boolean[];
}

/** Connects a dashboard through `url` on WebSocket (as the dashboard does), in the `dashboard` room. */
export async function openDashboard(url: string, token: string): Promise<Dashboard> {
  const socket = io(url, {
    auth: { token },
    transports: ['websocket'],
    forceNew: true,
    reconnectionDelay: 200,
    reconnectionDelayMax: 1000,
  });
  const dashboard: Dashboard = { socket, energies: new Map(), stations: new Set(), drops: 0, recoveries: [] };
  socket.on('meter_values_updated', (payload: { chargePointId: string; energy: number | null }) => {
    const list = dashboard.energies.get(payload.chargePointId) ?? [];
    if (payload.energy !== null) list.push(payload.energy);
    dashboard.energies.set(payload.chargePointId, list);
  });
  socket.onAny((_event: string, payload: { chargePointId?: string }) => {
    if (payload?.chargePointId) dashboard.stations.add(payload.chargePointId);
  });
  socket.on('disconnect', () => dashboard.drops++);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  socket.on('connect', () => dashboard.recoveries.push(socket.recovered));
  const joined = (await socket.timeout(5000).emitWithAck('join_room', { room: 'dashboard' })) as {
    ok: boolean;
  };
  expect(joined.ok).toBe(true);
  return dashboard;
}

/**
 * Every MeterValues a station got an answer for is stored once (periodic energy samples of its
 * transaction, counted by value), and nothing is stored twice.
 */
export async function expectStoredOnce(database: pg.Client, fleet: FleetStation[]): Promise<number> {
  const { rows } = await database.query<{ transaction_id: number; value: number; count: number }>(
    `select transaction_id, value, count(*)::int as count from meter_values
      where measurand = 'Energy.Active.Import.Register' and context = 'Sample.Periodic'
      group by transaction_id, value`,
  );
  const stored = new Map(rows.map((row) => [`${row.transaction_id}:${Number(row.value)}`, row.count]));
  let lost = 0;
  let duplicated = 0;
  for (const station of fleet) {
    for (const energy of station.acked) {
      const count = stored.get(`${station.transactionId}:${energy}`) ?? 0;
      if (count === 0) lost++;
      if (count > 1) duplicated++;
    }
  }
  expect({ lost, duplicated }).toEqual({ lost: 0, duplicated: 0 });
  return fleet.reduce((sum, station) => sum + station.acked.length, 0);
}

/** How many MeterValues each station has had answered so far (the load goes on meanwhile). */
export function ackedSoFar(fleet: FleetStation[]): number[] {
  return fleet.map((station) => station.acked.length);
}

/**
 * The dashboard received a meter event for every MeterValues acknowledged to each station it
 * may see (the first `counts[i]` of station i: those answered before the events had time to
 * arrive), each once and in the order sent (energies only grow), and none of another station.
 */
export function expectEveryEventOnce(
  dashboard: Dashboard,
  fleet: FleetStation[],
  counts: number[],
  scope?: Set<string>,
): void {
  const problems: string[] = [];
  for (const [index, station] of fleet.entries()) {
    const id = station.cp.id;
    const received = dashboard.energies.get(id) ?? [];
    const acked = station.acked.slice(0, counts[index]);
    if (scope && !scope.has(id)) {
      if (received.length > 0) problems.push(`${id}: out of scope, got ${received.length}`);
      continue;
    }
    for (let i = 1; i < received.length; i++) {
      if ((received[i] as number) <= (received[i - 1] as number)) {
        problems.push(`${id}: ${received[i - 1]} then ${received[i]}`);
        break;
      }
    }
    const got = new Set(received);
    const missed = acked.filter((energy) => !got.has(energy));
    if (missed.length > 0) {
      const where = missed.map((energy) => acked.indexOf(energy));
      problems.push(
        `${id}: missed ${missed.length} of ${acked.length} (at ${where.join(', ')}; dashboard dropped ${dashboard.drops}×, station ${station.drops}×)`,
      );
    }
  }
  if (scope) for (const id of dashboard.stations) if (!scope.has(id)) problems.push(`${id}: out of scope`);
  expect(problems.slice(0, 10)).toEqual([]);
}
