import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Api } from '../lib/api.js';
import { Channel } from '../lib/channel.js';
import { Fleet } from '../lib/fleet.js';
import { Histogram, type LatencySummary } from '../lib/histogram.js';
import type { DashboardCommand, DashboardReport } from '../lib/ipc.js';
import type { FanoutSize } from '../lib/sizes.js';
import { CpuWindow, spawnTs } from '../lib/procs.js';
import { mainThreadProfile, profileDir, type TargetKind } from '../lib/targets.js';
import { BENCH_ID_TAG, connectAndStart, round, launch, stationIds, type ScenarioContext } from './common.js';

const DASHBOARDS = fileURLToPath(new URL('../load/dashboards.ts', import.meta.url));

export interface FanoutResult {
  target: TargetKind;
  stations: number;
  dashboards: number;
  scopedClients: number;
  /** MeterValues/s asked and answered. */
  rate: number;
  achieved: number;
  meterValuesLatency: LatencySummary;
  /** Send of MeterValues → `meter_values_updated` received, at the lean dashboards. */
  eventLatency: LatencySummary;
  /**
   * Send of a StatusNotification → `connector_status_updated` received, at the lean dashboards:
   * one status told again by another station after every so many meter values (statusEvery), an event
   * that must never wait behind the meter values.
   */
  otherEventLatency: LatencySummary;
  /** Status notifications sent during the measurement. */
  statusSent: number;
  /**
   * The age of the value each dashboard showed of each session, taken at each change: from the
   * send of the first value it had not got to the arrival of the one that replaced it.
   */
  shownAge: LatencySummary;
  /** meter_values_updated a slow dashboard skipped for a newer one (the server's metric; null for the floor). */
  conflated: number | null;
  /** `meter_values_updated` delivered to the dashboards per second, all of them together. */
  deliveriesPerSecond: number;
  /** `meter_values_updated` received / expected (answered MeterValues × dashboards). */
  deliveredShare: number;
  minPerDashboard: number;
  maxPerDashboard: number;
  dashboardsDisconnected: number;
  scoped: {
    clients: number;
    clientsWithEvents: number;
    events: number;
    outOfScope: number;
    forbiddenRefused: number;
    latency: LatencySummary;
  };
  serverCpu: number;
  loadCpu: number;
  /** Cores used by everything else on the machine meanwhile. */
  otherCpu: number;
  /** The server's CPU profile (with --profile), and where the measured phase began and ended in it, ms. */
  profile: string | null;
  profileFromMs: number;
  profileToMs: number;
}

/**
 * One StatusNotification after every so many MeterValues (at 2,000/s: 40 a second), and at least
 * ten in a run (the smoke size's 50 calls).
 */
function statusEvery(size: FanoutSize): number {
  return Math.max(1, Math.min(50, Math.floor((size.rate * size.durationMs) / 1000 / 10)));
}

/**
 * Scenario 2: dashboards and station-scoped clients on the real-time API while MeterValues
 * arrive at a fixed rate; end-to-end latency and proof that scoped clients see only their stations.
 */
