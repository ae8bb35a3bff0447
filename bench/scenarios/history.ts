import { Api } from '../lib/api.js';
import { Histogram, type LatencySummary } from '../lib/histogram.js';
import { bytesPerSample, fillHistory, HISTORY_STATIONS, type HistoryShape } from '../lib/history-fill.js';
import { totalRssBytes, sleep } from '../lib/procs.js';
import { launch, round, type ScenarioContext } from './common.js';

export interface HistorySize {
  /** Stored samples; `--history-samples` sets it. */
  samples: number;
  /** Requests of each kind measured. */
  requests: number;
}

export interface HistoryResult {
  samples: number;
  transactions: number;
  fillSeconds: number;
  bytesPerSample: number;
  meterValuesBytes: number;
  /** p50/p95/p99 of each REST read, ms. */
  list: LatencySummary;
  listFiltered: LatencySummary;
  detail: LatencySummary;
  stats: LatencySummary;
  /** A month's transactions as CSV: time to the first byte, whole download, rows and rows/s. */
  csvFirstByte: LatencySummary;
  csvWhole: LatencySummary;
  csvRows: number;
  csvRowsPerSecond: number;
  /** The fresh server before the fill: time to ready and resident memory 3 s later, idle. */
  startup: { readyMs: number; idleRssMb: number };
}

/**
 * Scenario 4: years of history. Fills the server's database directly (see fillHistory) with
 * `samples` energy samples of completed sessions over the past year, 500 stations × 2
 * connectors, then times the REST reads an operator makes: the transaction list (first page,
 * and filtered by station), a transaction's detail with its meter values, the statistics, and a
 * month's CSV export (time to first byte and rows/s). Raw samples are kept (retention off), the
 * heaviest case for the reads.
 */
export async function runHistory(context: ScenarioContext, size: HistorySize): Promise<HistoryResult> {
  const target = await launch(context, 'server', {
    name: 'history',
    heartbeatInterval: 300,
    env: { METER_VALUES_RETENTION_DAYS: '0' },
  });
  try {
    await sleep(3000);
    const startup = {
      readyMs: Math.round(target.readyAfterMs),
      idleRssMb: round(totalRssBytes(target.pids) / 2 ** 20),
    };
    const shape: HistoryShape = {
      samples: size.samples,
      stations: HISTORY_STATIONS,
      connectorsPerStation: 2,
      sessionMinutes: 60,
      days: 365,
    };
    context.say(`history: storing ${size.samples} samples directly`);
    const began = performance.now();
    const { transactions } = await fillHistory(target.databaseUrl, shape, (line) =>
      context.say(`history: ${line}`),
    );
    const fillSeconds = round((performance.now() - began) / 1000);
    const bytes = await bytesPerSample(target.databaseUrl, size.samples);

    const api = new Api(target.httpUrl);
    await api.useLogin('admin', target.adminPassword);
    const time = async (paths: () => string) => {
      const histogram = new Histogram();
      for (let n = 0; n < size.requests; n++) {
        const started = performance.now();
        await api.request('GET', paths());
        histogram.record(performance.now() - started);
      }
      return histogram.summary();
    };
    const randomId = () => 1 + Math.floor(Math.random() * transactions);
    const randomStation = () =>
      `HIST${String(1 + Math.floor(Math.random() * HISTORY_STATIONS)).padStart(4, '0')}`;
    context.say('history: timing the REST reads');
    const list = await time(() => '/api/transactions');
    const listFiltered = await time(() => `/api/transactions?chargePointId=${randomStation()}`);
    const detail = await time(() => `/api/transactions/${randomId()}`);
    const stats = await time(() => '/api/stats');
    const csv = await timeCsv(api, size.requests);
    context.say(
      `history: ${size.samples} samples (${bytes.perSample} B each); p99 list ${list.p99} ms, detail ${detail.p99} ms, ` +
        `stats ${stats.p99} ms, month CSV first byte ${csv.firstByte.p99} ms, ${csv.rowsPerSecond} rows/s`,
    );
    return {
      samples: size.samples,
      transactions,
      fillSeconds,
      bytesPerSample: bytes.perSample,
      meterValuesBytes: bytes.total,
      list,
      listFiltered,
      detail,
      stats,
      csvFirstByte: csv.firstByte,
      csvWhole: csv.whole,
      csvRows: csv.rows,
      csvRowsPerSecond: csv.rowsPerSecond,
      startup,
    };
  } finally {
    await target.stop();
  }
}

/**
 * A month's CSV (the month before last), `count` times, as many as each other read (with fewer, the
 * p99 is the first download, the one that finds the server's code and the database's pages cold):
 * first byte, whole file, rows/s of the last.
 */
async function timeCsv(api: Api, count: number) {
  const month = new Date();
  month.setUTCMonth(month.getUTCMonth() - 2, 1);
  month.setUTCHours(0, 0, 0, 0);
  const next = new Date(month);
  next.setUTCMonth(next.getUTCMonth() + 1);
  const url = `${api.baseUrl}/api/transactions.csv?from=${month.toISOString()}&to=${next.toISOString()}`;
  const firstByte = new Histogram();
  const whole = new Histogram();
  let rows = 0;
  let rowsPerSecond = 0;
  for (let n = 0; n < count; n++) {
    const started = performance.now();
    const response = await fetch(url, { headers: { authorization: `Bearer ${api.bearer}` } });
    if (!response.ok || !response.body) throw new Error(`CSV export: ${response.status}`);
    let first = 0;
    let lines = 0;
    for await (const chunk of response.body) {
      if (first === 0) first = performance.now() - started;
      for (const byte of chunk as Uint8Array) if (byte === 10) lines++;
    }
    const elapsed = performance.now() - started;
    firstByte.record(first);
    whole.record(elapsed);
    rows = Math.max(0, lines - 1);
    rowsPerSecond = Math.round(rows / (elapsed / 1000));
  }
  return { firstByte: firstByte.summary(), whole: whole.summary(), rows, rowsPerSecond };
}
