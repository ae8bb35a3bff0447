import { describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/databases.js';
import { useBootedStation2 } from '../support/use-station2.js';
import { useTestApp } from '../support/use-test-app.js';
import { sendChargingState, sendEvent, at, type EventFields } from '../support/ocpp2-session.js';

describe.each(DIALECTS)('OCPP 2.0.1 authorization, transactions and meter values on %s', (dialect) => {
  const app = useTestApp(dialect, { env: { OCPP_UNKNOWN_STATIONS: 'accept' } });
  const cs = useBootedStation2(app, 'CS-TX', [
    'GOOD',
    'GOOD2',
    'GROUP',
    { idTag: 'MEMBER', parentIdTag: 'GROUP' },
    { idTag: 'BLOCKED', status: 'Blocked' },
    { idTag: 'OLD', expiryDate: '2020-01-01T00:00:00.000Z' },
  ]);

  const transaction = async (id: string | number) =>
    (await app.request('GET', `/api/transactions/${id}`, { token: app.admin })) as {
      status: number;
      body: Record<string, unknown> & { meterValues: { measurand: string; value: number }[] };
    };

  /** The Started event of a session whose EV is connected, not yet charging, at `evseId`. */
  const connected = (tx: string, evseId: number, timestamp: string, fields: EventFields) =>
    sendEvent(cs, 'Started', tx, 0, { timestamp, evseId, chargingState: 'EVConnected', ...fields });

  it('TC_C_02_CSMS, TC_C_06_CSMS, TC_C_07_CSMS: Authorize answers Invalid, Blocked and Expired from the id tag table', async () => {
    const status = async (idToken: string) =>
      (
        (await cs.call('Authorize', { idToken: { idToken, type: 'ISO14443' } })) as {
          idTokenInfo: { status: string };
        }
      ).idTokenInfo.status;
    expect(await status('UNKNOWN')).toBe('Invalid');
    expect(await status('BLOCKED')).toBe('Blocked');
    expect(await status('OLD')).toBe('Expired');
    expect(await status('GOOD')).toBe('Accepted');
  });

  it('TC_C_39_CSMS: Authorize by a tag of a group answers the group as groupIdToken', async () => {
    const answer = (await cs.call('Authorize', { idToken: { idToken: 'MEMBER', type: 'ISO14443' } })) as {
      idTokenInfo: Record<string, unknown>;
    };
    expect(answer.idTokenInfo).toEqual({
      status: 'Accepted',
      groupIdToken: { idToken: 'GROUP', type: 'ISO14443' },
    });
  });

  it('TC_E_04_CSMS, TC_J_07_CSMS, TC_J_02_CSMS, TC_E_15_CSMS: a session authorized first keeps ids, registers and reason', async () => {
    const started = await connected('TX-E04', 1, at(0), {
      idToken: 'GOOD',
      energy: [{ wh: 1000, context: 'Transaction.Begin' }],
    });
    expect(started.idTokenInfo?.status).toBe('Accepted');
    await sendChargingState(cs, 'TX-E04', 1, 'Charging', at(1));
    await sendEvent(cs, 'Updated', 'TX-E04', 2, {
      timestamp: at(5),
      energy: [{ wh: 1500, context: 'Sample.Clock' }],
    });
    await sendEvent(cs, 'Ended', 'TX-E04', 3, {
      timestamp: at(10),
      triggerReason: 'StopAuthorized',
      stoppedReason: 'Local',
      idToken: 'GOOD',
      energy: [{ wh: 2500, context: 'Transaction.End' }],
    });
    const { status, body } = await transaction('TX-E04');
    expect(status).toBe(200);
    expect(body).toMatchObject({
      chargePointId: 'CS-TX',
      ocppTransactionId: 'TX-E04',
      connectorId: 1,
      idTag: 'GOOD',
      status: 'completed',
      meterStart: 1000,
      meterStop: 2500,
      energyDelivered: 1500,
      startedAt: at(0),
      stoppedAt: at(10),
      stopReason: 'Local',
    });
    expect(typeof body.transactionId).toBe('number');
    expect((await transaction(body.transactionId as number)).body.ocppTransactionId).toBe('TX-E04');
    expect(body.meterValues.map((v) => v.value)).toEqual([1000, 1500, 2500]);
  });

  it('TC_E_03_CSMS: a cable-first transaction has no idTag until its idToken arrives', async () => {
    const first = await connected('TX-E03', 2, at(20), { triggerReason: 'CablePluggedIn' });
    expect(first).toEqual({});
    const tx = await transaction('TX-E03');
    expect(tx.body).toMatchObject({ idTag: null, status: 'active', meterStart: 0 });
    // Announced when created, with the idTag known then: none.
    expect(
      app.publishedEvents.find(
        (e) => e.type === 'TransactionStarted' && e.transactionId === tx.body.transactionId,
      ),
    ).toMatchObject({ idTag: null, connectorId: 2, meterStart: 0, timestamp: at(20) });
    const authorized = await sendEvent(cs, 'Updated', 'TX-E03', 1, { timestamp: at(21), idToken: 'GOOD2' });
    expect(authorized.idTokenInfo?.status).toBe('Accepted');
    expect((await transaction('TX-E03')).body.idTag).toBe('GOOD2');
    await sendEvent(cs, 'Ended', 'TX-E03', 2, {
      timestamp: at(25),
      stoppedReason: 'EVDisconnected',
      energy: [{ wh: 700 }],
    });
    expect((await transaction('TX-E03')).body).toMatchObject({
      stopReason: 'EVDisconnected',
      meterStop: 700,
    });
  });

  it('answers ConcurrentTx for a tag already in a running transaction, and Blocked for a blocked one', async () => {
    await sendEvent(cs, 'Started', 'TX-CC1', 0, { idToken: 'GOOD', evseId: 1 });
    expect(
      (await sendEvent(cs, 'Started', 'TX-CC2', 0, { idToken: 'GOOD', evseId: 2 })).idTokenInfo?.status,
    ).toBe('ConcurrentTx');
    expect(
      (await sendEvent(cs, 'Started', 'TX-BL', 0, { idToken: 'BLOCKED', evseId: 3 })).idTokenInfo?.status,
    ).toBe('Blocked');
    expect((await transaction('TX-BL')).body).toMatchObject({
      authorizationStatus: 'Blocked',
      status: 'completed',
    });
    await sendEvent(cs, 'Ended', 'TX-CC1', 1, { stoppedReason: 'Local' });
  });

  it('TC_J_01_CSMS: meter values outside a transaction are stored and normalised (kWh, W)', async () => {
    const events: unknown[] = [];
    const listener = (event: { type: string }) => event.type === 'MeterValuesReceived' && events.push(event);
    app.events.subscribe(listener as never);
    await cs.call('MeterValues', {
      evseId: 1,
      meterValue: [
        {
          timestamp: at(30),
          sampledValue: [
            { value: 12.5, measurand: 'Energy.Active.Import.Register', unitOfMeasure: { unit: 'kWh' } },
            { value: 7400, measurand: 'Power.Active.Import', unitOfMeasure: { unit: 'W' } },
            { value: 3, measurand: 'Power.Active.Import', unitOfMeasure: { unit: 'W', multiplier: 3 } },
          ],
        },
      ],
    });
    expect(events).toEqual([
      expect.objectContaining({
        chargePointId: 'CS-TX',
        connectorId: 1,
        transactionId: null,
        energy: 12500,
        power: 7.4,
      }),
    ]);
  });
});
