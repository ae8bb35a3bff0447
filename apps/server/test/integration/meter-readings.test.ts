import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStation } from '../support/builders.js';
import { loadConfig } from '../../src/config.js';
import { openDatabase, type DatabaseHandle } from '../../src/db/connect.js';
import { DIALECTS } from '../support/databases.js';
import { bootChargePoint, connectChargePoint, type TestChargePoint } from '../support/ocpp-client.js';
import { useTestApp } from '../support/use-test-app.js';

const T0 = '2026-01-11T14:30:00.000Z';
/** The transaction list in the default order and in each order that compares stored figures. */
const SORT_ORDERS = ['', '?sort=energyDelivered', '?sort=energyDelivered&order=asc', '?sort=stoppedAt'];

/** Issue 10 item 7: implausible readings are refused, and older rows holding them read safely. */
describe.each(DIALECTS)('meter readings on %s', (dialect) => {
  const app = useTestApp(dialect, { env: { OCPP_UNKNOWN_STATIONS: 'accept' } });
  let cp: TestChargePoint;
  let raw: TestChargePoint;
  let handle: DatabaseHandle;

  beforeAll(async () => {
    for (const idTag of ['GOOD', 'FLEET']) {
      await app.request('POST', '/api/id-tags', {
        token: app.admin,
        body: { idTag, allowConcurrent: idTag === 'FLEET' },
      });
    }
    ({ client: cp } = await bootChargePoint(app.url, 'CP-METER'));
    raw = await connectChargePoint(app.url, 'CP-METER-RAW', { strictMode: false });
    await raw.call('BootNotification', { chargePointVendor: 'Acme', chargePointModel: 'X' });
    handle = openDatabase(loadConfig({ DATABASE_URL: app.database.url }).database);
  });
  afterAll(async () => {
    await cp?.close();
    await raw?.close();
    await handle?.close();
  });

  const get = async (path: string) => app.request('GET', path, { token: app.admin });
  const start = async (client: TestChargePoint, meterStart: number, timestamp = T0) =>
    (await client.call('StartTransaction', { connectorId: 1, idTag: 'FLEET', meterStart, timestamp })) as {
      transactionId: number;
    };
  const storedMeterValues = async () =>
    (await handle.db.selectFrom('meter_values').select('id').execute()).length;

  it.each([-1.7e308, 1.7e308, -1, 1e12 + 1])(
    'refuses StartTransaction with meterStart %d Wh and stores nothing',
    async (meterStart) => {
      const before = (await get('/api/transactions')).body.total;
      await expect(start(raw, meterStart)).rejects.toMatchObject({
        rpcErrorCode: 'PropertyConstraintViolation',
      });
      expect((await get('/api/transactions')).body.total).toBe(before);
    },
  );

  it.each([1.7e308, -1, 1e13])(
    'refuses StopTransaction with meterStop %d Wh and keeps the transaction active',
    async (meterStop) => {
      const { transactionId } = await start(
        raw,
        100,
        `2026-01-11T15:00:0${String(meterStop).length % 10}.000Z`,
      );
      await expect(
        raw.call('StopTransaction', { transactionId, meterStop, timestamp: T0 }),
      ).rejects.toMatchObject({
        rpcErrorCode: 'PropertyConstraintViolation',
      });
      expect((await get(`/api/transactions/${transactionId}`)).body).toMatchObject({
        status: 'active',
        meterStop: null,
      });
      await raw.call('StopTransaction', { transactionId, meterStop: 200, timestamp: T0 });
    },
  );

  it.each([
    ['1e308 kWh', { value: '1e308', unit: 'kWh' }],
    ['an energy register beyond 1 TWh', { value: '1000000001', unit: 'kWh' }],
    ['a negative energy register', { value: '-5' }],
    ['Infinity', { value: 'Infinity' }],
    ['a hexadecimal number', { value: '0x1F' }],
    ['SoC 250 %', { value: '250', measurand: 'SoC', unit: 'Percent' }],
    ['SoC −1 %', { value: '-1', measurand: 'SoC', unit: 'Percent' }],
    ['−99,999 kW', { value: '-99999', measurand: 'Power.Active.Import', unit: 'kW' }],
    ['6 MW in W', { value: '6000000', measurand: 'Power.Active.Import', unit: 'W' }],
    ['10,000 A', { value: '10000', measurand: 'Current.Import', unit: 'A' }],
    ['a million volts', { value: '1000000', measurand: 'Voltage', unit: 'V' }],
    ['a power factor of 3', { value: '3', measurand: 'Power.Factor' }],
  ])('refuses a MeterValues carrying %s, storing none of its samples', async (_case, bad) => {
    const before = await storedMeterValues();
    await expect(
      raw.call('MeterValues', {
        connectorId: 1,
        meterValue: [{ timestamp: T0, sampledValue: [{ value: '1000' }, bad] }],
      }),
    ).rejects.toMatchObject({ rpcErrorCode: 'PropertyConstraintViolation' });
    expect(await storedMeterValues()).toBe(before);
  });

  it('refuses a StopTransaction whose transactionData holds an implausible sample, keeping it active', async () => {
    const { transactionId } = await start(raw, 0, '2026-01-11T16:00:00.000Z');
    await expect(
      raw.call('StopTransaction', {
        transactionId,
        meterStop: 10,
        timestamp: T0,
        transactionData: [{ timestamp: T0, sampledValue: [{ value: '1e308', unit: 'kWh' }] }],
      }),
    ).rejects.toMatchObject({ rpcErrorCode: 'PropertyConstraintViolation' });
    expect((await get(`/api/transactions/${transactionId}`)).body.status).toBe('active');
    await raw.call('StopTransaction', { transactionId, meterStop: 10, timestamp: T0 });
  });

  it('accepts readings at the edges of the plausible ranges', async () => {
    const { transactionId } = await start(cp, 1e12 - 1000, '2026-01-11T17:00:00.000Z');
    await cp.call('MeterValues', {
      connectorId: 1,
      transactionId,
      meterValue: [
        {
          timestamp: T0,
          sampledValue: [
            { value: '1000000000', unit: 'kWh' },
            { value: '100', measurand: 'SoC', unit: 'Percent' },
            { value: '-0.5', measurand: 'Power.Active.Import', unit: 'kW' },
            { value: '3750', measurand: 'Power.Active.Import', unit: 'kW', phase: 'L1' },
            { value: '1250', measurand: 'Voltage', unit: 'V' },
          ],
        },
      ],
    });
    const detail = await get(`/api/transactions/${transactionId}`);
    expect(detail.body.meterValues.map((v: { value: number }) => v.value)).toEqual([
      1e12, 100, -0.5, 3750, 1250,
    ]);
    await cp.call('StopTransaction', { transactionId, meterStop: 1e12, timestamp: T0 });
    expect((await get(`/api/transactions/${transactionId}`)).body.energyDelivered).toBe(1000);
  });

  it('stores a stop whose meter went backwards with energyDelivered 0, not a negative figure', async () => {
    const { transactionId } = await start(cp, 5000, '2026-01-11T18:00:00.000Z');
    await cp.call('StopTransaction', { transactionId, meterStop: 1200, timestamp: T0 });
    expect((await get(`/api/transactions/${transactionId}`)).body).toMatchObject({
      status: 'completed',
      meterStart: 5000,
      meterStop: 1200,
      energyDelivered: 0,
    });
  });

  describe('older rows holding what no meter can show', () => {
    const now = new Date().toISOString();
    let completedId: number;
    let activeId: number;
    let nanId: number | undefined;

    beforeAll(async () => {
      await createStation(app, app.admin, { chargePointId: 'CP-OLD', name: 'Old' });
      const station = await handle.db
        .selectFrom('stations')
        .select('id')
        .where('charge_point_id', '=', 'CP-OLD')
        .executeTakeFirstOrThrow();
      const row = (meterStart: number, meterStop: number | null, startedAt: string) => ({
        station_id: station.id,
        connector_id: 1,
        id_tag: 'OLD',
        status: meterStop === null ? 'active' : 'completed',
        meter_start: meterStart,
        meter_stop: meterStop,
        started_at: startedAt,
        start_reported_at: startedAt,
        stopped_at: meterStop === null ? null : now,
        created_at: T0,
        updated_at: T0,
      });
      const insert = async (values: ReturnType<typeof row>) =>
        (await handle.db.insertInto('transactions').values(values).returning('id').executeTakeFirstOrThrow())
          .id;
      completedId = await insert(row(-1.7e308, 1.7e308, '2026-01-01T00:00:01.000Z'));
      await insert(row(0, Infinity, '2026-01-01T00:00:02.000Z'));
      activeId = await insert(row(Infinity, null, '2026-01-01T00:00:03.000Z'));
      // SQLite stores NaN as NULL, which the column refuses; PostgreSQL keeps it.
      if (dialect === 'postgres')
        nanId = await insert(row(Number.NaN, Number.NaN, '2026-01-01T00:00:04.000Z'));
      // One sample per instant and quantity: meter_values keeps one row per natural key.
      const sample = (transactionId: number, value: number, sampledAt = T0) => ({
        station_id: station.id,
        connector_id: 1,
        transaction_id: transactionId,
        sampled_at: sampledAt,
        measurand: 'Energy.Active.Import.Register',
        unit: 'Wh',
        value,
        received_at: T0,
      });
      await handle.db
        .insertInto('meter_values')
        .values([
          sample(completedId, Infinity),
          sample(activeId, Infinity),
          sample(activeId, 4200, '2026-01-11T14:30:01.000Z'),
        ])
        .execute();
    });

    it('lists them, in every sort order, with the unknown figures as null', async () => {
      for (const query of SORT_ORDERS) {
        const list = await get(`/api/transactions${query}${query ? '&' : '?'}chargePointId=CP-OLD`);
        expect(list.status).toBe(200);
        expect(list.body.total).toBe(nanId === undefined ? 3 : 4);
      }
      const list = await get('/api/transactions?chargePointId=CP-OLD&sort=startedAt&order=asc');
      expect(list.body.items[0]).toMatchObject({ meterStart: null, meterStop: null, energyDelivered: null });
      expect(list.body.items[1]).toMatchObject({ meterStart: 0, meterStop: null, energyDelivered: null });
    });

    it('shows one with its meter values, an unreadable value as null', async () => {
      const detail = await get(`/api/transactions/${completedId}`);
      expect(detail.status).toBe(200);
      expect(detail.body.meterValues).toEqual([expect.objectContaining({ value: null })]);
      if (nanId !== undefined) expect((await get(`/api/transactions/${nanId}`)).status).toBe(200);
    });

    it('keeps the dashboard totals finite', async () => {
      const stats = await get('/api/stats');
      expect(stats.status).toBe(200);
      expect(Number.isFinite(stats.body.energy.todayWh)).toBe(true);
    });

    it('exports them as CSV', async () => {
      const csv = await get('/api/transactions.csv?chargePointId=CP-OLD');
      expect(csv.status).toBe(200);
      expect(csv.text.trim().split('\n')).toHaveLength(nanId === undefined ? 4 : 5);
      expect(csv.text).not.toMatch(/Infinity|NaN/);
    });

    it('closes one with the highest plausible register, never Infinity', async () => {
      const closed = await app.request('POST', `/api/transactions/${activeId}/close`, {
        token: app.admin,
        body: { reason: 'station gone' },
      });
      expect(closed.status).toBe(200);
      expect(closed.body).toMatchObject({ status: 'completed', meterStop: 4200 });
      const stored = await handle.db
        .selectFrom('transactions')
        .select('meter_stop')
        .where('id', '=', activeId)
        .executeTakeFirstOrThrow();
      expect(stored.meter_stop).toBe(4200);
    });
  });
});
