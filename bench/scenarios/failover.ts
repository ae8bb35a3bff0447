import { fleetStation, type FleetStation } from '@cimorings/simulator';
import { loadavg } from 'node:os';
import pg from 'pg';
import { Api } from '../lib/api.js';
import type { FailoverSize } from '../lib/sizes.js';
import { sleep } from '../lib/procs.js';
import type { Target } from '../lib/targets.js';
import { BENCH_ID_TAG, launch, round, stationIds, type ScenarioContext } from './common.js';

export interface FailoverResult {
  nodes: number;
  stations: number;
  meterIntervalMs: number;
  /** The node killed with SIGKILL, and the stations it held then. */
  killedNode: string;
  stationsOnKilledNode: number;
  /** Stations whose socket dropped (those of the killed node). */
  dropped: number;
  /** From the kill until every station was connected and accepted again, seconds. */
  recoverySeconds: number;
  /** MeterValues answered to the stations over the whole run. */
  acknowledged: number;
  /** Answered but not stored (must be 0), and stored more than once (must be 0). */
  lost: number;
  duplicated: number;
  /** Transactions stored beyond one per station (a StartTransaction applied twice; must be 0). */
  duplicatedTransactions: number;
  /** The machine's load average (1, 5, 15 min) at the kill: a loaded machine recovers slower. */
  loadAverage: number[];
}

/** StartTransaction attempts of a station while the fleet comes online. */
const START_ATTEMPTS = 5;

type Station = FleetStation;

/**
 * Scenario 5 (a cluster only): `size.stations` simulated stations (reconnecting as real ones do)
 * charge through HAProxy with MeterValues every `meterIntervalMs`; the node holding the most
 * stations is killed with SIGKILL. Measured: the time until every station is connected and
 * accepted again, and, once the cluster has stopped, every answered MeterValues checked in the
 * database: lost (answered, not stored) and duplicated (stored twice).
 */
export async function runFailover(context: ScenarioContext, size: FailoverSize): Promise<FailoverResult> {
  const name = 'failover';
  const target = await launch(context, 'server', { name, heartbeatInterval: 300 });
  const stations: Station[] = [];
  let stopped = false;
  try {
    if (target.nodes.length < 2) throw new Error('the failover scenario needs a cluster (--nodes 2 or more)');
    const api = new Api(target.httpUrl);
    await api.useLogin('admin', target.adminPassword);
    await api.createIdTag(BENCH_ID_TAG);
    context.say(
      `${name}: ${size.stations} stations charging through HAProxy on ${target.nodes.length} nodes`,
    );
    await startStations(target, stationIds('FO', size.stations), size, stations);
    await sleep(size.beforeMs);

    const held = await stationsPerNode(api);
    const victim = [...target.nodes].sort((a, b) => (held.get(b.name) ?? 0) - (held.get(a.name) ?? 0))[0]!;
    const stationsOnKilledNode = held.get(victim.name) ?? 0;
    const loadAverage = loadavg().map((value) => round(value, 2));
    context.say(
      `${name}: killing ${victim.name} (${stationsOnKilledNode} stations) with SIGKILL; load average ${loadAverage.join(' ')}`,
    );
    const killedAt = performance.now();
    const exited = new Promise((resolve) => victim.child.once('exit', resolve));
    victim.child.kill('SIGKILL');
    await exited;
    // Every station the dead node held has seen its socket drop, and every one is accepted again.
    const deadline = killedAt + 300_000;
    const dropped = () => stations.filter((station) => station.drops > 0).length;
    while (
      (dropped() < stationsOnKilledNode || !stations.every((station) => station.cp.accepted)) &&
      performance.now() < deadline
    ) {
      await sleep(50);
    }
    const recoverySeconds = round((performance.now() - killedAt) / 1000, 2);
    const back = stations.filter((station) => station.cp.accepted).length;
    if (back < stations.length) throw new Error(`${stations.length - back} stations not back within 300 s`);
    context.say(
      `${name}: ${dropped()} dropped, all ${back} connected and accepted again in ${recoverySeconds} s`,
    );
    await sleep(size.afterMs);

    await Promise.all(stations.map(({ cp }) => cp.stop({ stopSessions: false }).catch(() => undefined)));
    // The survivors stop gracefully and store what they acknowledged; then the database is read.
    await Promise.all(target.nodes.filter((node) => node !== victim).map((node) => stopNode(node.child)));
    const counted = await countStored(target.databaseUrl, stations);
    stopped = true;
    context.say(
      `${name}: ${counted.acknowledged} MeterValues answered, ${counted.lost} lost, ${counted.duplicated} duplicated`,
    );
    return {
      nodes: target.nodes.length,
      stations: size.stations,
      meterIntervalMs: size.meterIntervalMs,
      killedNode: victim.name,
      stationsOnKilledNode,
      dropped: dropped(),
      recoverySeconds,
      loadAverage,
      ...counted,
    };
  } finally {
    if (!stopped)
      await Promise.all(stations.map(({ cp }) => cp.stop({ stopSessions: false }).catch(() => undefined)));
    await target.stop();
  }
}

