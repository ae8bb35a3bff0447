import { beforeAll, expect } from 'vitest';
import { createIdTags, createStation, sendMeterValue, startTransaction } from '../../support/builders.js';
import { connectChargePoint, BOOT, eventually } from '../../support/ocpp-client.js';
import type { TestApp } from '../../support/test-app.js';

/** The stored data a hostile suite must leave as it was. */
export const KEEP = { station: 'KEEP-1', password: 'keep-station-password', idTag: 'KEEP-TAG' } as const;

/**
 * Stores what an operator would care to lose: an id tag, an accepted station with a password,
 * and a completed transaction of it with its meter values. Answers the transaction id.
 */
export async function storeBaseline(app: TestApp, admin: string): Promise<number> {
  await createIdTags(app, admin, {
    idTag: KEEP.idTag,
    status: 'Accepted',
    expiryDate: '2099-01-01T00:00:00.000Z',
  });
  await createStation(app, admin, { chargePointId: KEEP.station, name: 'Kept', ocppPassword: KEEP.password });
  const cp = await connectChargePoint(app.url, KEEP.station, { password: KEEP.password });
  expect(await cp.call('BootNotification', BOOT)).toMatchObject({ status: 'Accepted' });
  const start = await startTransaction(cp, {
    idTag: KEEP.idTag,
    meterStart: 1_000,
    timestamp: '2026-01-11T14:30:00.000Z',
  });
  await sendMeterValue(cp, { transactionId: start.transactionId, timestamp: '2026-01-11T14:45:00.000Z' }, [
    { value: '5000', measurand: 'Energy.Active.Import.Register', unit: 'Wh' },
    { value: '7.2', measurand: 'Power.Active.Import', unit: 'kW' },
    { value: '55', measurand: 'SoC', unit: 'Percent' },
  ]);
  await cp.call('StopTransaction', {
    transactionId: start.transactionId,
    meterStop: 9_000,
    timestamp: '2026-01-11T15:00:00.000Z',
    reason: 'Local',
  });
  await cp.close();
  await eventually(
    async () =>
      (await app.request('GET', `/api/stations/${KEEP.station}`, { token: admin })).body?.connected === false,
  );
  return start.transactionId;
}

/** Everything stored about the baseline, as the API shows it. */
export async function baselineSnapshot(app: TestApp, admin: string, transactionId: number) {
  const read = async (path: string) => {
    const response = await app.request('GET', path, { token: admin });
    return { status: response.status, body: response.body as unknown };
  };
  return {
    station: await read(`/api/stations/${KEEP.station}`),
    transaction: await read(`/api/transactions/${transactionId}`),
    transactions: await read(`/api/transactions?chargePointId=${KEEP.station}`),
    idTag: await read(`/api/id-tags/${KEEP.idTag}`),
  };
}

/**
 * Stores the baseline before a suite's tests (after the app started), and answers the snapshot
 * then taken and the transaction id, to compare with what is stored after each hostile step.
 */
export function useBaseline(app: TestApp & { readonly admin: string }) {
  const baseline = {
    transactionId: 0,
    before: undefined as Awaited<ReturnType<typeof baselineSnapshot>> | undefined,
  };
  beforeAll(async () => {
    baseline.transactionId = await storeBaseline(app, app.admin);
    baseline.before = await baselineSnapshot(app, app.admin, baseline.transactionId);
  });
  return baseline;
}
