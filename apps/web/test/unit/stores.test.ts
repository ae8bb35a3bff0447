import { beforeEach, describe, expect, it } from 'vitest';
import type { Station } from '../../src/api';
import { useReservationsStore } from '../../src/stores/reservations';
import { useStationsStore } from '../../src/stores/stations';
import { deliveredWh, useTransactionsStore } from '../../src/stores/transactions';
import { activeList, detailOf, fakeApi, reservationCreated, transaction } from '../support/fake-api';
import { piniaWith } from '../support/mount';

function station(chargePointId: string, fields: Partial<Station> = {}): Station {
  return {
    chargePointId,
    name: chargePointId,
    location: null,
    registration: 'accepted',
    status: 'Available',
    connected: true,
    lastHeartbeat: null,
    vendor: null,
    model: null,
    firmwareVersion: null,
    siteId: null,
    maxPowerKw: null,
    errorCode: null,
    hasOcppPassword: false,
    securityProfile: 0,
    ocppVersion: '1.6',
    lastBootAt: null,
    serialNumber: null,
    chargeBoxSerialNumber: null,
    iccid: null,
    imsi: null,
    meterType: null,
    meterSerialNumber: null,
    diagnosticsStatus: null,
    firmwareStatus: null,
    logStatus: null,
    signedFirmwareStatus: null,
    localListVersion: null,
    clockSkewSeconds: null,
    createdAt: '2026-01-11T14:00:00.000Z',
    updatedAt: '2026-01-11T14:00:00.000Z',
    connectors: [
      { connectorId: 1, status: 'Available', errorCode: 'NoError', timestamp: '2026-01-11T14:00:00.000Z' },
      { connectorId: 2, status: 'Available', errorCode: 'NoError', timestamp: '2026-01-11T14:00:00.000Z' },
    ],
    ...fields,
  };
}

beforeEach(() => {
  piniaWith();
});

describe('transactions store', () => {
  it('adds a started transaction, follows its meter values and removes it when it stops', () => {
    piniaWith(fakeApi());
    const store = useTransactionsStore();
    store.applyStarted({
      chargePointId: 'CS001',
      transactionId: 12345,
      connectorId: 1,
      idTag: 'USER123',
      meterStart: 1000,
      timestamp: '2026-01-11T14:30:00.000Z',
    });
    store.applyMeterValues({
      chargePointId: 'CS001',
      transactionId: 12345,
      connectorId: 1,
      energy: 1250,
      power: 22.5,
      soc: 75,
      timestamp: '2026-01-11T14:31:00.000Z',
    });
    const tx = store.activeById[12345];
    expect(tx).toMatchObject({ energy: 1250, power: 22.5, soc: 75, readAt: '2026-01-11T14:31:00.000Z' });
    expect(deliveredWh(tx!)).toBe(250);
    expect(store.totalPowerKw).toBe(22.5);
    expect(store.power.at(-1)?.kw).toBe(22.5);

    // A reading without power keeps the last one (null means "not sent").
    store.applyMeterValues({
      chargePointId: 'CS001',
      transactionId: 12345,
      connectorId: 1,
      energy: 1300,
      power: null,
      soc: null,
      timestamp: '2026-01-11T14:32:00.000Z',
    });
    expect(store.activeById[12345]).toMatchObject({ energy: 1300, power: 22.5, soc: 75 });

    store.applyStopped({
      chargePointId: 'CS001',
      transactionId: 12345,
      meterStop: 1500,
      reason: 'Remote',
      timestamp: '2026-01-11T15:30:00.000Z',
    });
    expect(store.active).toEqual([]);
    expect(store.totalPowerKw).toBe(0);
  });

  it('marks a listed history row completed when its transaction stops', async () => {
    piniaWith(
      fakeApi({ transactions: { list: activeList(transaction({ transactionId: 7, meterStart: 100 })) } }),
    );
    const store = useTransactionsStore();
    await store.loadHistory({ limit: 25, offset: 0 });
    store.applyStopped({
      chargePointId: 'CS001',
      transactionId: 7,
      meterStop: 600,
      reason: 'Local',
      timestamp: '2026-01-11T15:00:00.000Z',
    });
    expect(store.historyItems[0]).toMatchObject({
      status: 'completed',
      energyDelivered: 500,
      stopReason: 'Local',
    });
  });

  it('loads the active transactions with their latest readings', async () => {
    const tx = transaction({ transactionId: 3, meterStart: 2000 });
    piniaWith(
      fakeApi({
        transactions: {
          list: activeList(tx),
          get: detailOf(tx, [
            {
              timestamp: '2026-01-11T14:31:00.000Z',
              measurand: 'Energy.Active.Import.Register',
              value: 2500,
              unit: 'Wh',
            },
            {
              timestamp: '2026-01-11T14:31:00.000Z',
              measurand: 'Power.Active.Import',
              value: 7.2,
              unit: 'kW',
            },
            { timestamp: '2026-01-11T14:31:00.000Z', measurand: 'SoC', value: 41, unit: 'Percent' },
            { timestamp: '2026-01-11T14:30:30.000Z', measurand: 'SoC', value: 40, unit: 'Percent' },
          ]),
        },
      }),
    );
    const store = useTransactionsStore();
    await store.loadActive();
    expect(store.active).toHaveLength(1);
    expect(store.activeById[3]).toMatchObject({ energy: 2500, power: 7.2, soc: 41 });
  });

  it('asks for the active list once when readings arrive for a transaction it does not know', async () => {
    let calls = 0;
    const tx = transaction({ transactionId: 9 });
    piniaWith(
      fakeApi({
        transactions: {
          list: () => {
            calls += 1;
            return activeList(tx)();
          },
          get: detailOf(tx),
        },
      }),
    );
    const store = useTransactionsStore();
    const reading = {
      chargePointId: 'CS001',
      transactionId: 9,
      connectorId: 1,
      energy: 1100,
      power: 3,
      soc: null,
      timestamp: '2026-01-11T14:31:00.000Z',
    };
    store.applyMeterValues(reading);
    store.applyMeterValues(reading);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(calls).toBe(1);
    expect(store.activeById[9]).toBeDefined();
  });
});