export async function runFanout(
  context: ScenarioContext,
  kind: TargetKind,
  size: FanoutSize,
  cpuProfile: boolean,
): Promise<FanoutResult> {
  const name = `fanout-${kind}`;
  const target = await launch(context, kind, { name, heartbeatInterval: 300, cpuProfile });
  let fleet: Fleet | undefined;
  let clients: Channel<DashboardCommand, DashboardReport> | undefined;
  let result: Omit<FanoutResult, 'profile'> | undefined;
  try {
    // The floor has no users, scopes nor tokens: its dashboards connect with any token.
    const api = kind === 'server' ? new Api(target.httpUrl) : undefined;
    if (api) {
      await api.useLogin('admin', target.adminPassword);
      await api.createIdTag(BENCH_ID_TAG);
    }
    fleet = await Fleet.start(size.workers, context.loadCore, context.logDir, name);
    const ids = stationIds('FAN', size.stations);
    context.say(
      `${name}: booting ${size.stations} stations` +
        (api ? `, creating ${size.scoped} station-scoped users` : ''),
    );
    await connectAndStart(fleet, target, ids, size.connectors);

    const scoped: { token: string; allowed: string[]; forbidden: string }[] = [];
    for (let i = 0; api && i < size.scoped; i++) {
      const allowed = [ids[(2 * i) % ids.length], ids[(2 * i + 1) % ids.length]] as string[];
      const forbidden = ids[(2 * i + 2) % ids.length] as string;
      const username = `bench-scoped-${i}`;
      const password = randomBytes(12).toString('base64url');
      await api.createUser(username, password, ['viewer'], allowed);
      scoped.push({ token: await api.login(username, password), allowed, forbidden });
    }

    clients = new Channel<DashboardCommand, DashboardReport>(
      spawnTs(DASHBOARDS, [], {
        core: context.loadCore,
        logFile: join(context.logDir, `${name}-clients.log`),
        ipc: true,
      }),
      'dashboards',
    );
    await clients.whenReady();
    context.say(`${name}: connecting ${size.dashboards} dashboards and ${scoped.length} scoped clients`);
    const connected = await clients.request(
      {
        type: 'connect',
        url: target.httpUrl,
        dashboards: { count: size.dashboards, token: api?.bearer ?? 'floor' },
        scoped,
      },
      'connected',
      120_000,
    );
    if (connected.failed > 0)
      throw new Error(`${connected.failed} real-time clients failed: ${connected.errors.join('; ')}`);

    const intervalMs = ((size.stations * size.connectors) / size.rate) * 1000;
    const conflatedBefore = kind === 'server' ? await conflatedCount(target.httpUrl) : null;
    await clients.request({ type: 'measure', intervalMs }, 'measuring', 10_000);
    const profileFromMs = performance.now() - target.spawnedAt;
    const server = new CpuWindow(target.pids);
    const load = new CpuWindow([...fleet.pids, clients.pid]);
    const meter = await fleet.meter(size.rate, size.durationMs, statusEvery(size));
    const profileToMs = performance.now() - target.spawnedAt;
    // Let the last events arrive.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const serverCpu = server.cores();
    const loadCpu = load.cores();
    const otherCpu = round(Math.max(0, server.machineCores() - serverCpu - loadCpu), 3);
    const collected = await clients.request({ type: 'collect' }, 'collected', 30_000);
    const conflatedAfter = kind === 'server' ? await conflatedCount(target.httpUrl) : null;
    const { dashboards } = collected;
    const expected = meter.answered * dashboards.clients;
    context.say(
      `${name}: ${meter.achieved}/s MeterValues, event p50 ${Histogram.from(dashboards.latency).summary().p50} ` +
        `p99 ${Histogram.from(dashboards.latency).summary().p99} ms, shown value age p99 ` +
        `${Histogram.from(dashboards.shownAge).summary().p99} ms, ${collected.scoped.outOfScope} out of scope`,
    );
    result = {
      target: kind,
      stations: size.stations,
      dashboards: dashboards.clients,
      scopedClients: collected.scoped.clients,
      rate: size.rate,
      achieved: meter.achieved,
      meterValuesLatency: meter.latency.summary(),
      eventLatency: Histogram.from(dashboards.latency).summary(),
      shownAge: Histogram.from(dashboards.shownAge).summary(),
      otherEventLatency: Histogram.from(dashboards.otherLatency).summary(),
      statusSent: meter.statusSent,
      conflated:
        conflatedAfter === null || conflatedBefore === null ? null : conflatedAfter - conflatedBefore,
      deliveriesPerSecond: Math.round(dashboards.events / (collected.elapsedMs / 1000)),
      deliveredShare: expected === 0 ? 0 : round(dashboards.events / expected, 4),
      minPerDashboard: dashboards.minPerClient,
      maxPerDashboard: dashboards.maxPerClient,
      dashboardsDisconnected: dashboards.disconnected,
      scoped: { ...collected.scoped, latency: Histogram.from(collected.scoped.latency).summary() },
      serverCpu,
      loadCpu,
      otherCpu,
      profileFromMs,
      profileToMs,
    };
  } finally {
    await clients?.close({ type: 'close' });
    await fleet?.close();
    await target.stop();
  }
  return { ...result, profile: cpuProfile ? mainThreadProfile(profileDir(context, name)) : null };
}

/** The server's count of conflated meter values (realtime_meter_values_conflated_total). */
async function conflatedCount(httpUrl: string): Promise<number> {
  const text = await (await fetch(`${httpUrl}/metrics`)).text();
  return Number(/^realtime_meter_values_conflated_total (\d+)$/m.exec(text)?.[1] ?? 0);
}
