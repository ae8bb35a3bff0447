import { Fleet } from '../lib/fleet.js';
import type { LatencySummary } from '../lib/histogram.js';
import type { CapacitySize } from '../lib/options.js';
import { CpuWindow, totalRssBytes, sleep } from '../lib/procs.js';
import { eventLoopLag, type TargetKind } from '../lib/targets.js';
import type { FleetProtocol } from '../load/messages.js';
import { round, launch, protocolSuffix, stationIds, type ScenarioContext } from './common.js';

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
  /** Event-loop lag over the idle phase, ms (null when /metrics did not answer). */
  eventLoopLag: { mean: number; p99: number; max: number } | null;
  idleServerCpu: number;
  errors: Record<string, number>;
}

/** Scenario 3: a boot storm, then idle with heartbeats; memory per connection and event-loop lag. */
export async function runCapacity(
  context: ScenarioContext,
  kind: TargetKind,
  size: CapacitySize,
  protocol: FleetProtocol = '1.6',
): Promise<CapacityResult> {
  const name = `capacity-${kind}${protocolSuffix(protocol)}`;
  const target = await launch(context, kind, { name, heartbeatInterval: size.heartbeatInterval });
  let fleet: Fleet | undefined;
  try {
    fleet = await Fleet.start(size.workers, context.loadCore, context.logDir, name);
    await sleep(2000);
    const rssBefore = totalRssBytes(target.pids);
    context.say(`${name}: boot storm of ${size.stations} stations`);
    const server = new CpuWindow(target.pids);
    const load = new CpuWindow(fleet.pids);
    const began = performance.timeOrigin + performance.now();
    const storm = await fleet.connect(
      target.ocppUrl,
      stationIds('CAP', size.stations),
      2,
      size.concurrency,
      600_000,
      protocol,
    );
    const bootStormSeconds = storm.booted === 0 ? 0 : (storm.lastBootAt - began) / 1000;
    const stormServerCpu = server.cores();
    const stormLoadCpu = load.cores();
    const stormOtherCpu = round(Math.max(0, server.machineCores() - stormServerCpu - stormLoadCpu), 3);
    context.say(
      `${name}: ${storm.booted} booted in ${round(bootStormSeconds, 2)} s; idle ${size.idleMs / 1000} s`,
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
    return {
      target: kind,
      protocol,
      stations: size.stations,
      booted: storm.booted,
      failed: storm.failed,
      retries: storm.retries,
      bootStormSeconds: round(bootStormSeconds, 2),
      bootLatency: storm.bootLatency.summary(),
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
      rssPerStationKb: storm.booted === 0 ? 0 : round((rssIdle - rssBefore) / 1024 / storm.booted),
      eventLoopLag: lag && { mean: round(lag.mean, 2), p99: round(lag.p99, 2), max: round(lag.max, 2) },
      idleServerCpu,
      errors: { ...storm.errors, ...idle.errors },
    };
  } finally {
    await fleet?.close();
    await target.stop();
  }
}