describe('stations store', () => {
  it('counts accepted stations by status and keeps pending ones apart', async () => {
    piniaWith(
      fakeApi({
        stations: {
          list: async () => ({
            items: [
              station('A', { status: 'Available' }),
              station('B', { status: 'Occupied', connected: false }),
              station('C', { status: 'Faulted' }),
              station('P', { registration: 'pending', status: 'Unavailable' }),
            ],
            total: 4,
          }),
        },
      }),
    );
    const store = useStationsStore();
    await store.loadAll();
    expect(store.counts.byStatus).toEqual({
      Available: 1,
      Occupied: 1,
      Reserved: 0,
      Unavailable: 0,
      Faulted: 1,
    });
    expect(store.counts).toMatchObject({ total: 3, connected: 2 });
    expect(store.pending.map((s) => s.chargePointId)).toEqual(['P']);
  });

  it('applies status and connector events to the one copy every list shows', async () => {
    piniaWith(fakeApi({ stations: { list: async () => ({ items: [station('CS001')], total: 1 }) } }));
    const store = useStationsStore();
    await store.loadPage({});
    await store.loadAll();
    store.applyConnectorStatus({
      chargePointId: 'CS001',
      connectorId: 2,
      status: 'Charging',
      errorCode: 'NoError',
      timestamp: '2026-01-11T14:30:00.000Z',
    });
    store.applyStationStatus({
      chargePointId: 'CS001',
      status: 'Occupied',
      timestamp: '2026-01-11T14:30:00.000Z',
    });
    expect(store.page[0]?.connectors[1]).toMatchObject({ connectorId: 2, status: 'Charging' });
    expect(store.all[0]?.status).toBe('Occupied');
    expect(store.counts.byStatus.Occupied).toBe(1);
  });

  it('asks whether a station that became Unavailable is still connected', async () => {
    let gets = 0;
    piniaWith(
      fakeApi({
        stations: {
          list: async () => ({ items: [station('CS001')], total: 1 }),
          get: async () => {
            gets += 1;
            return station('CS001', { status: 'Unavailable', connected: false });
          },
        },
      }),
    );
    const store = useStationsStore();
    await store.loadAll();
    store.applyStationStatus({
      chargePointId: 'CS001',
      status: 'Unavailable',
      timestamp: '2026-01-11T14:30:00.000Z',
    });
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(gets).toBe(1);
    expect(store.byId.CS001).toMatchObject({ status: 'Unavailable', connected: false });
  });
});

describe('reservations store', () => {
  it('adds created reservations and sets the status a cancellation reason means', () => {
    piniaWith(fakeApi());
    const store = useReservationsStore();
    for (const reservationId of [1, 2, 3]) store.applyCreated(reservationCreated(reservationId));
    expect(store.list.map((r) => r.reservationId)).toEqual([3, 2, 1]);
    expect(store.activeCount).toBe(3);
    store.applyCancelled({
      reservationId: 1,
      chargePointId: 'CS001',
      connectorId: 1,
      reason: 'User cancelled',
    });
    store.applyCancelled({ reservationId: 2, chargePointId: 'CS001', connectorId: 1, reason: 'Expired' });
    store.applyCancelled({ reservationId: 3, chargePointId: 'CS001', connectorId: 1, reason: 'Used' });
    expect(store.list.map((r) => r.status)).toEqual(['used', 'expired', 'cancelled']);
    expect(store.activeCount).toBe(0);
  });

  it('creates through the API and shows the new reservation as active', async () => {
    piniaWith(
      fakeApi({
        reservations: {
          create: async (body) => ({
            reservationId: 44,
            ...body,
            status: 'Accepted' as never,
            userName: null,
            phoneNumber: null,
          }),
        },
      }),
    );
    const store = useReservationsStore();
    const reservation = await store.create({
      chargePointId: 'CS001',
      connectorId: 1,
      idTag: 'USER123',
      expiryDate: '2026-01-11T16:00:00.000Z',
    });
    expect(reservation.status).toBe('active');
    expect(store.byId[44]?.status).toBe('active');
  });
});
