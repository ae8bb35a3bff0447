import type { CapacityResult } from '../scenarios/capacity.js';
import type { FailoverResult } from '../scenarios/failover.js';
import type { FanoutResult } from '../scenarios/fanout.js';
import type { HistoryResult } from '../scenarios/history.js';
import type { IngestResult, IngestStep } from '../scenarios/ingest.js';
import type { LatencySummary } from './histogram.js';
import type { BenchOptions } from './options.js';
import type { ProfileSummary } from './profile.js';
import type { FleetProtocol } from '../load/messages.js';
import { protocolsMarkdown } from './report-protocols.js';
import { historyBudget, historyMarkdown } from './report-history.js';
import { clusterPreamble, failoverBudget, failoverMarkdown } from './report-failover.js';
import { profilesMarkdown } from './report-profiles.js';
import { fanoutBudget, fanoutMarkdown } from './report-fanout.js';
import { capacityBudget, capacityMarkdown } from './report-capacity.js';

export interface Machine {
  /** The commit measured (`-dirty`: with uncommitted changes), null outside a git checkout. */
  commit: string | null;
  cpuModel: string;
  cores: number;
  memoryGiB: number;
  node: string;
  os: string;
  /** Open-files limit of the processes (hard limit; the soft one is raised to it). */
  fileLimit: number;
  taskset: boolean;
  serverCore: string | null;
  loadCore: string | null;
  /** Niceness of the measured processes. */
  nice: number;
}

/** The ingest and capacity scenarios of one fleet protocol, each against the server and its floor. */
export interface ProtocolRun {
  protocol: FleetProtocol;
  /** Which round of the fleets (--rounds), from 1. */
  round: number;
  ingest: { floor: IngestResult; server: IngestResult; ratio: number } | null;
  capacity: { floor: CapacityResult; server: CapacityResult } | null;
  /**
   * With --profile: the server's busy CPU per answered call over the whole measured ingest phase
   * (every step), from its CPU profile, µs; and where it went, µs per call by origin.
   */
  ingestProfile?: { busyUsPerCall: number; byOrigin: Record<string, number> } | null;
}

export interface BudgetLine {
  id: string;
  budget: string;
  value: string;
  met: boolean | null;
  note: string;
}

export interface Report {
  name: string;
  startedAt: string;
  finishedAt: string;
  durationSeconds: number;
  command: string;
  mode: BenchOptions['mode'];
  db: BenchOptions['db'];
  /** Server processes (several: behind HAProxy, on PostgreSQL and Redis). */
  nodes: number;
  machine: Machine;
  sizes: Pick<BenchOptions, 'ingest' | 'fanout' | 'capacity' | 'history' | 'failover'>;
  ingest: { floor: IngestResult; server: IngestResult; ratio: number } | null;
  fanout: { floor: FanoutResult; server: FanoutResult } | null;
  capacity: { floor: CapacityResult; server: CapacityResult } | null;
  /** Ingest and capacity per fleet protocol (`--protocol`), the first being `ingest` and `capacity` above. */
  protocols: ProtocolRun[];
  history: HistoryResult | null;
  failover: FailoverResult | null;
  /** CPU profiles of the server (with --profile): under ingest, under fan-out, during the boot storm. */
  profiles: {
    ingest: ProfileSummary | null;
    fanout: ProfileSummary | null;
    'boot storm'?: ProfileSummary | null;
  };
  budget: BudgetLine[];
  notes: string[];
}

/** The issue's budget, evaluated: reported, never asserted. */
export function evaluateBudget(report: Omit<Report, 'budget'>): BudgetLine[] {
  const lines: BudgetLine[] = [];
  const db = report.db === 'sqlite' ? 'SQLite' : 'PostgreSQL';
  if (report.ingest) {
    const { floor, server, ratio } = report.ingest;
    // Issue 17's targets: a share of the floor and a p99, each by database.
    const share = report.db === 'sqlite' ? 0.5 : 0.35;
    lines.push({
      id: 'ingest-ratio',
      budget: `sustained ingest with persistence (${db}) ≥ ${share * 100} % of the floor's calls/s (p99 ≤ 100 ms)`,
      value: `${pct(ratio)} (${server.sustained} vs ${floor.sustained} calls/s)`,
      met: ratio >= share,
      note: '',
    });
    const p99 = server.atBudgetRate?.latency.p99 ?? null;
    const rate = report.sizes.ingest.budgetRate;
    const p99Limit = report.db === 'sqlite' ? 3 : 5;
    lines.push({
      id: 'meter-p99',
      budget: `MeterValues p99 ≤ ${p99Limit} ms at 2,000 calls/s (${db})`,
      value: p99 === null ? 'not measured' : `${p99} ms (floor ${floor.atBudgetRate?.latency.p99 ?? '–'} ms)`,
      met: p99 === null ? null : p99 <= p99Limit && (server.atBudgetRate?.failed ?? 1) === 0,
      note:
        server.atBudgetRate === null
          ? `the ladder stopped before ${rate} calls/s`
          : rate === 2000
            ? ''
            : `scaled down: read at ${rate} calls/s`,
    });
  }
  if (report.fanout) lines.push(...fanoutBudget(report.fanout));
  if (report.capacity) lines.push(...capacityBudget(report.capacity));
  if (report.history) lines.push(...historyBudget(report.history));
  if (report.failover) lines.push(...failoverBudget(report.failover));
  return lines;
}

