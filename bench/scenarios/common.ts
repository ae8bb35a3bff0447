import type { Fleet } from '../lib/fleet.js';
import type { FleetProtocol } from '../load/messages.js';
import { waitForQuiet } from '../lib/procs.js';
import { startTarget, type RunContext, type Target, type TargetKind } from '../lib/targets.js';

/** The id tag every bench session uses: a fleet card that may hold many sessions at once. */
export const BENCH_ID_TAG = 'BENCHFLEET';

/** Everything a scenario needs from the driver. */
export interface ScenarioContext extends RunContext {
  loadCore: string | null;
  /** Progress lines for the person running the bench. */
  say: (line: string) => void;
  /** Before each measured target: wait for the machine to be quiet, at most this long (ms; 0: never). */
  quietWaitMs: number;
}

/** Waits (bounded) for other processes to calm down before a measurement; says when it had to. */
export async function settle(context: ScenarioContext): Promise<void> {
  if (context.quietWaitMs <= 0) return;
  const busy = await waitForQuiet(0.25, context.quietWaitMs);
  if (busy > 0.25) context.say(`the machine is still busy (${busy} cores used by others): measuring anyway`);
}

/** Launches a scenario's target: once the machine is quiet enough (see `settle`), saying so. */
export async function launch(
  context: ScenarioContext,
  kind: TargetKind,
  options: { name: string; heartbeatInterval: number; cpuProfile?: boolean; env?: Record<string, string> },
): Promise<Target> {
  await settle(context);
  context.say(`${options.name}: starting the ${kind}`);
  return startTarget(context, kind, options);
}

export function stationIds(prefix: string, count: number): string[] {
  const width = String(count).length;
  return Array.from({ length: count }, (_, i) => `${prefix}${String(i + 1).padStart(width, '0')}`);
}

/** One run of a fleet scenario: against which target, at which size, the fleet speaking which protocol. */
export interface FleetRun<Size> {
  kind: TargetKind;
  size: Size;
  protocol: FleetProtocol;
  /** Which round of the fleets this is (--rounds; 1 when absent): names its logs apart from the others'. */
  round?: number;
}

/** A run's name in progress lines, logs and profiles: `ingest-server`, `capacity-floor-2.0.1` (nothing for 1.6), `-r2` from the second round. */
export function runName(scenario: string, { kind, protocol, round = 1 }: FleetRun<unknown>): string {
  return `${scenario}-${kind}${protocol === '1.6' ? '' : `-${protocol}`}${round > 1 ? `-r${round}` : ''}`;
}

/** Boots `ids` and starts a transaction on each connector; throws unless every one started. */
export async function connectAndStart(
  fleet: Fleet,
  target: Target,
  ids: string[],
  connectors: number,
  protocol: FleetProtocol = '1.6',
): Promise<void> {
  const boot = await fleet.connect(target.ocppUrl, ids, connectors, 100, 300_000, protocol);
  if (boot.failed > 0)
    throw new Error(`${boot.failed} stations did not boot: ${JSON.stringify(boot.errors)}`);
  const started = await fleet.startTransactions(BENCH_ID_TAG, 300_000);
  if (started.failed > 0) {
    throw new Error(`${started.failed} transactions did not start: ${JSON.stringify(started.errors)}`);
  }
}

export const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;
