import { describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../src/db/connect.js';
import { migrateTo, migrateToLatest } from '../../src/db/migrate.js';
import { energyPeriods } from '../../src/domain/stats.js';
import { energyDelivered } from '../../src/domain/transaction.js';
import { MeterValueRetentionRepository } from '../../src/repositories/meter-value-retention.repository.js';
import { MeterValueRetention } from '../../src/services/meter-value-retention.service.js';
import { startTransaction } from '../support/builders.js';
import { insertStation, openHandle, withTwoNodesAndHandle } from '../support/database-handle.js';
import { createTestDatabase, DIALECTS, SHARED_DIALECTS } from '../support/databases.js';
import { bootChargePoint, type TestChargePoint } from '../support/ocpp-client.js';
import type { TestApp } from '../support/test-app.js';
import { withTestApp } from '../support/use-test-app.js';

/**
 * The list's `total` and the statistics are read from tallies the database keeps (migration
 * 013). Whatever happens to the transactions, through the real server, they answer what
 * counting the transactions themselves answers.
 */

const MINUTE = 60_000;
const iso = (ms: number) => new Date(ms).toISOString();

/** What the list and the statistics must answer, counted from the transactions themselves. */
async function counted(handle: DatabaseHandle, now: Date) {
  const rows = await handle.db
    .selectFrom('transactions')
    .innerJoin('stations', 'stations.id', 'transactions.station_id')
    .select(['charge_point_id', 'transactions.status', 'meter_start', 'meter_stop', 'stopped_at'])
    .execute();
  const periods = energyPeriods(now);
  const energy = (from: string, to: string) =>
    rows
      .filter((row) => row.status === 'completed' && row.stopped_at !== null)
      .filter((row) => row.stopped_at! >= from && row.stopped_at! < to)
      .reduce((sum, row) => sum + (energyDelivered(row.meter_start, row.meter_stop) ?? 0), 0);
  return {
    total: rows.length,
    active: rows.filter((row) => row.status === 'active').length,
    byStation: (chargePointId: string) => rows.filter((row) => row.charge_point_id === chargePointId).length,
    todayWh: energy(periods.today.from, periods.today.to),
    monthWh: energy(periods.month.from, periods.month.to),
  };
}

/** Expects the REST reads, on each node, to answer what counting the transactions answers. */
async function expectExact(nodes: TestApp[], token: string, handle: DatabaseHandle, stations: string[]) {
  const exact = await counted(handle, new Date());
  for (const node of nodes) {
    const total = async (query: string) => {
      const response = await node.request('GET', `/api/transactions?limit=1${query}`, { token });
      expect(response.status).toBe(200);
      return response.body.total as number;
    };
    expect(await total('')).toBe(exact.total);
    expect(await total('&status=active')).toBe(exact.active);
    expect(await total('&status=completed')).toBe(exact.total - exact.active);
    for (const station of stations)
      expect(await total(`&chargePointId=${station}`)).toBe(exact.byStation(station));
    const stats = await node.request('GET', '/api/stats', { token });
    expect(stats.body.transactions.active).toBe(exact.active);
    expect(stats.body.energy.todayWh).toBe(exact.todayWh);
    expect(stats.body.energy.monthWh).toBe(exact.monthWh);
  }
  return exact;
}

/** Sessions through the real server, on every node at once, then a late stop, condensing and a deletion. */
async function scenario(nodes: TestApp[], handle: DatabaseHandle) {
  const token = (await nodes[0]!.login()).token;
  const stations = Array.from({ length: 6 }, (_, n) => `TALLY-${n + 1}`);
  for (const chargePointId of stations) {
    await nodes[0]!.request('POST', '/api/stations', {
      token,
      body: { chargePointId, name: chargePointId, ocppPassword: null },
    });
  }
  await nodes[0]!.request('POST', '/api/id-tags', { token, body: { idTag: 'TALLY', allowConcurrent: true } });
  const chargers: TestChargePoint[] = [];
  try {
    for (const [n, chargePointId] of stations.entries()) {
      chargers.push((await bootChargePoint(nodes[n % nodes.length]!.url, chargePointId)).client);
    }
    // Each station starts and stops sessions on both connectors at once, every station at once;
    // the last of each connector stays active. One station's start is refused (an unknown tag).
    const now = Date.now();
    const active: { cp: TestChargePoint; transactionId: number }[] = [];
    await Promise.all(
      chargers.flatMap((cp, n) =>
        [1, 2].map(async (connectorId) => {
          for (let session = 0; session < 4; session++) {
            const startedAt = now - (60 - session * 10) * MINUTE;
            const { transactionId } = await startTransaction(cp, {
              connectorId,
              idTag: n === 5 && connectorId === 2 && session === 0 ? 'NOBODY' : 'TALLY',
              meterStart: 1000 * session,
              timestamp: iso(startedAt),
            });
            if (session === 3) {
              active.push({ cp, transactionId });
              continue;
            }
            await cp.call('StopTransaction', {
              transactionId,
              meterStop: 1000 * session + 250 + n,
              timestamp: iso(startedAt + 5 * MINUTE),
            });
          }
        }),
      ),
    );
    const first = await expectExact(nodes, token, handle, stations);
    expect(first.total).toBe(48);
    expect(first.active).toBe(12);
    expect(first.todayWh + first.monthWh).toBeGreaterThan(0);

    // Stops that arrive late: one stopped last month (its energy is not this month's), one today.
    const lastMonth = Date.parse(energyPeriods(new Date()).month.from) - 3 * 86_400_000;
    await active[0]!.cp.call('StopTransaction', {
      transactionId: active[0]!.transactionId,
      meterStop: 9_000,
      timestamp: iso(lastMonth),
    });
    await active[1]!.cp.call('StopTransaction', {
      transactionId: active[1]!.transactionId,
      meterStop: 8_000,
      timestamp: iso(now - MINUTE),
    });
    expect((await expectExact(nodes, token, handle, stations)).active).toBe(10);

    // Condensing the samples (as if 100 days later) leaves the tallies as they were.
    await active[2]!.cp.call('MeterValues', {
      connectorId: 1,
      transactionId: active[2]!.transactionId,
      meterValue: [{ timestamp: iso(now - 2 * MINUTE), sampledValue: [{ value: '3100' }] }],
    });
    const retention = new MeterValueRetention(
      new MeterValueRetentionRepository(handle.db),
      { now: () => new Date(now + 100 * 86_400_000) },
      { retentionDays: 90, batchSize: 50, pauseMs: 0, intervalMs: 60_000 },
      (error) => {
        throw error;
      },
    );
    expect(await retention.condense()).toBe(1);
    await expectExact(nodes, token, handle, stations);

    // A deleted station takes its transactions out of every figure; a new one starts from zero.
    for (const { cp, transactionId } of active.slice(2).filter(({ cp }) => cp === chargers[1])) {
      await cp.call('StopTransaction', { transactionId, meterStop: 5_000, timestamp: iso(now) });
    }
    await chargers[1]!.close();
    expect(
      (await nodes[1 % nodes.length]!.request('DELETE', '/api/stations/TALLY-2', { token })).status,
    ).toBe(204);
    const afterDeletion = await expectExact(nodes, token, handle, stations);
    expect(afterDeletion.byStation('TALLY-2')).toBe(0);
    await nodes[0]!.request('POST', '/api/stations', {
      token,
      body: { chargePointId: 'TALLY-7', name: 'TALLY-7', ocppPassword: null },
    });
    const late = (await bootChargePoint(nodes[0]!.url, 'TALLY-7')).client;
    chargers.push(late);
    await startTransaction(late, { idTag: 'TALLY', meterStart: 0, timestamp: iso(now - MINUTE) });
    const final = await expectExact(nodes, token, handle, [...stations, 'TALLY-7']);
    expect(final.byStation('TALLY-7')).toBe(1);
    expect(final.total).toBe(48 - 8 + 1);
  } finally {
    for (const charger of chargers) await charger.close();
  }
}

describe.each(DIALECTS)('transaction tallies on %s', (dialect) => {
  it('answer the exact totals and energy through concurrent sessions, late stops, condensing and deletion', async () => {
    await withTestApp(dialect, {}, async (app, database) => {
      const handle = openHandle(database);
      try {
        await scenario([app], handle);
      } finally {
        await handle.close();
      }
    });
  }, 60_000);
});

describe.each(DIALECTS)('migration 013_transaction_tallies on %s', (dialect) => {
  it('tallies the transactions stored before it', async () => {
    const database = await createTestDatabase(dialect);
    const handle = openHandle(database);
    try {
      await migrateTo(handle.db, handle.dialect, '012_pending_security_profile');
      const at = '2026-01-01T00:00:00.000Z';
      const station = { id: await insertStation(handle, 'OLD-1', at) };
      const row = (n: number, status: string, meterStop: number | null, stoppedAt: string | null) => ({
        station_id: station.id,
        connector_id: 1,
        id_tag: 'OLD',
        status,
        meter_start: n * 100,
        meter_stop: meterStop,
        started_at: at,
        stopped_at: stoppedAt,
        created_at: at,
        updated_at: at,
      });
      const today = new Date().toISOString();
      await handle.db
        .insertInto('transactions')
        .values([
          row(1, 'completed', 100 + 700, today),
          row(2, 'completed', 200 + 50, today),
          row(3, 'completed', 1e13, today), // an implausible register: unknown energy
          row(4, 'completed', null, null), // refused, its stop not yet received
          row(5, 'active', null, null),
        ])
        .execute();
      expect(await migrateToLatest(handle.db, handle.dialect)).toEqual(['013_transaction_tallies']);
      const counts = await handle.db
        .selectFrom('transaction_counts')
        .select(['status', 'total'])
        .orderBy('status')
        .execute();
      expect(counts.map((c) => [c.status, Number(c.total)])).toEqual([
        ['active', 1],
        ['completed', 4],
      ]);
      const days = await handle.db
        .selectFrom('transaction_energy_days')
        .select(['day', 'energy_wh'])
        .execute();
      expect(days.map((d) => [d.day, Number(d.energy_wh)])).toEqual([[today.slice(0, 10), 750]]);
      expect((await counted(handle, new Date())).todayWh).toBe(750);
    } finally {
      await handle.close();
      await database.drop();
    }
  });
});

describe.each(SHARED_DIALECTS)('transaction tallies with two nodes on %s', () => {
  it('stay exact with sessions on both nodes at once', async () => {
    await withTwoNodesAndHandle((nodeA, nodeB, handle) => scenario([nodeA, nodeB], handle));
  }, 90_000);
});
