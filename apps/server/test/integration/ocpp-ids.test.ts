import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTransaction } from '../support/builders.js';
import { loadConfig } from '../../src/config.js';
import { openDatabase, type DatabaseHandle } from '../../src/db/connect.js';
import { DIALECTS } from '../support/databases.js';
import { bootChargePoint, connectChargePoint, type TestChargePoint } from '../support/ocpp-client.js';
import { useTestApp } from '../support/use-test-app.js';

const T0 = '2026-01-11T14:30:00.000Z';
const INT32_MAX = 2 ** 31 - 1;
const SAFE_MAX = Number.MAX_SAFE_INTEGER;

/** Issue 10 item 9: OCPP integers beyond int4 and connector ids out of range, on both dialects. */
describe.each(DIALECTS)('OCPP ids at the edges on %s', (dialect) => {
  const app = useTestApp(dialect, { env: { OCPP_UNKNOWN_STATIONS: 'accept' } });
  let cp: TestChargePoint;
  let handle: DatabaseHandle;

  beforeAll(async () => {
    await app.request('POST', '/api/id-tags', { token: app.admin, body: { idTag: 'GOOD' } });
    ({ client: cp } = await bootChargePoint(app.url, 'CP-IDS'));
    handle = openDatabase(loadConfig({ DATABASE_URL: app.database.url }).database);
  });
  afterAll(async () => {
    await cp?.close();
    await handle?.close();
  });

  const unmatchedStops = async (transactionId: number) =>
    handle.db
      .selectFrom('unmatched_stops')
      .select(['transaction_id', 'meter_stop', 'reason'])
      .where('transaction_id', '=', transactionId)
      .execute();

  it.each([INT32_MAX, INT32_MAX + 1, SAFE_MAX, -5, 0])(
    'stores a StopTransaction for the unknown transaction id %d and answers it',
    async (transactionId) => {
      const answer = await cp.call('StopTransaction', {
        transactionId,
        meterStop: 1234,
        timestamp: T0,
        idTag: 'GOOD',
        reason: 'EVDisconnected',
      });
      expect(answer).toEqual({ idTagInfo: { status: 'Accepted' } });
      expect(await unmatchedStops(transactionId)).toEqual([
        { transaction_id: transactionId, meter_stop: 1234, reason: 'EVDisconnected' },
      ]);
    },
  );

  it.each([INT32_MAX + 1, SAFE_MAX])(
    'keeps meter values of a MeterValues naming the unknown transaction %d',
    async (transactionId) => {
      const answer = await cp.call('MeterValues', {
        connectorId: 1,
        transactionId,
        meterValue: [{ timestamp: T0, sampledValue: [{ value: '42' }] }],
      });
      expect(answer).toEqual({});
      const rows = await handle.db
        .selectFrom('meter_values')
        .select(['value', 'transaction_id'])
        .where('station_id', 'in', (eb) =>
          eb.selectFrom('stations').select('id').where('charge_point_id', '=', 'CP-IDS'),
        )
        .where('value', '=', 42)
        .execute();
      // The transaction is unknown: the samples are kept, not attached to it (-1: none, since 011).
      expect(rows).toContainEqual({ value: 42, transaction_id: -1 });
    },
  );

  it('answers a StartTransaction naming the reservation id 2^31 without failing', async () => {
    const answer = await startTransaction(cp, { idTag: 'GOOD', timestamp: T0, reservationId: INT32_MAX + 1 });
    expect(answer.idTagInfo.status).toBe('Accepted');
    await cp.call('StopTransaction', { transactionId: answer.transactionId, meterStop: 10, timestamp: T0 });
  });

  it('reads and writes transaction ids above 2^31 (64-bit ids on both dialects)', async () => {
    // The next id the database hands out is above int4, as it will be one day on a busy system.
    const station = await handle.db
      .selectFrom('stations')
      .select('id')
      .where('charge_point_id', '=', 'CP-IDS')
      .executeTakeFirstOrThrow();
    await handle.db
      .insertInto('transactions')
      .values({
        id: INT32_MAX + 10,
        station_id: station.id,
        connector_id: 2,
        id_tag: 'OTHER',
        status: 'active',
        meter_start: 5,
        started_at: T0,
        start_reported_at: T0,
        created_at: T0,
        updated_at: T0,
      })
      .execute();
    await cp.call('StopTransaction', { transactionId: INT32_MAX + 10, meterStop: 105, timestamp: T0 });
    const detail = await app.request('GET', `/api/transactions/${INT32_MAX + 10}`, { token: app.admin });
    expect(detail.status).toBe(200);
    expect(detail.body).toMatchObject({
      transactionId: INT32_MAX + 10,
      status: 'completed',
      energyDelivered: 100,
    });
    expect((await app.request('GET', `/api/transactions/${SAFE_MAX + 1}`, { token: app.admin })).status).toBe(
      400,
    );
  });

  it.each([
    ['StatusNotification', { connectorId: INT32_MAX, status: 'Available', errorCode: 'NoError' }],
    ['StatusNotification', { connectorId: -5, status: 'Available', errorCode: 'NoError' }],
    ['StatusNotification', { connectorId: 1001, status: 'Available', errorCode: 'NoError' }],
    ['StartTransaction', { connectorId: INT32_MAX + 1, idTag: 'GOOD', meterStart: 0, timestamp: T0 }],
    [
      'StartTransaction',
      { connectorId: 1, idTag: 'GOOD', meterStart: 0, timestamp: T0, reservationId: SAFE_MAX + 1 },
    ],
    [
      'MeterValues',
      { connectorId: INT32_MAX + 1, meterValue: [{ timestamp: T0, sampledValue: [{ value: '1' }] }] },
    ],
    ['MeterValues', { connectorId: -1, meterValue: [{ timestamp: T0, sampledValue: [{ value: '1' }] }] }],
    ['StopTransaction', { transactionId: SAFE_MAX + 1, meterStop: 0, timestamp: T0 }],
    ['StopTransaction', { transactionId: 1e300, meterStop: 0, timestamp: T0 }],
  ])('answers %s with %j by PropertyConstraintViolation and stores nothing', async (action, payload) => {
    const raw = await connectChargePoint(app.url, 'CP-IDS-BAD', { strictMode: false });
    try {
      await raw.call('BootNotification', { chargePointVendor: 'Acme', chargePointModel: 'X' });
      const counts = async () => ({
        connectors: (await app.request('GET', '/api/stations/CP-IDS-BAD', { token: app.admin })).body
          .connectors.length,
        transactions: (
          await app.request('GET', '/api/transactions?chargePointId=CP-IDS-BAD', { token: app.admin })
        ).body.total,
        stops: (await handle.db.selectFrom('unmatched_stops').select('id').execute()).length,
      });
      const before = await counts();
      await expect(raw.call(action, payload)).rejects.toMatchObject({
        rpcErrorCode: 'PropertyConstraintViolation',
      });
      expect(await counts()).toEqual(before);
      expect(await raw.call('Heartbeat', {})).toEqual({ currentTime: expect.any(String) });
    } finally {
      await raw.close();
    }
  });

  it('refuses a reservation for a connector id beyond the bound with 400', async () => {
    const response = await app.request('POST', '/api/reservations', {
      token: app.admin,
      body: {
        chargePointId: 'CP-IDS',
        connectorId: INT32_MAX + 1,
        idTag: 'GOOD',
        expiryDate: '2099-01-01T00:00:00Z',
      },
    });
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('VALIDATION_ERROR');
  });
});
