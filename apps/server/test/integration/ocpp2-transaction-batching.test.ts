import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { openDatabase, type DatabaseHandle } from '../../src/db/connect.js';
import type { DomainEvent } from '../../src/domain/events.js';
import { createIdTags } from '../support/builders.js';
import { DIALECTS } from '../support/databases.js';
import type { TestChargePoint } from '../support/ocpp-client.js';
import { bootStation2 } from '../support/ocpp2-client.js';
import { sendEvent } from '../support/ocpp2-session.js';
import { useTestApp } from '../support/use-test-app.js';

const T0 = '2026-02-03T08:00:00.000Z';
const at = (minutes: number) => new Date(Date.parse(T0) + minutes * 60_000).toISOString();
const STATIONS = 12;
/** Periodic events in seqNo order, each with the charging state, after the Started one (seqNo 0). */
const PERIODIC = 15;
const wh = (seqNo: number) => 10_000 + seqNo * 100;

/**
 * Many 2.0.1 stations sending TransactionEvent Updated at once: their periodic events take the
 * group-committed way (one write for the events and samples of a turn); each sample is stored
 * once and in order, each event announced once, and the transaction's state stays right, with
 * a repeated seqNo and late events from the offline queue among them.
 */
describe.each(DIALECTS)('OCPP 2.0.1 TransactionEvent Updated from many stations at once on %s', (dialect) => {
  const app = useTestApp(dialect, { env: { OCPP_UNKNOWN_STATIONS: 'accept' } });
  const stations: TestChargePoint[] = [];
  let handle: DatabaseHandle | undefined;
  const ids = Array.from({ length: STATIONS }, (_, n) => `CS-BATCH-${n}`);

  beforeAll(async () => {
    await createIdTags(app, app.admin, 'BATCH');
    for (const id of ids) stations.push((await bootStation2(app.url, id)).client);
    handle = openDatabase(loadConfig({ DATABASE_URL: app.database.url }).database);
  }, 120_000);
  afterAll(async () => {
    await Promise.all(stations.map((cs) => cs.close()));
    await handle?.close();
  });

  const transaction = async (id: string) =>
    (await app.request('GET', `/api/transactions/${id}`, { token: app.admin })).body as Record<
      string,
      unknown
    > & { transactionId: number; meterValues: { value: number; timestamp: string; measurand: string }[] };
  const connector = async (chargePointId: string) =>
    (
      (await app.request('GET', `/api/stations/${chargePointId}`, { token: app.admin })).body as {
        connectors: { connectorId: number; status: string; timestamp: string }[];
      }
    ).connectors.find((c) => c.connectorId === 1);

  /** One station's session: Started, periodic events (one sent twice), two late offline ones, Ended. */
  const session = async (cs: TestChargePoint, n: number) => {
    const tx = `TX-BATCH-${n}`;
    await sendEvent(cs, 'Started', tx, 0, {
      timestamp: at(0),
      idToken: 'BATCH',
      evseId: 1,
      chargingState: 'EVConnected',
      energy: [{ wh: wh(0), context: 'Transaction.Begin' }],
    });
    for (let seqNo = 1; seqNo <= PERIODIC; seqNo++) {
      const fields = {
        timestamp: at(seqNo),
        chargingState: seqNo % 5 === 0 ? 'SuspendedEV' : 'Charging',
        energy: [{ wh: wh(seqNo), context: 'Sample.Periodic' }],
      };
      await sendEvent(cs, 'Updated', tx, seqNo, fields);
      // A station that missed the answer sends the same event again.
      if (seqNo === 7) await sendEvent(cs, 'Updated', tx, seqNo, fields);
    }
    // From the offline queue, late and out of order: 17 before 16.
    for (const seqNo of [PERIODIC + 2, PERIODIC + 1]) {
      await sendEvent(cs, 'Updated', tx, seqNo, {
        timestamp: at(seqNo),
        offline: true,
        energy: [{ wh: wh(seqNo), context: 'Sample.Periodic' }],
      });
    }
    await sendEvent(cs, 'Ended', tx, PERIODIC + 3, {
      timestamp: at(PERIODIC + 3),
      triggerReason: 'EVCommunicationLost',
      stoppedReason: 'EVDisconnected',
      energy: [{ wh: wh(PERIODIC + 3), context: 'Transaction.End' }],
    });
  };

  it('stores every sample once and in order, announces each event once, and ends each transaction right', async () => {
    await Promise.all(stations.map((cs, n) => session(cs, n)));
    for (let n = 0; n < STATIONS; n++) {
      const tx = await transaction(`TX-BATCH-${n}`);
      expect(tx).toMatchObject({
        chargePointId: ids[n],
        status: 'completed',
        meterStart: wh(0),
        meterStop: wh(PERIODIC + 3),
        energyDelivered: wh(PERIODIC + 3) - wh(0),
        stopReason: 'EVDisconnected',
      });
      const seqNos = Array.from({ length: PERIODIC + 4 }, (_, seqNo) => seqNo);
      expect(tx.meterValues.map((v) => v.value)).toEqual(seqNos.map(wh));
      expect(tx.meterValues.map((v) => v.timestamp)).toEqual(seqNos.map(at));

      const announced = app.publishedEvents.filter(
        (e): e is Extract<DomainEvent, { type: 'MeterValuesReceived' }> =>
          e.type === 'MeterValuesReceived' && e.transactionId === tx.transactionId,
      );
      // Each Updated event once (not the repeat), in the order the station sent them.
      const sent = [...seqNos.slice(1, PERIODIC + 1), PERIODIC + 2, PERIODIC + 1];
      expect(announced.map((e) => e.energy)).toEqual(sent.map(wh));
      expect(announced.map((e) => e.timestamp)).toEqual(sent.map(at));

      const statuses = app.publishedEvents.filter(
        (e): e is Extract<DomainEvent, { type: 'ConnectorStatusChanged' }> =>
          e.type === 'ConnectorStatusChanged' && e.chargePointId === ids[n] && e.connectorId === 1,
      );
      // Started (Preparing), then each change of the charging state once: told again, as every
      // periodic event tells it, it changes nothing (as a 1.6 station's MeterValues do not).
      const states = seqNos
        .slice(1, PERIODIC + 1)
        .map((seqNo) => (seqNo % 5 === 0 ? 'SuspendedEV' : 'Charging'))
        .filter((state, i, all) => i === 0 || state !== all[i - 1]);
      expect(states).toEqual([
        'Charging',
        'SuspendedEV',
        'Charging',
        'SuspendedEV',
        'Charging',
        'SuspendedEV',
      ]);
      expect(statuses.map((e) => e.status)).toEqual(['Preparing', ...states]);
      expect(statuses.at(-1)?.timestamp).toBe(at(PERIODIC));
      // The stored connector is the last one told, with its time.
      expect(await connector(ids[n]!)).toMatchObject({ status: 'SuspendedEV', timestamp: at(PERIODIC) });
    }
  }, 240_000);

  it('stores each event once per seqNo', async () => {
    const rows = await handle!.db
      .selectFrom('transaction_events')
      .select(['ocpp_transaction_id', 'seq_no', 'transaction_id'])
      .where('ocpp_transaction_id', 'like', 'TX-BATCH-%')
      .execute();
    expect(rows).toHaveLength(STATIONS * (PERIODIC + 4));
    expect(new Set(rows.map((r) => `${r.ocpp_transaction_id}/${r.seq_no}`)).size).toBe(rows.length);
    expect(rows.every((r) => r.transaction_id !== null)).toBe(true);
  });
});
