import { Fleet } from '../lib/fleet.js';
import type { LatencySummary } from '../lib/histogram.js';
import type { CapacitySize } from '../lib/sizes.js';
import { CpuWindow, totalRssBytes, sleep } from '../lib/procs.js';
import { eventLoopLag, mainThreadProfile, memoryOf, profileDir, type TargetKind } from '../lib/targets.js';
import type { FleetProtocol } from '../load/messages.js';
import { round, launch, runName, stationIds, type FleetRun, type ScenarioContext } from './common.js';

export interface CapacityResult {
  target: TargetKind;
  protocol: FleetProtocol;
  stations: number;
  booted: number;
  failed: number;
  retries: number;
  /** From the first connection attempt to the last BootNotification.conf, seconds. */
  bootStormSeconds: number;
  bootLatency: LatencySummary;
  /** Stations a second of an open-loop storm (--storm-rate); null for the closed-loop one. */
  openLoopRate: number | null;
  /** From opening a socket to the upgrade's completion. */
  connectLatency: LatencySummary;
  /** Upgrades answered with an HTTP status instead of 101 (timeouts are among `errors`). */
  upgradesRefused: number;
  /** /api/ready probed every 250 ms during the storm: answers by status ('error': none in 5 s). */
  readyDuringStorm: { byStatus: Record<string, number>; slowestMs: number };
  stormServerCpu: number;
  stormLoadCpu: number;
  /** Cores used by everything else on the machine during the storm and the idle phase. */
  stormOtherCpu: number;
  idleOtherCpu: number;
  idleSeconds: number;
  heartbeatInterval: number;
  heartbeats: number;
  heartbeatLatency: LatencySummary;
  openAfterIdle: number;
  rssBeforeMb: number;
  rssIdleMb: number;
  /** (RSS idle − RSS before the storm) / stations booted. */
  rssPerStationKb: number;
  /**
   * The same growth split by where it is, KB per station (null when /metrics did not answer):
   * the JavaScript heap in use (garbage not yet collected included), memory outside the heap
   * held by JavaScript objects (Buffers, socket buffers), and the rest of the RSS (native:
   * the database's cache, the allocator, code).
   */
  memoryPerStationKb: { heap: number; external: number; rest: number } | null;
  /** Event-loop lag over the idle phase, ms (null when /metrics did not answer). */
  eventLoopLag: { mean: number; p99: number; max: number } | null;
  idleServerCpu: number;
  errors: Record<string, number>;
  /** The server's CPU profile (with --profile), and where the storm began and ended in it, ms. */
  profile: string | null;
  profileFromMs: number;
  profileToMs: number;
}

