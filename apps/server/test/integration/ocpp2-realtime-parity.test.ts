import { beforeAll, describe, expect, it } from 'vitest';
import { createIdTags, sendMeterValue, startTransaction } from '../support/builders.js';
import { DIALECTS } from '../support/databases.js';
import { bootChargePoint, eventually } from '../support/ocpp-client.js';
import { bootStation2 } from '../support/ocpp2-client.js';
import { sendChargingState, sendEvent, sendStatus, at } from '../support/ocpp2-session.js';
import { join, recorder } from '../support/realtime-client.js';
import { useRealtime } from '../support/use-realtime.js';
import { useTestApp } from '../support/use-test-app.js';

/** An event as a client sees it: its name, its fields in order, and each field's JSON type. */
const shape = ({ event, payload }: { event: string; payload: Record<string, unknown> }) => ({
  event,
  fields: Object.entries(payload).map(([key, value]) => [key, value === null ? 'null' : typeof value]),
});

describe.each(DIALECTS)('real-time events of a 2.0.1 station and a 1.6 station on %s', (dialect) => {
  const app = useTestApp(dialect, { env: { OCPP_UNKNOWN_STATIONS: 'accept' } });
  const realtime = useRealtime(app);

  beforeAll(async () => {
    await createIdTags(app, app.admin, 'PARITY16', 'PARITY20');
  });

  it('are the same events, in the same order, with the same fields and types, for the same session', async () => {
    const socket = await realtime.open(app.admin);
    expect(await join(socket, 'dashboard')).toEqual({ ok: true });
    const events = recorder(socket);

    // OCPP 1.6: Preparing, start, Charging, a meter value, stop, Finishing, Available.
    const { client: cp } = await bootChargePoint(app.url, 'PAR-16');
    const status16 = (status: string, minute: number) =>
      cp.call('StatusNotification', { connectorId: 1, status, errorCode: 'NoError', timestamp: at(minute) });
    await status16('Preparing', 0);
    const { transactionId } = (await cp.call('StartTransaction', {
      connectorId: 1,
      idTag: 'PARITY16',
      meterStart: 1000,
      timestamp: at(1),
    })) as { transactionId: number };
    await status16('Charging', 2);
    await sendMeterValue(cp, { transactionId, timestamp: at(3) }, [
      { value: '1500', measurand: 'Energy.Active.Import.Register', unit: 'Wh' },
      { value: '7.2', measurand: 'Power.Active.Import', unit: 'kW' },
      { value: '40', measurand: 'SoC', unit: 'Percent' },
    ]);
    await cp.call('StopTransaction', {
      transactionId,
      meterStop: 2000,
      timestamp: at(4),
      reason: 'EVDisconnected',
    });
    await status16('Finishing', 4);
    await status16('Available', 6);

    // OCPP 2.0.1: the same session told its own way.
    const { client: cs } = await bootStation2(app.url, 'PAR-20');
    await sendStatus(cs, 1, 'Occupied', at(0));
    await sendEvent(cs, 'Started', 'PAR-TX', 0, {
      timestamp: at(1),
      idToken: 'PARITY20',
      evseId: 1,
      energy: [{ wh: 1000, context: 'Transaction.Begin' }],
    });
    await sendChargingState(cs, 'PAR-TX', 1, 'Charging', at(2));
    await sendEvent(cs, 'Updated', 'PAR-TX', 2, {
      timestamp: at(3),
      meterValue: [
        {
          timestamp: at(3),
          sampledValue: [
            { value: 1.5, measurand: 'Energy.Active.Import.Register', unitOfMeasure: { unit: 'kWh' } },
            { value: 7200, measurand: 'Power.Active.Import', unitOfMeasure: { unit: 'W' } },
            { value: 40, measurand: 'SoC', unitOfMeasure: { unit: 'Percent' } },
          ],
        },
      ],
    });
    await sendEvent(cs, 'Ended', 'PAR-TX', 3, {
      timestamp: at(4),
      stoppedReason: 'EVDisconnected',
      chargingState: 'Idle',
      energy: [{ wh: 2000, context: 'Transaction.End' }],
    });
    await sendStatus(cs, 1, 'Available', at(6));

    const session = (chargePointId: string) => {
      const of = events.received.filter((r) => r.payload.chargePointId === chargePointId);
      // From the first connector status on: what booting published is not part of the session.
      return of.slice(of.findIndex((r) => r.event === 'connector_status_updated'));
    };
    await eventually(
      () => session('PAR-20').filter((r) => r.event === 'station_status_updated').length === 2,
    );
    const v16 = session('PAR-16');
    const v201 = session('PAR-20');
    expect(v201.map(shape)).toEqual(v16.map(shape));
    expect(v201.map((r) => r.event)).toEqual([
      'connector_status_updated',
      'station_status_updated',
      'transaction_started',
      'connector_status_updated',
      'meter_values_updated',
      'transaction_stopped',
      'connector_status_updated',
      'connector_status_updated',
      'station_status_updated',
    ]);
    // The values that do not depend on the protocol are the same too.
    const values = (records: typeof v16) =>
      records.map(({ payload }) => {
        const { chargePointId: _id, transactionId: _tx, idTag: _tag, ...rest } = payload;
        return rest;
      });
    const [first16, ...rest16] = values(v16);
    const [first201, ...rest201] = values(v201);
    expect(rest201).toEqual(rest16);
    // Except the first connector status: 1.6 says Preparing, 2.0.1 Occupied (its own status, CONTRACT section 7).
    expect(first16).toMatchObject({ status: 'Preparing' });
    expect(first201).toMatchObject({ status: 'Occupied' });
    await cp.close();
    await cs.close();
  });

  it("are the same for periodic meter values: a charging state told again changes no connector's status", async () => {
    const socket = await realtime.open(app.admin);
    expect(await join(socket, 'dashboard')).toEqual({ ok: true });
    const events = recorder(socket);
    const readings = (minute: number) => [
      { value: String(1000 + minute * 100), measurand: 'Energy.Active.Import.Register', unit: 'Wh' },
    ];

    // OCPP 1.6: Charging told once, then three MeterValues.
    const { client: cp } = await bootChargePoint(app.url, 'PAR-16B');
    const { transactionId } = await startTransaction(cp, {
      idTag: 'PARITY16',
      meterStart: 1000,
      timestamp: at(0),
    });
    await cp.call('StatusNotification', {
      connectorId: 1,
      status: 'Charging',
      errorCode: 'NoError',
      timestamp: at(1),
    });
    for (const minute of [2, 3, 4])
      await sendMeterValue(cp, { transactionId, timestamp: at(minute) }, readings(minute));

    // OCPP 2.0.1: Charging told by its charging state, then three periodic events telling it again.
    const { client: cs } = await bootStation2(app.url, 'PAR-20B');
    await sendEvent(cs, 'Started', 'PAR-TX-B', 0, { timestamp: at(0), idToken: 'PARITY20', evseId: 1 });
    await sendChargingState(cs, 'PAR-TX-B', 1, 'Charging', at(1));
    for (const minute of [2, 3, 4]) {
      await sendEvent(cs, 'Updated', 'PAR-TX-B', minute, {
        timestamp: at(minute),
        chargingState: 'Charging',
        energy: [{ wh: 1000 + minute * 100, context: 'Sample.Periodic' }],
      });
    }

    const session = (chargePointId: string) =>
      events.received
        .filter((r) => r.payload.chargePointId === chargePointId)
        .filter((r) => r.event === 'connector_status_updated' || r.event === 'meter_values_updated');
    await eventually(() => session('PAR-20B').filter((r) => r.event === 'meter_values_updated').length === 3);
    await eventually(() => session('PAR-16B').filter((r) => r.event === 'meter_values_updated').length === 3);
    const expected = ['connector_status_updated', ...Array<string>(3).fill('meter_values_updated')];
    expect(session('PAR-16B').map((r) => r.event)).toEqual(expected);
    expect(session('PAR-20B').map((r) => r.event)).toEqual(expected);
    await cp.close();
    await cs.close();
  });
});
