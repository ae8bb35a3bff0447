/**
 * The persistence of MeterValues alone, in one process, without sockets: `messages` calls of
 * MeterValueRepository.add (three samples each, as the ingest scenario sends), `perTurn` of them
 * handed in per event-loop turn (as a loaded server receives them), each awaited as the handler
 * does, on a fresh SQLite database. Prints the CPU time of the process per
 * message and the bytes per stored sample. For before/after comparisons that the load of a shared
 * machine disturbs less than the full bench (`valgrind --tool=callgrind` on it counts
 * instructions, independent of load).
 *
 *   npx tsx bench/micro-persist.ts [--messages 20000] [--per-turn 8] [--stations 1000] [--log]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { loadConfig } from '../apps/server/src/config.js';
import { openDatabase } from '../apps/server/src/db/connect.js';
import { migrateToLatest } from '../apps/server/src/db/migrate.js';
import { MeterValueRepository } from '../apps/server/src/repositories/meter-value.repository.js';
import { createMicroStations, measureMicroRun } from './lib/micro-stations.js';
import { OcppLogRepository, type OcppLogEntry } from '../apps/server/src/repositories/ocpp-log.repository.js';

const { values: args } = parseArgs({
  options: {
    messages: { type: 'string', default: '20000' },
    'per-turn': { type: 'string', default: '8' },
    stations: { type: 'string', default: '1000' },
    /** Also the message log: two frames a message, written 500 at a time as OcppLogService does. */
    log: { type: 'boolean', default: false },
  },
});
const messages = Number(args.messages);
const perTurn = Number(args['per-turn']);
const stations = Number(args.stations);

const dir = mkdtempSync(join(tmpdir(), 'cimorings-micro-'));
const file = join(dir, 'bench.db');
const handle = openDatabase(loadConfig({ DATABASE_URL: `sqlite:${file}` }).database);
try {
  await migrateToLatest(handle.db, handle.dialect);
  const t0 = '2026-01-01T00:00:00.000Z';
  const stationIds = await createMicroStations(handle.db, stations, t0);
  const repository = new MeterValueRepository(handle.db);
  const base = Date.parse(t0);
  const samplesOf = (n: number) => {
    const timestamp = new Date(base + n * 1000).toISOString();
    const common = { timestamp, phase: null, location: null, context: 'Sample.Periodic' };
    return [
      { ...common, measurand: 'Energy.Active.Import.Register', unit: 'Wh', value: n * 10 },
      { ...common, measurand: 'Power.Active.Import', unit: 'kW', value: 11 },
      { ...common, measurand: 'SoC', unit: 'Percent', value: n % 100 },
    ];
  };
  const log = new OcppLogRepository(handle.db);
  let frames: OcppLogEntry[] = [];
  const logFrames = (n: number, samples: unknown) => {
    if (!args.log) return;
    const common = {
      chargePointId: `MICRO-${n % stations}`,
      messageId: `m${n}`,
      timestamp: new Date().toISOString(),
    };
    frames.push(
      { ...common, direction: 'in', messageType: 2, action: 'MeterValues', payload: JSON.stringify(samples) },
      { ...common, direction: 'out', messageType: 3, action: 'MeterValues', payload: '{}' },
    );
  };
  const run = async (from: number, count: number) => {
    for (let n = from; n < from + count; n += perTurn) {
      const turn: Promise<void>[] = [];
      for (let k = n; k < Math.min(n + perTurn, from + count); k++) {
        const station = stationIds[k % stations] ?? 0;
        const samples = samplesOf(k);
        turn.push(repository.add(station, 1, null, samples, new Date().toISOString()));
        logFrames(k, samples);
      }
      if (frames.length >= 500) {
        turn.push(log.append(frames));
        frames = [];
      }
      await Promise.all(turn);
    }
  };
  const { used, elapsed, stored } = await measureMicroRun(handle.db, messages, run, () => repository.flush());
  // The database's size as SQLite counts it (what the WAL holds included).
  const pages = await sql<{
    n: number;
  }>`SELECT page_count * page_size AS n FROM pragma_page_count(), pragma_page_size()`.execute(handle.db);
  const bytes = Number(pages.rows[0]?.n ?? 0);
  process.stdout.write(
    `${JSON.stringify({
      messages,
      perTurn,
      log: args.log,
      cpuUsPerMessage: Math.round(((used.user + used.system) / messages) * 10) / 10,
      messagesPerSecond: Math.round(messages / (elapsed / 1000)),
      storedSamples: stored,
      bytesPerSample: Math.round(bytes / stored),
    })}\n`,
  );
} finally {
  // The WAL checkpointer's worker may keep close() from settling in a short script: not waited for long.
  await Promise.race([handle.close(), new Promise((resolve) => setTimeout(resolve, 1000))]);
  rmSync(dir, { recursive: true, force: true });
}
process.exit(0);
