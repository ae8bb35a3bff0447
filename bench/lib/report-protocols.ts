import type { IngestResult, IngestStep } from '../scenarios/ingest.js';
import type { Report } from './report.js';
import { ms, pct } from './report.js';

/**
 * The section that sets the fleet protocols of a run side by side (`--protocol`): per protocol,
 * the ingest figures (sustained calls/s of server and floor; server CPU per call and p99 at the
 * ladder's first rate, which every fleet runs, even on a machine too busy to climb further) and
 * the capacity figures. With 1.6, 2.0.1 and mixed all measured, it also says
 * whether the mixed fleet cost more per message than the average of the two.
 */
export function protocolsMarkdown(report: Report): string[] {
  const runs = report.protocols;
  if (runs.length === 0 || (runs.length === 1 && runs[0]?.protocol === '1.6')) return [];
  const rate = report.sizes.ingest.rates[0] ?? 0;
  const out = [
    '## 4. OCPP versions side by side',
    '',
    'The ingest and capacity scenarios once per fleet: OCPP 1.6 stations send MeterValues, OCPP 2.0.1 ' +
      'stations TransactionEvent Updated with the same three sampled values; a mixed fleet is half of each. ' +
      'Each fleet runs against the server and against a floor answering its version, each after the same ' +
      'warm-up that is not measured (a code path run the first time costs a mixed fleet twice).',
    '',
    `| fleet | ingest sustained, server / floor calls/s | % of floor | server µs/call at ${rate}/s (above idle) | floor µs/call | server idle cores | server p99 ms at ${rate}/s | boot storm s, server / floor | RSS KB per idle station, server / floor |`,
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  const first = (result: IngestResult | undefined) => result?.steps.find((step) => step.target === rate);
  const costAt = (result: IngestResult | undefined) => first(result)?.serverCpuPerCallUs ?? null;
  for (const { protocol, round, ingest, capacity } of runs) {
    const step = first(ingest?.server);
    out.push(
      `| ${protocol}${runs.some((run) => run.round > 1) ? ` (round ${round})` : ''} | ${ingest ? `${ingest.server.sustained} / ${ingest.floor.sustained}` : '–'} | ${ingest ? pct(ingest.ratio) : '–'} | ` +
        `${step ? `${step.serverCpuPerCallUs} (${step.serverCpuPerCallAboveIdleUs})` : '–'} | ${ms(costAt(ingest?.floor))} | ` +
        `${ms(ingest?.server.idleServerCpu ?? null)} | ${ms(step?.latency.p99 ?? null)} | ` +
        `${capacity ? `${capacity.server.bootStormSeconds} / ${capacity.floor.bootStormSeconds}` : '–'} | ` +
        `${capacity ? `${capacity.server.rssPerStationKb} / ${capacity.floor.rssPerStationKb}` : '–'} |`,
    );
  }
  const of = (protocol: string) =>
    runs.flatMap((run) => (run.protocol === protocol && run.ingest ? [run.ingest.server] : []));
  const [v16, v201, mixed] = [of('1.6'), of('2.0.1'), of('mixed')];
  if (v16.length > 0 && v201.length > 0 && mixed.length > 0) out.push('', ...mixedVerdict(v16, v201, mixed));
  out.push(...profileComparison(runs));
  out.push('');
  return out;
}

/**
 * Whether the mixed fleet cost more per message than the average of the two pure ones, at every
 * rate all three answered in full (5 % measurement margin): per call with all the server's CPU,
 * and per call above each fleet's idle cost. With several rounds (--rounds), each fleet's figure
 * is the median of its rounds.
 */
function mixedVerdict(v16: IngestResult[], v201: IngestResult[], mixed: IngestResult[]): string[] {
  const lines: string[] = [];
  const rounds = Math.min(v16.length, v201.length, mixed.length);
  const rates = [...new Set(mixed.flatMap((result) => result.steps.map((step) => step.target)))];
  for (const rate of rates) {
    // The steps at `rate` answered in full, one per round; a fleet without one has no figure.
    const full = (results: IngestResult[]) =>
      results.flatMap((result) =>
        result.steps.filter((step) => step.target === rate && step.achieved >= rate * 0.95),
      );
    const [a, b, m] = [full(v16), full(v201), full(mixed)];
    if (a.length === 0 || b.length === 0 || m.length === 0) continue;
    const say = (label: string, value: (step: IngestStep) => number) => {
      const [x, y, z] = [median(a.map(value)), median(b.map(value)), median(m.map(value))];
      const average = (x + y) / 2;
      return (
        `${label} ${z} µs against ${Math.round(average)} (1.6 ${x}, 2.0.1 ${y})` +
        (z <= average * 1.05 ? ': **no more than the average**' : ': **more than the average**')
      );
    };
    lines.push(
      `- Mixed fleet at ${rate}/s, server CPU per call${rounds > 1 ? ` (medians of ${m.length} rounds)` : ''}: ` +
        `${say('all CPU', (step) => step.serverCpuPerCallUs)}; ${say('above idle', (step) => step.serverCpuPerCallAboveIdleUs)}.`,
    );
  }
  const idle = (results: IngestResult[]) => median(results.map((result) => result.idleServerCpu));
  lines.push(
    `- Idle cost of the connected fleet (no meter values), cores: mixed ${idle(mixed)}, ` +
      `1.6 ${idle(v16)}, 2.0.1 ${idle(v201)}.`,
  );
  return lines;
}

function median(values: number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  const middle = Math.floor(sorted.length / 2);
  const value =
    sorted.length % 2 === 1 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
  return Math.round(value * 1000) / 1000;
}

/**
 * With --profile and the three fleets: the server's busy CPU per call over every measured step
 * (the profile's, so nothing but the server process counts), each fleet's median over its
 * rounds, and the mixed fleet against the average, with the origins that differ most.
 */
function profileComparison(runs: Report['protocols']): string[] {
  const of = (protocol: string) =>
    runs.flatMap((run) => (run.protocol === protocol && run.ingestProfile ? [run.ingestProfile] : []));
  const [v16, v201, mixed] = [of('1.6'), of('2.0.1'), of('mixed')];
  if (v16.length === 0 || v201.length === 0 || mixed.length === 0) return [];
  const busy = (profiles: typeof v16) => median(profiles.map((p) => p.busyUsPerCall));
  const [a, b, m] = [busy(v16), busy(v201), busy(mixed)];
  const average = (a + b) / 2;
  const origins = [...new Set([...v16, ...v201, ...mixed].flatMap((p) => Object.keys(p.byOrigin)))];
  const originOf = (profiles: typeof v16, origin: string) =>
    median(profiles.map((p) => p.byOrigin[origin] ?? 0));
  const gaps = origins
    .map((origin) => ({
      origin,
      gap: originOf(mixed, origin) - (originOf(v16, origin) + originOf(v201, origin)) / 2,
    }))
    .sort((x, y) => Math.abs(y.gap) - Math.abs(x.gap))
    .slice(0, 4);
  return [
    `- Profiled, every measured step: busy server CPU per call 1.6 ${a}, 2.0.1 ${b}, mixed ${m} µs against ` +
      `an average of ${Math.round(average * 10) / 10}` +
      (m <= average * 1.05 ? ': **no more than the average**' : ': **more than the average**') +
      ` (5 % margin). Largest differences from the average, µs per call: ` +
      gaps
        .map(({ origin, gap }) => `${origin} ${gap > 0 ? '+' : ''}${Math.round(gap * 10) / 10}`)
        .join(', ') +
      '.',
  ];
}
