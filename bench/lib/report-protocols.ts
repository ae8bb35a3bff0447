import type { IngestResult } from '../scenarios/ingest.js';
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
    `| fleet | ingest sustained, server / floor calls/s | % of floor | server µs/call at ${rate}/s | floor µs/call | server p99 ms at ${rate}/s | boot storm s, server / floor | RSS KB per idle station, server / floor |`,
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  const first = (result: IngestResult | undefined) => result?.steps.find((step) => step.target === rate);
  const costAt = (result: IngestResult | undefined) => first(result)?.serverCpuPerCallUs ?? null;
  for (const { protocol, ingest, capacity } of runs) {
    out.push(
      `| ${protocol} | ${ingest ? `${ingest.server.sustained} / ${ingest.floor.sustained}` : '–'} | ${ingest ? pct(ingest.ratio) : '–'} | ` +
        `${ms(costAt(ingest?.server))} | ${ms(costAt(ingest?.floor))} | ${ms(first(ingest?.server)?.latency.p99 ?? null)} | ` +
        `${capacity ? `${capacity.server.bootStormSeconds} / ${capacity.floor.bootStormSeconds}` : '–'} | ` +
        `${capacity ? `${capacity.server.rssPerStationKb} / ${capacity.floor.rssPerStationKb}` : '–'} |`,
    );
  }
  const cost = (protocol: string) => costAt(runs.find((r) => r.protocol === protocol)?.ingest?.server);
  const [v16, v201, mixed] = [cost('1.6'), cost('2.0.1'), cost('mixed')];
  if (v16 !== null && v201 !== null && mixed !== null) {
    const average = (v16 + v201) / 2;
    out.push(
      '',
      `Mixed fleet: ${mixed} µs of server CPU per call against ${Math.round(average)} µs, the average of 1.6 and 2.0.1: ` +
        (mixed <= average * 1.05 ? '**no more than the average**' : '**more than the average**') +
        ' (5 % measurement margin).',
    );
  }
  out.push('');
  return out;
}