/** Scenario 3: a boot storm, then idle with heartbeats; memory per connection and event-loop lag. */
export async function runCapacity(
  context: ScenarioContext,
  run: FleetRun<CapacitySize> & { cpuProfile?: boolean },
): Promise<CapacityResult> {
  const { kind, size, protocol, cpuProfile = false } = run;
  const name = runName('capacity', run);
  const target = await launch(context, kind, { name, heartbeatInterval: size.heartbeatInterval, cpuProfile });
  let profileFromMs: number | undefined;
  let profileToMs: number | undefined;
  let measured: Omit<CapacityResult, 'profile' | 'profileFromMs' | 'profileToMs'>;
  let fleet: Fleet | undefined;
  try {
    fleet = await Fleet.start(size.workers, context.loadCore, context.logDir, name);
    await sleep(2000);
    const rssBefore = totalRssBytes(target.pids);
    const memoryBefore = await memoryOf(target);
    context.say(`${name}: boot storm of ${size.stations} stations`);
    const server = new CpuWindow(target.pids);
    const load = new CpuWindow(fleet.pids);
    const began = performance.timeOrigin + performance.now();
    profileFromMs = performance.now() - target.spawnedAt;
    const probes = probeReadiness(target.httpUrl);
    const storm = await fleet.connect(
      target.ocppUrl,
      stationIds('CAP', size.stations),
      2,
      size.concurrency,
      600_000,
      protocol,
      size.openLoopRate,
    );
    profileToMs = performance.now() - target.spawnedAt;
    const ready = await probes.stop();
    const bootStormSeconds = storm.booted === 0 ? 0 : (storm.lastBootAt - began) / 1000;
    const stormServerCpu = server.cores();
    const stormLoadCpu = load.cores();
    const stormOtherCpu = round(Math.max(0, server.machineCores() - stormServerCpu - stormLoadCpu), 3);
    const connect = storm.connectLatency.summary();
    context.say(
      `${name}: ${storm.booted} booted in ${round(bootStormSeconds, 2)} s` +
        (size.openLoopRate === undefined ? '' : ` (open loop, ${size.openLoopRate}/s)`) +
        `; connect p50 ${connect.p50} ms, p99 ${connect.p99} ms; ` +
        `/api/ready ${JSON.stringify(ready.byStatus)}; errors ${JSON.stringify(storm.errors)}; idle ${size.idleMs / 1000} s`,
    );

    await sleep(1000);
    await eventLoopLag(target); // resets the window
    const idleServer = new CpuWindow(target.pids);
    const idleLoad = new CpuWindow(fleet.pids);
    const idle = await fleet.idle(size.idleMs, null);
    const lag = await eventLoopLag(target);
    const idleServerCpu = idleServer.cores();
    const idleOtherCpu = round(Math.max(0, idleServer.machineCores() - idleServerCpu - idleLoad.cores()), 3);
    const rssIdle = totalRssBytes(target.pids);
    const memoryIdle = await memoryOf(target);
    const perStation = (bytes: number) => (storm.booted === 0 ? 0 : round(bytes / 1024 / storm.booted));
    const heap = memoryIdle && memoryBefore && perStation(memoryIdle.heapUsed - memoryBefore.heapUsed);
    const external = memoryIdle && memoryBefore && perStation(memoryIdle.external - memoryBefore.external);
    measured = {
      target: kind,
      protocol,
      stations: size.stations,
      booted: storm.booted,
      failed: storm.failed,
      retries: storm.retries,
      bootStormSeconds: round(bootStormSeconds, 2),
      bootLatency: storm.bootLatency.summary(),
      openLoopRate: size.openLoopRate ?? null,
      connectLatency: connect,
      upgradesRefused: Object.entries(storm.errors)
        .filter(([error]) => error.startsWith('HTTP '))
        .reduce((total, [, count]) => total + count, 0),
      readyDuringStorm: ready,
      stormServerCpu,
      stormLoadCpu,
      stormOtherCpu,
      idleOtherCpu,
      idleSeconds: size.idleMs / 1000,
      heartbeatInterval: size.heartbeatInterval,
      heartbeats: idle.heartbeats,
      heartbeatLatency: idle.latency.summary(),
      openAfterIdle: idle.open,
      rssBeforeMb: round(rssBefore / 2 ** 20),
      rssIdleMb: round(rssIdle / 2 ** 20),
      rssPerStationKb: perStation(rssIdle - rssBefore),
      memoryPerStationKb:
        heap === null || external === null
          ? null
          : { heap, external, rest: round(perStation(rssIdle - rssBefore) - heap - external) },
      eventLoopLag: lag && { mean: round(lag.mean, 2), p99: round(lag.p99, 2), max: round(lag.max, 2) },
      idleServerCpu,
      errors: { ...storm.errors, ...idle.errors },
    };
  } finally {
    await fleet?.close();
    await target.stop();
  }
  // The profile is written when the server exits.
  return {
    ...measured,
    profile: cpuProfile ? mainThreadProfile(profileDir(context, name)) : null,
    profileFromMs: profileFromMs ?? 0,
    profileToMs: profileToMs ?? Infinity,
  };
}

/**
 * /api/ready asked every 250 ms (each probe waiting for its answer up to 5 s) until stopped:
 * the answers by status ('error' when none came), and the slowest.
 */
function probeReadiness(httpUrl: string) {
  const byStatus: Record<string, number> = {};
  let slowestMs = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      const began = performance.now();
      let status: string;
      try {
        status = String((await fetch(`${httpUrl}/api/ready`, { signal: AbortSignal.timeout(5000) })).status);
      } catch {
        status = 'error';
      }
      slowestMs = Math.max(slowestMs, performance.now() - began);
      byStatus[status] = (byStatus[status] ?? 0) + 1;
      await sleep(250);
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return { byStatus, slowestMs: round(slowestMs, 1) };
    },
  };
}
