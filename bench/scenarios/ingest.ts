import { Api } from '../lib/api.js';
import { Fleet } from '../lib/fleet.js';
import type { LatencySummary } from '../lib/histogram.js';
import type { IngestSize } from '../lib/sizes.js';
import { CpuWindow, totalRssBytes, sleep } from '../lib/procs.js';
import { mainThreadProfile, profileDir, type TargetKind } from '../lib/targets.js';
import { type FleetProtocol, SAMPLES_PER_METER_VALUES } from '../load/messages.js';
import {
  BENCH_ID_TAG,
  connectAndStart,
  round,
  launch,
  runName,
  type FleetRun,
  stationIds,
  type ScenarioContext,
} from './common.js';

export interface IngestStep {
  /** Calls/s asked of the load generators. */
  target: number;
  /** Calls/s answered. */
  achieved: number;
  sent: number;
  answered: number;
  failed: number;
  deferred: number;
  latency: LatencySummary;
  /** Cores used on average: the server (or floor) process, and the load processes together. */
  serverCpu: number;
  loadCpu: number;
  /** Cores used by everything else on the machine meanwhile (other people's work, the kernel's). */
  otherCpu: number;
  /** Server CPU time per answered call, µs: the cost of a message, little affected by other load. */
  serverCpuPerCallUs: number;
  /**
   * The same above the fleet's idle cost (IngestResult.idleServerCpu): what the messages
   * themselves cost, without what the connected fleet costs per second whatever it sends.
   */
  serverCpuPerCallAboveIdleUs: number;
  serverRssMb: number;
  errors: Record<string, number>;
}

export interface IngestResult {
  target: TargetKind;
  protocol: FleetProtocol;
  stations: number;
  connectors: number;
  steps: IngestStep[];
  /**
   * Cores the server (or floor) used with the whole fleet connected, every transaction running and
   * no meter values, measured for one step's length after the warm-up: pings, timers, the
   * periodic work of the connections and what the warm-up left to collect.
   */
  idleServerCpu: number;
  /** Highest calls/s answered at a step whose p99 stayed within the limit and had no failure. */
  sustained: number;
  /** The step at the budget's rate (2,000 calls/s in full and quick runs), if it ran. */
  atBudgetRate: IngestStep | null;
  /** Samples acknowledged to the charge points (warm-up included), and stored in the database after shutdown (server only). */
  acknowledgedSamples: number;
  storedSamples: number | null;
  profile: string | null;
  /** Where the MeterValues steps began and ended in the profile, ms after the process started. */
  profileFromMs: number;
  profileToMs: number;
}

/** Scenario 1: meter values from every connector's transaction (1.6 MeterValues, 2.0.1 TransactionEvent), stepping the rate up until p99 passes the limit. */
export async function runIngest(
  context: ScenarioContext,
  run: FleetRun<IngestSize> & { cpuProfile: boolean },
): Promise<IngestResult> {
  const { kind, size, cpuProfile, protocol } = run;
  const name = runName('ingest', run);
  const target = await launch(context, kind, { name, heartbeatInterval: 300, cpuProfile });
  let fleet: Fleet | undefined;
  const steps: IngestStep[] = [];
  let profileFromMs: number | undefined;
  let profileToMs: number | undefined;
  let warmUpAnswered: number | undefined;
  let idleServerCpu: number | undefined;
  try {
    if (kind === 'server') {
      const api = new Api(target.httpUrl);
      await api.useLogin('admin', target.adminPassword);
      await api.createIdTag(BENCH_ID_TAG);
    }
    fleet = await Fleet.start(size.workers, context.loadCore, context.logDir, name);
    context.say(
      `${name}: booting ${size.stations} stations, starting ${size.stations * size.connectors} transactions`,
    );
    await connectAndStart(fleet, target, stationIds('ING', size.stations), size.connectors, protocol);
    const firstRate = size.rates[0] ?? 0;
    const warmUp = await fleet.meter(firstRate, size.warmUpMs);
    context.say(
      `${name}: warm-up at ${firstRate}/s for ${size.warmUpMs / 1000} s (not measured): ${warmUp.achieved}/s answered, ` +
        `p99 ${warmUp.latency.summary().p99} ms, ${warmUp.failed} failed`,
    );
    warmUpAnswered = warmUp.answered;
    await sleep(size.pauseMs);
    const idleWindow = new CpuWindow(target.pids);
    await sleep(size.stepMs);
    const idle = idleWindow.cores();
    idleServerCpu = idle;
    context.say(`${name}: idle (fleet connected, no meter values) cpu server ${idle}`);
    profileFromMs = performance.now() - target.spawnedAt;
    let overBefore = false;
    for (const rate of size.rates) {
      const server = new CpuWindow(target.pids);
      const load = new CpuWindow(fleet.pids);
      const result = await fleet.meter(rate, size.stepMs);
      const serverCpu = server.cores();
      const step: IngestStep = {
        target: rate,
        achieved: result.achieved,
        sent: result.sent,
        answered: result.answered,
        failed: result.failed,
        deferred: result.deferred,
        latency: result.latency.summary(),
        serverCpu,
        loadCpu: load.cores(),
        otherCpu: round(Math.max(0, server.machineCores() - serverCpu - load.cores()), 3),
        serverCpuPerCallUs: perCall(serverCpu, result.achieved),
        serverCpuPerCallAboveIdleUs: perCall(Math.max(0, serverCpu - idle), result.achieved),
        serverRssMb: round(totalRssBytes(target.pids) / 2 ** 20),
        errors: result.errors,
      };
      steps.push(step);
      context.say(
        `${name}: ${rate}/s → ${step.achieved}/s answered, p50 ${step.latency.p50} p99 ${step.latency.p99} ms, ` +
          `cpu server ${step.serverCpu} (${step.serverCpuPerCallUs} µs/call) load ${step.loadCpu} other ${step.otherCpu}`,
      );
      // One pause (a major GC in either process) can put a 10 s step's p99 over the limit: the
      // ladder ends at the second step in a row over it, or as soon as the answers fall behind.
      const over = (step.latency.p99 ?? Infinity) > size.p99LimitMs;
      if (step.achieved < rate * 0.8 || (over && overBefore)) break;
      overBefore = over;
      await sleep(size.pauseMs);
    }
    profileToMs = performance.now() - target.spawnedAt;
  } finally {
    await fleet?.close();
    await target.stop();
  }
  const within = steps.filter(
    (step) => (step.latency.p99 ?? Infinity) <= size.p99LimitMs && step.failed === 0,
  );
  return {
    target: kind,
    protocol,
    stations: size.stations,
    connectors: size.connectors,
    steps,
    idleServerCpu: idleServerCpu ?? 0,
    sustained: Math.max(0, ...within.map((step) => step.achieved)),
    atBudgetRate: steps.find((step) => step.target === size.budgetRate) ?? null,
    acknowledgedSamples:
      steps.reduce((sum, step) => sum + step.answered, warmUpAnswered ?? 0) * SAMPLES_PER_METER_VALUES,
    storedSamples: target.storedSamples,
    profile: cpuProfile ? mainThreadProfile(profileDir(context, name)) : null,
    profileFromMs: profileFromMs ?? 0,
    profileToMs: profileToMs ?? Infinity,
  };
}

/** µs of CPU per call from cores used and calls answered per second. */
function perCall(cores: number, callsPerSecond: number): number {
  return callsPerSecond > 0 ? Math.round((cores * 1e6) / callsPerSecond) : 0;
}
