import { describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/databases.js';
import { useBootedStation2 } from '../support/use-station2.js';
import { useTestApp } from '../support/use-test-app.js';
import { bootChargePoint } from '../support/ocpp-client.js';
import { bootStation2 } from '../support/ocpp2-client.js';
import { sendEvent, sendStatus, at } from '../support/ocpp2-session.js';

describe.each(DIALECTS)('OCPP 2.0.1 charging states, refused tokens and reservations on %s', (dialect) => {
  const app = useTestApp(dialect, { env: { OCPP_UNKNOWN_STATIONS: 'accept' } });
  const cs = useBootedStation2(app, 'CS-STATE', [
    'STATE',
    'GROUP',
    { idTag: 'MEMBER', parentIdTag: 'GROUP' },
    'OWNER',
  ]);

  const connector = async (chargePointId: string, connectorId: number) =>
    (
      (await app.request('GET', `/api/stations/${chargePointId}`, { token: app.admin })).body as {
        connectors: { connectorId: number; status: string }[];
      }
    ).connectors.find((c) => c.connectorId === connectorId)?.status;
  const transaction = async (id: string) =>
    (await app.request('GET', `/api/transactions/${id}`, { token: app.admin })).body as Record<
      string,
      unknown
    > & {
      transactionId: number;
      meterValues: { value: number; context: string | null }[];
    };
  const eventsOf = (transactionId: number) =>
    app.publishedEvents
      .filter((e) => 'transactionId' in e && e.transactionId === transactionId)
      .map((e) => e.type);

  it('TC_E_09_CSMS, TC_E_01_CSMS: EVConnected shows Preparing, SuspendedEVSE then Charging show themselves, Occupied shows the charging state', async () => {
    await sendStatus(cs, 1, 'Occupied', at(0));
    expect(await connector('CS-STATE', 1)).toBe('Occupied');
    await sendEvent(cs, 'Started', 'TX-S1', 0, {
      timestamp: at(1),
      idToken: 'STATE',
      evseId: 1,
      chargingState: 'EVConnected',
    });
    expect(await connector('CS-STATE', 1)).toBe('Preparing');
    await sendEvent(cs, 'Updated', 'TX-S1', 1, { timestamp: at(2), chargingState: 'SuspendedEVSE' });
    expect(await connector('CS-STATE', 1)).toBe('SuspendedEVSE');
    await sendEvent(cs, 'Updated', 'TX-S1', 2, { timestamp: at(3), chargingState: 'Charging' });
    expect(await connector('CS-STATE', 1)).toBe('Charging');
    // A StatusNotification during the transaction says Occupied: the charging state is what shows.
    await sendStatus(cs, 1, 'Occupied', at(4));
    expect(await connector('CS-STATE', 1)).toBe('Charging');
  });

  it('TC_E_22_CSMS, TC_E_14_CSMS, TC_J_03_CSMS: SuspendedEV, then Idle after charging is Finishing; the Ended meter values are kept', async () => {
    await sendEvent(cs, 'Updated', 'TX-S1', 3, { timestamp: at(5), chargingState: 'SuspendedEV' });
    expect(await connector('CS-STATE', 1)).toBe('SuspendedEV');
    await sendEvent(cs, 'Ended', 'TX-S1', 4, {
      timestamp: at(6),
      chargingState: 'Idle',
      stoppedReason: 'EVDisconnected',
      triggerReason: 'EVCommunicationLost',
      meterValue: [
        {
          timestamp: at(6),
          sampledValue: [
            { value: 4000, context: 'Sample.Clock' },
            { value: 4100, context: 'Transaction.End' },
          ],
        },
      ],
    });
    expect(await connector('CS-STATE', 1)).toBe('Finishing');
    const stored = await transaction('TX-S1');
    expect(stored).toMatchObject({ status: 'completed', meterStop: 4100, stopReason: 'EVDisconnected' });
    expect(stored.meterValues.map((v) => [v.value, v.context])).toEqual([
      [4000, 'Sample.Clock'],
      [4100, 'Transaction.End'],
    ]);
    await sendStatus(cs, 1, 'Available', at(7));
    expect(await connector('CS-STATE', 1)).toBe('Available');
  });

  it('TC_E_16_CSMS, TC_C_02_CSMS: an unknown idToken starts a refused transaction, never announced, its end kept', async () => {
    const answer = await sendEvent(cs, 'Started', 'TX-REFUSED', 0, {
      timestamp: at(10),
      idToken: 'NOBODY',
      evseId: 2,
    });
    expect(answer.idTokenInfo).toEqual({ status: 'Invalid' });
    await sendEvent(cs, 'Ended', 'TX-REFUSED', 1, {
      timestamp: at(11),
      stoppedReason: 'DeAuthorized',
      triggerReason: 'Deauthorized',
    });
    const stored = await transaction('TX-REFUSED');
    expect(stored).toMatchObject({
      idTag: 'NOBODY',
      authorizationStatus: 'Invalid',
      status: 'completed',
      stopReason: 'DeAuthorized',
    });
    expect(eventsOf(stored.transactionId)).toEqual([]);
  });

  it('TC_H_19_CSMS: a transaction naming a reservation of its group uses it; ReservationStatusUpdate ends others (TC_H_07_CSMS)', async () => {
    // Reserved while the station spoke 1.6 (ReserveNow to 2.x stations comes with the 2.x commands).
    const { client: old } = await bootChargePoint(app.url, 'CS-RES');
    old.handle('ReserveNow', async () => ({ status: 'Accepted' }));
    const reserve = async (connectorId: number, idTag: string) => {
      const response = await app.request('POST', '/api/reservations', {
        token: app.admin,
        body: {
          chargePointId: 'CS-RES',
          connectorId,
          idTag,
          expiryDate: new Date(Date.now() + 3_600_000).toISOString(),
        },
      });
      expect(response.status, response.text).toBe(201);
      return response.body.reservationId as number;
    };
    const forGroup = await reserve(1, 'GROUP');
    const expiring = await reserve(2, 'OWNER');
    const removed = await reserve(3, 'OWNER');
    await old.close();

    const { client: station } = await bootStation2(app.url, 'CS-RES');
    const started = await sendEvent(station, 'Started', 'TX-RES', 0, {
      idToken: 'MEMBER',
      evseId: 1,
      reservationId: forGroup,
    });
    expect(started.idTokenInfo).toEqual({
      status: 'Accepted',
      groupIdToken: { idToken: 'GROUP', type: 'ISO14443' },
    });
    await station.call('ReservationStatusUpdate', {
      reservationId: expiring,
      reservationUpdateStatus: 'Expired',
    });
    await station.call('ReservationStatusUpdate', {
      reservationId: removed,
      reservationUpdateStatus: 'Removed',
    });
    // Not one of its reservations, or none at all: nothing changes, the answer is the same.
    expect(
      await station.call('ReservationStatusUpdate', {
        reservationId: 999_999,
        reservationUpdateStatus: 'Expired',
      }),
    ).toEqual({});
    const status = async (id: number) =>
      ((await app.request('GET', `/api/reservations/${id}`, { token: app.admin })).body as { status: string })
        .status;
    expect([await status(forGroup), await status(expiring), await status(removed)]).toEqual([
      'used',
      'expired',
      'cancelled',
    ]);
    const cancelled = app.publishedEvents.flatMap((e) =>
      e.type === 'ReservationCancelled' && e.chargePointId === 'CS-RES' ? [[e.reservationId, e.reason]] : [],
    );
    expect(cancelled).toEqual([
      [forGroup, 'Used'],
      [expiring, 'Expired'],
      [removed, 'User cancelled'],
    ]);
    expect((await transaction('TX-RES')).reservationId).toBe(forGroup);
    await station.close();
  });
});