export function pct(ratio: number): string {
  return `${Math.round(ratio * 1000) / 10} %`;
}

export const ms = (value: number | null) => (value === null ? '–' : String(value));
export const latency = (l: LatencySummary) => `${ms(l.p50)} / ${ms(l.p95)} / ${ms(l.p99)} / ${ms(l.max)}`;
const metCell = (met: boolean | null) => (met === null ? 'not measured' : met ? '**met**' : '**not met**');

function stepRows(steps: IngestStep[]): string[] {
  return steps.map(
    (s) =>
      `| ${s.target} | ${s.achieved} | ${latency(s.latency)} | ${s.failed} | ${s.deferred} | ${s.serverCpu} | ${s.serverCpuPerCallUs} | ${s.serverCpuPerCallAboveIdleUs} | ${s.loadCpu} | ${s.otherCpu} | ${s.serverRssMb} |`,
  );
}

/** The markdown summary: what ran, the machine, every figure, the budget. */
export function toMarkdown(report: Report): string {
  const m = report.machine;
  const out: string[] = [
    `# CIMORINGS benchmark ${report.name}`,
    '',
    `\`${report.command}\` — mode **${report.mode}**, database **${report.db}**, ` +
      `${report.startedAt} → ${report.finishedAt} (${report.durationSeconds} s).`,
    '',
    ...(report.nodes > 1 ? clusterPreamble(report.nodes, report.machine.cores) : []),
    '## Machine',
    '',
    `- commit ${m.commit ?? 'unknown'}`,
    `- CPU: ${m.cpuModel}, ${m.cores} cores; memory ${m.memoryGiB} GiB; ${m.os}; Node ${m.node}`,
    `- server pinned to core ${m.serverCore ?? 'none'}, load generators to core ${m.loadCore ?? 'none'}` +
      (m.taskset ? ' (taskset)' : ' (no taskset: not pinned)') +
      (m.nice === 0 ? '' : `, at nice ${m.nice} (favoured over other work on the machine)`),
    `- open-files limit ${m.fileLimit}`,
    '',
    '## Budget',
    '',
    '| budget | value | verdict | note |',
    '| --- | --- | --- | --- |',
    ...report.budget.map((b) => `| ${b.budget} | ${b.value} | ${metCell(b.met)} | ${b.note} |`),
    '',
  ];
  if (report.ingest) {
    const { floor, server, ratio } = report.ingest;
    out.push(
      `## 1. Ingest (MeterValues${report.protocols[0]?.protocol === '1.6' ? '' : `; OCPP ${report.protocols[0]?.protocol}`})`,
      '',
      `${server.stations} stations × ${server.connectors} connectors, each with an active transaction; the rate ` +
        `steps up until p99 passes ${report.sizes.ingest.p99LimitMs} ms in two steps in a row, or the answers fall ` +
        `behind (steps of ${report.sizes.ingest.stepMs / 1000} s, after a warm-up of ${report.sizes.ingest.warmUpMs / 1000} s ` +
        'at the first rate that is not measured). Sustained: the most answered/s at a step within ' +
        'the limit and without a failed call. ' +
        'Latency is the round trip at the charge point, in ms (p50 / p95 / p99 / max). CPU in cores.',
      '',
      `Sustained: **server ${server.sustained} calls/s**, floor ${floor.sustained} calls/s: **${pct(ratio)} of the floor**.`,
      '',
      `Samples acknowledged ${server.acknowledgedSamples}, stored ${server.storedSamples ?? '–'}` +
        (server.storedSamples !== null && server.storedSamples >= server.acknowledgedSamples
          ? ' (nothing acknowledged was lost).'
          : ' (**acknowledged samples missing**).'),
      '',
    );
    for (const result of [server, floor]) {
      out.push(
        `### ${result.target === 'server' ? 'CIMORINGS' : 'Floor (bare ocpp-rpc)'}`,
        '',
        `Idle, the fleet connected and no meter values: ${result.idleServerCpu} cores.`,
        '',
        '| calls/s asked | answered/s | latency ms p50 / p95 / p99 / max | failed | deferred | server CPU | server µs/call | µs/call above idle | load CPU | other CPU | server RSS MB |',
        '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
        ...stepRows(result.steps),
        '',
      );
    }
  }
  if (report.fanout) out.push(...fanoutMarkdown(report.fanout));
  if (report.capacity) out.push(...capacityMarkdown(report.capacity));
  out.push(...protocolsMarkdown(report));
  if (report.history) out.push(...historyMarkdown(report.history));
  if (report.failover) out.push(...failoverMarkdown(report.failover));
  out.push(...profilesMarkdown(report.profiles));
  if (report.notes.length > 0) out.push('## Notes', '', ...report.notes.map((note) => `- ${note}`), '');
  return out.join('\n');
}