async function startStations(
  target: Target,
  ids: string[],
  size: FailoverSize,
  into: Station[],
): Promise<void> {
  for (let first = 0; first < ids.length; first += size.concurrency) {
    const group = ids.slice(first, first + size.concurrency).map(async (id) => {
      const station = fleetStation(id, target.ocppUrl, size.meterIntervalMs);
      const { cp } = station;
      into.push(station);
      const accepted = cp.waitFor('accepted', () => true, 120_000);
      await cp.start();
      await accepted;
      // A loaded machine may answer a StartTransaction with a CallError: the station tries again.
      for (let attempt = 1; ; attempt++) {
        const started = await cp.startSession(1, BENCH_ID_TAG).catch((error: Error) => ({
          started: false as const,
          reason: error.message,
        }));
        if (started.started) {
          station.transactionId = started.transactionId;
          break;
        }
        if (attempt === START_ATTEMPTS) throw new Error(`${id}: no session (${started.reason})`);
        await sleep(1000);
      }
    });
    await Promise.all(group);
  }
}

async function stationsPerNode(api: Api): Promise<Map<string, number>> {
  const cluster = (await api.request('GET', '/api/cluster')) as {
    nodes: { nodeId: string; stations: number }[];
  };
  return new Map(cluster.nodes.map((node) => [node.nodeId, node.stations]));
}

async function stopNode(child: Target['child']): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

/** Every answered MeterValues (its transaction's periodic energy sample) looked up in the database. */
async function countStored(
  databaseUrl: string,
  stations: Station[],
): Promise<Pick<FailoverResult, 'acknowledged' | 'lost' | 'duplicated' | 'duplicatedTransactions'>> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ transaction_id: number; value: number; count: number }>(
      `select transaction_id, value, count(*)::int as count from meter_values
        where measurand = 'Energy.Active.Import.Register' and context = 'Sample.Periodic'
        group by transaction_id, value`,
    );
    const stored = new Map(rows.map((row) => [`${row.transaction_id}:${Number(row.value)}`, row.count]));
    // Two samples a second apart may read the same rounded Wh: each value is counted as often as answered.
    const answered = new Map<string, number>();
    for (const station of stations) {
      for (const energy of station.acked) {
        const key = `${station.transactionId}:${energy}`;
        answered.set(key, (answered.get(key) ?? 0) + 1);
      }
    }
    let acknowledged = 0;
    let lost = 0;
    let duplicated = 0;
    for (const [key, times] of answered) {
      const count = stored.get(key) ?? 0;
      acknowledged += times;
      lost += Math.max(0, times - count);
      duplicated += Math.max(0, count - times);
    }
    const transactions = await client.query<{ count: number }>(
      'select count(*)::int as count from transactions',
    );
    return {
      acknowledged,
      lost,
      duplicated,
      duplicatedTransactions: Math.max(0, (transactions.rows[0]?.count ?? 0) - stations.length),
    };
  } finally {
    await client.end();
  }
}
