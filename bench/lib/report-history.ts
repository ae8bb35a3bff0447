import type { HistoryResult } from '../scenarios/history.js';
import type { LatencySummary } from './histogram.js';
import type { BudgetLine } from './report.js';

const ISSUE_SAMPLES = 50_000_000;

const ms = (value: number | null) => (value === null ? '–' : String(value));
const latency = (l: LatencySummary) => `${ms(l.p50)} / ${ms(l.p95)} / ${ms(l.p99)} / ${ms(l.max)}`;
const within = (l: LatencySummary, limit: number) => l.p99 !== null && l.p99 <= limit;

/** Issue 17's history target: the REST reads p99 ≤ 50 ms, the month's CSV at ≥ 50,000 rows/s. */
export function historyBudget(history: HistoryResult): BudgetLine[] {
  const reads = [history.list, history.listFiltered, history.detail, history.stats, history.csvFirstByte];
  return [
    {
      id: 'history-reads',
      budget:
        "history: transaction list, detail, stats and a month's CSV p99 ≤ 50 ms (CSV: first byte; whole file ≥ 50,000 rows/s)",
      value:
        `list ${history.list.p99} ms, filtered ${history.listFiltered.p99} ms, detail ${history.detail.p99} ms, ` +
        `stats ${history.stats.p99} ms, CSV first byte ${history.csvFirstByte.p99} ms and ` +
        `${history.csvRowsPerSecond} rows/s; ${history.bytesPerSample} B per stored sample`,
      met: reads.every((read) => within(read, 50)) && history.csvRowsPerSecond >= 50_000,
      note:
        history.samples < ISSUE_SAMPLES
          ? `scaled down: ${history.samples.toLocaleString('en')} samples of the issue's 50 million`
          : '',
    },
  ];
}

export function historyMarkdown(history: HistoryResult): string[] {
  return [
    '## 4. History (stored samples, REST reads)',
    '',
    `${history.samples.toLocaleString('en')} energy samples (one a minute) of ${history.transactions.toLocaleString('en')} ` +
      'completed hour-long sessions over the past year, 500 stations × 2 connectors, stored directly in the ' +
      `database (${history.fillSeconds} s), raw (retention off: the heaviest case for the reads); then each read ` +
      'timed one request at a time, ms p50 / p95 / p99 / max.',
    '',
    '| | CIMORINGS |',
    '| --- | --- |',
    `| **bytes per stored sample** (meter_values and its indexes) | **${history.bytesPerSample}** (${Math.round(history.meterValuesBytes / 2 ** 20)} MB) |`,
    `| transaction list, first page | ${latency(history.list)} |`,
    `| transaction list of one station | ${latency(history.listFiltered)} |`,
    `| transaction detail (60 meter values) | ${latency(history.detail)} |`,
    `| statistics | ${latency(history.stats)} |`,
    `| a month's CSV: time to first byte | ${latency(history.csvFirstByte)} |`,
    `| a month's CSV: whole file (${history.csvRows} rows) | ${latency(history.csvWhole)}; ${history.csvRowsPerSecond} rows/s |`,
    '',
    '## Start-up',
    '',
    `A fresh server (new database: migrations, admin account) from spawn to the first 200 of \`/api/ready\`: ` +
      `**${history.startup.readyMs} ms**; resident memory 3 s later, idle: **${history.startup.idleRssMb} MB** ` +
      '(TypeScript run through tsx, as the bench starts it).',
    '',
  ];
}
