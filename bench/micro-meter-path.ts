/**
 * The meter path of the OCPP services alone, in one process, without sockets: `messages` periodic
 * meter values (energy, power, SoC, as the ingest scenario sends) through the service method a
 * handler calls, `perTurn` of them handed in per event-loop turn (as a loaded server receives
 * them, each station one call at a time), on a fresh database. Prints the CPU time of the process
 * per message, for before/after comparisons that the load of a shared machine disturbs less than
 * the full bench.
 *
 *   --protocol 1.6     MeterValues of a running transaction (TransactionService.meterValues)
 *   --protocol 2.0.1   TransactionEvent Updated with chargingState Charging (TransactionEventService.record)
 *   --protocol mixed   half the stations of each, alternating, so that every turn holds both
 *   --db URL           postgres://... for PostgreSQL (a fresh database is made and dropped); SQLite otherwise
 *
 *   npx tsx bench/micro-meter-path.ts [--protocol 2.0.1] [--messages 20000] [--per-turn 8] [--stations 1000]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { InMemoryEventBus } from '../apps/server/src/cluster/event-bus.js';
import { createRepositories } from '../apps/server/src/composition/repositories.js';
import { createTransactionEventService } from '../apps/server/src/composition/transaction-events.js';
import { loadConfig } from '../apps/server/src/config.js';
import { openDatabase } from '../apps/server/src/db/connect.js';
import { migrateToLatest } from '../apps/server/src/db/migrate.js';
import { systemClock } from '../apps/server/src/domain/clock.js';
import { ChargePointClock } from '../apps/server/src/services/charge-point-clock.js';
import {
  ChargePointService,
  type ChargePointSession,
} from '../apps/server/src/services/charge-point.service.js';
import { TransactionService } from '../apps/server/src/services/transaction.service.js';
import { transactionEventOf } from '../apps/server/src/ocpp/v2/mapping.js';
import { createMicroStations, measureMicroRun } from './lib/micro-stations.js';
import { meterCall, startCall } from './load/messages.js';

const { values: args } = parseArgs({
  options: {
    protocol: { type: 'string', default: '2.0.1' },
    messages: { type: 'string', default: '20000' },
    'per-turn': { type: 'string', default: '8' },
    stations: { type: 'string', default: '1000' },
    db: { type: 'string' },
  },
});
const fleet = args.protocol === '1.6' || args.protocol === 'mixed' ? args.protocol : '2.0.1';
/** The protocol of station `n`: a mixed fleet alternates. */
const protocolOf = (n: number): '1.6' | '2.0.1' =>
  fleet === 'mixed' ? (n % 2 === 0 ? '1.6' : '2.0.1') : fleet;
const messages = Number(args.messages);
const perTurn = Number(args['per-turn']);
const stations = Number(args.stations);

const dir = mkdtempSync(join(tmpdir(), 'cimorings-micro-'));
let databaseUrl = `sqlite:${join(dir, 'bench.db')}`;
let dropDatabase = async () => {};
if (args.db !== undefined) {
  const name = `micro_${process.pid}_${Date.now()}`;
  const admin = new pg.Client({ connectionString: args.db });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(args.db);
  url.pathname = `/${name}`;
  databaseUrl = url.toString();
  dropDatabase = async () => {
    const client = new pg.Client({ connectionString: args.db });
    await client.connect();
    await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await client.end();
  };
}
const handle = openDatabase(loadConfig({ DATABASE_URL: databaseUrl }).database);
try {
  await migrateToLatest(handle.db, handle.dialect);
  const repos = createRepositories(handle.db);
  const bus = new InMemoryEventBus();
  let published = 0;
  bus.subscribe(() => {
    published++;
  });
  const clock = new ChargePointClock(systemClock, repos.stations);
  const chargePoints = new ChargePointService(repos.stations, repos.connectors, bus, clock, {
    unknownStations: 'accept',
    heartbeatInterval: 300,
    pendingStationsMax: 100,
  });
  const transactions = new TransactionService(
    repos.transactions,
    repos.idTags,
    repos.reservations,
    bus,
    clock,
  );
  const transactionEvents = createTransactionEventService(repos, chargePoints, bus, clock);
  const now = new Date().toISOString();
  await repos.idTags.create('MICRO', { status: 'Accepted', allowConcurrent: true }, now, null);
  const sessions: {
    session: ChargePointSession;
    protocol: '1.6' | '2.0.1';
    transactionId: number | string;
    seqNo: number;
  }[] = [];
  const stationIds = await createMicroStations(handle.db, stations, now);
  for (let n = 0; n < stations; n++) {
    const session = {
      stationId: stationIds[n] ?? 0,
      chargePointId: `MICRO-${n}`,
      registration: 'accepted' as const,
    };
    const protocol = protocolOf(n);
    const start = startCall(protocol, 1, 'MICRO', `tx-${n}`);
    let transactionId: number | string = `tx-${n}`;
    if (protocol === '1.6') {
      const payload = JSON.parse(start.payload) as {
        connectorId: number;
        idTag: string;
        meterStart: number;
        timestamp: string;
      };
      transactionId = (await transactions.start(session, payload)).transactionId;
    } else {
      await transactionEvents.record(session, transactionEventOf(JSON.parse(start.payload)));
    }
    sessions.push({ session, protocol, transactionId, seqNo: 1 });
  }
  const send = (n: number): Promise<unknown> => {
    const station = sessions[n % stations];
    if (!station) throw new Error('no station');
    const call = meterCall(station.protocol, 1, station.transactionId, station.seqNo++, Date.now(), n * 10);
    const payload = JSON.parse(call.payload);
    if (station.protocol === '1.6') {
      return transactions.meterValues(station.session, {
        connectorId: payload.connectorId,
        transactionId: payload.transactionId,
        readings: payload.meterValue.map((value: { timestamp: string; sampledValue: unknown[] }) => ({
          timestamp: value.timestamp,
          samples: value.sampledValue,
        })),
      });
    }
    return transactionEvents.record(station.session, transactionEventOf(payload));
  };
  const run = async (from: number, count: number) => {
    for (let n = from; n < from + count; n += perTurn) {
      const turn: Promise<unknown>[] = [];
      for (let k = n; k < Math.min(n + perTurn, from + count); k++) turn.push(send(k));
      await Promise.all(turn);
    }
  };
  let publishedBefore = 0;
  const { used, elapsed, stored } = await measureMicroRun(
    handle.db,
    messages,
    run,
    () => repos.meterValues.flush(),
    () => (publishedBefore = published),
  );
  process.stdout.write(
    `${JSON.stringify({
      protocol: fleet,
      db: handle.dialect,
      messages,
      perTurn,
      cpuUsPerMessage: Math.round(((used.user + used.system) / messages) * 10) / 10,
      messagesPerSecond: Math.round(messages / (elapsed / 1000)),
      eventsPerMessage: Math.round(((published - publishedBefore) / messages) * 100) / 100,
      storedSamples: stored,
    })}\n`,
  );
} finally {
  await Promise.race([handle.close(), new Promise((resolve) => setTimeout(resolve, 1000))]);
  await dropDatabase();
  rmSync(dir, { recursive: true, force: true });
}
process.exit(0);
