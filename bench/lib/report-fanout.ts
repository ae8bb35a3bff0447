import { latency, pct, type BudgetLine, type Report } from './report.js';

const FULL_DASHBOARDS = 300;

/** Issue 17's fan-out targets: the event p99s to the dashboards, and how old a shown value may be. */
export function fanoutBudget({ floor, server: fan }: NonNullable<Report['fanout']>): BudgetLine[] {
  const lines: BudgetLine[] = [];
  const p99 = fan.eventLatency.p99;
  const scaled = fan.dashboards !== FULL_DASHBOARDS || fan.rate !== 2000;
  lines.push({
    id: 'event-p99',
    budget: 'event p99 < 20 ms to 300 dashboards at 2,000 events/s',
    value:
      (p99 === null ? 'no event received' : `${p99} ms`) +
      ` at ${fan.achieved} events/s (floor ${floor.eventLatency.p99 ?? '–'} ms at ${floor.achieved}/s)`,
    met: p99 === null ? false : p99 < 20 && fan.deliveredShare >= 0.999 && fan.achieved >= fan.rate * 0.95,
    note:
      (scaled ? `scaled down: ${fan.dashboards} dashboards at ${fan.rate} events/s. ` : '') +
      `${pct(fan.deliveredShare)} of the expected events delivered`,
  });
  // A p99 within its limit with every dashboard still connected, or not.
  const within = (p99: number | null, limitMs: number, detail: string) => ({
    value: (p99 === null ? 'no event received' : `${p99} ms`) + detail,
    met: p99 !== null && p99 <= limitMs && fan.dashboardsDisconnected === 0,
    note: scaled ? `scaled down: ${fan.dashboards} dashboards at ${fan.rate} events/s` : '',
  });
  lines.push({
    id: 'other-events-p99',
    budget: 'every other event (connector_status_updated beside the meter values) p99 ≤ 100 ms',
    ...within(
      fan.otherEventLatency.p99,
      100,
      ` of ${fan.statusSent} statuses (floor ${floor.otherEventLatency.p99 ?? '–'} ms)`,
    ),
  });
  lines.push({
    id: 'shown-age',
    budget: "every dashboard's shown value of each session at most 1 s old (p99), skips counted",
    ...within(
      fan.shownAge.p99,
      1000,
      ` (floor ${floor.shownAge.p99 ?? '–'} ms); ${fan.conflated ?? 0} superseded values skipped`,
    ),
  });
  return lines;
}

export function fanoutMarkdown({ floor, server: f }: NonNullable<Report['fanout']>): string[] {
  return [
    '## 2. Fan-out (real-time events)',
    '',
    `${f.dashboards} dashboards in \`dashboard\` and ${f.scopedClients} station-scoped clients (2 stations each) ` +
      `while ${f.stations} stations are asked for ${f.rate} MeterValues/s. The floor is a bare Socket.IO server on ` +
      'the floor process that broadcasts the same event to the same dashboards (no authentication, no scopes).',
    '',
    '| | CIMORINGS | floor |',
    '| --- | --- | --- |',
    `| MeterValues/s answered | ${f.achieved} | ${floor.achieved} |`,
    `| **MeterValues → \`meter_values_updated\` at the dashboards, ms p50 / p95 / p99 / max** | **${latency(f.eventLatency)}** | ${latency(floor.eventLatency)} |`,
    `| **age of the value each dashboard shows, ms p50 / p95 / p99 / max** | **${latency(f.shownAge)}** | ${latency(floor.shownAge)} |`,
    `| **StatusNotification → \`connector_status_updated\` (${f.statusSent} told beside the meter values), ms p50 / p95 / p99 / max** | **${latency(f.otherEventLatency)}** | ${latency(floor.otherEventLatency)} |`,
    `| superseded meter values skipped (conflated) | ${f.conflated ?? '–'} | – |`,
    `| events delivered/s (all dashboards) | ${f.deliveriesPerSecond} | ${floor.deliveriesPerSecond} |`,
    `| delivered / expected | ${pct(f.deliveredShare)} | ${pct(floor.deliveredShare)} |`,
    `| events per dashboard (min–max) | ${f.minPerDashboard}–${f.maxPerDashboard} | ${floor.minPerDashboard}–${floor.maxPerDashboard} |`,
    `| dashboards disconnected | ${f.dashboardsDisconnected} | ${floor.dashboardsDisconnected} |`,
    `| MeterValues round trip meanwhile, ms | ${latency(f.meterValuesLatency)} | ${latency(floor.meterValuesLatency)} |`,
    `| CPU: server / load + clients / other | ${f.serverCpu} / ${f.loadCpu} / ${f.otherCpu} | ${floor.serverCpu} / ${floor.loadCpu} / ${floor.otherCpu} |`,
    '',
    `Scoped clients: ${f.scoped.clientsWithEvents}/${f.scoped.clients} received events of their stations ` +
      `(${f.scoped.events} in all, latency ${latency(f.scoped.latency)}); **${f.scoped.outOfScope} events outside their scope**; ` +
      `${f.scoped.forbiddenRefused}/${f.scoped.clients} were refused a station room outside their scope. ` +
      'Event timestamps have millisecond resolution: latencies read up to 1 ms high.',
    '',
  ];
}
