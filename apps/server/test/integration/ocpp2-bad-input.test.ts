import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DomainEvent } from '../../src/domain/events.js';
import { createIdTags } from '../support/builders.js';
import { DIALECTS } from '../support/databases.js';
import { useTestApp } from '../support/use-test-app.js';
import { ocppUrl, opened, type TestChargePoint } from '../support/ocpp-client.js';
import { BOOT2, bootStation2 } from '../support/ocpp2-client.js';
import {
  sendEvent,
  transactionEvent,
  T0,
  at,
  type EventFields,
  type EventType,
} from '../support/ocpp2-session.js';

/** The CallError code a call is refused with (the station's strict mode off, to send anything). */
async function refusal(cs: TestChargePoint, action: string, payload: unknown): Promise<string> {
  try {
    await cs.call(action, payload);
  } catch (error) {
    return (error as { rpcErrorCode?: string }).rpcErrorCode ?? 'none';
  }
  throw new Error(`${action} was answered`);
}

describe.each(DIALECTS)('OCPP 2.0.1 bad input on %s', (dialect) => {
  const app = useTestApp(dialect, { env: { OCPP_UNKNOWN_STATIONS: 'accept' } });
  let cs: TestChargePoint;
  let loose: TestChargePoint;

  beforeAll(async () => {
    await createIdTags(app, app.admin, 'GOOD');
    ({ client: cs } = await bootStation2(app.url, 'CS-BAD'));
    ({ client: loose } = await bootStation2(app.url, 'CS-LOOSE', { strictMode: false }));
  });
  afterAll(async () => {
    await cs?.close();
    await loose?.close();
  });

  const transaction = async (id: string) =>
    (await app.request('GET', `/api/transactions/${id}`, { token: app.admin })).body as Record<
      string,
      unknown
    > & {
      meterValues: { value: number }[];
    };
  /** The events published of the transaction, of `type` when given. */
  const ofTransaction = (transactionId: unknown, type?: DomainEvent['type']) =>
    app.publishedEvents.filter(
      (e) =>
        (type === undefined || e.type === type) && 'transactionId' in e && e.transactionId === transactionId,
    );

  it('answers malformed frames with RpcFrameworkError and keeps the connection', async () => {
    const socket = new WebSocket(`${ocppUrl(app.url)}/CS-RAW`, ['ocpp2.0.1']);
    await opened(socket);
    const answer = (frame: string) =>
      new Promise<unknown[]>((resolve) => {
        socket.once('message', (data: Buffer) => resolve(JSON.parse(data.toString()) as unknown[]));
        socket.send(frame);
      });
    expect(await answer('not json')).toEqual([4, '-1', 'RpcFrameworkError', expect.any(String), {}]);
    expect((await answer('{"a":1}'))[2]).toBe('RpcFrameworkError');
    expect((await answer('[9,"x","Heartbeat",{}]'))[2]).toBe('MessageTypeNotSupported');
    expect(await answer(JSON.stringify([2, 'b1', 'BootNotification', BOOT2]))).toEqual([
      3,
      'b1',
      expect.objectContaining({ status: 'Accepted' }),
    ]);
    socket.close();
  });

  it('answers schema violations with the 2.0.1 CallError codes, storing nothing', async () => {
    const event = transactionEvent('Started', 'TX-BAD', 0, { evseId: 1 });
    const { seqNo: _seqNo, ...withoutSeqNo } = event;
    expect(await refusal(loose, 'TransactionEvent', withoutSeqNo)).toBe('OccurrenceConstraintViolation');
    expect(await refusal(loose, 'TransactionEvent', { ...event, seqNo: 'zero' })).toBe(
      'TypeConstraintViolation',
    );
    expect(await refusal(loose, 'TransactionEvent', { ...event, eventType: 'Paused' })).toBe(
      'PropertyConstraintViolation',
    );
    expect(await refusal(loose, 'StatusNotification', { timestamp: T0, connectorStatus: 'Available' })).toBe(
      'OccurrenceConstraintViolation',
    );
    expect((await app.request('GET', '/api/transactions/TX-BAD', { token: app.admin })).status).toBe(404);
    // An implausible register is a property violation too, with the 2.x spelling.
    expect(
      await refusal(
        loose,
        'TransactionEvent',
        transactionEvent('Started', 'TX-BAD', 0, { energy: [{ wh: 1e300 }] }),
      ),
    ).toBe('PropertyConstraintViolation');
    expect((await loose.call('Heartbeat', {})) as object).toHaveProperty('currentTime');
  });

  it('answers NotImplemented to unknown actions, 1.6 actions and actions a station may not send', async () => {
    expect(await refusal(loose, 'Teleport', {})).toBe('NotImplemented');
    expect(await refusal(loose, 'StartTransaction', {})).toBe('NotImplemented');
    expect(
      await refusal(loose, 'RequestStartTransaction', {
        idToken: { idToken: 'A', type: 'Central' },
        remoteStartId: 1,
      }),
    ).toBe('NotImplemented');
  });

  it('creates the transaction of an Updated event for an unknown transaction id', async () => {
    await sendEvent(cs, 'Updated', 'TX-UNKNOWN', 5, { evseId: 1, energy: [{ wh: 300 }] });
    expect(await transaction('TX-UNKNOWN')).toMatchObject({
      status: 'active',
      connectorId: 1,
      meterStart: 300,
    });
    await sendEvent(cs, 'Ended', 'TX-UNKNOWN', 6, { energy: [{ wh: 900 }] });
    expect(await transaction('TX-UNKNOWN')).toMatchObject({
      status: 'completed',
      meterStop: 900,
      stopReason: 'Local',
    });
  });

  it('stores an event repeated with the same seqNo once, and accepts gaps in seqNo', async () => {
    const event = {
      timestamp: at(1),
      idToken: 'GOOD',
      evseId: 2,
      energy: [{ wh: 100, context: 'Transaction.Begin' }],
    };
    await sendEvent(cs, 'Started', 'TX-REPEAT', 0, event);
    await sendEvent(cs, 'Started', 'TX-REPEAT', 0, event);
    await sendEvent(cs, 'Updated', 'TX-REPEAT', 7, { timestamp: at(2), energy: [{ wh: 150 }] });
    await sendEvent(cs, 'Updated', 'TX-REPEAT', 7, { timestamp: at(2), energy: [{ wh: 150 }] });
    await sendEvent(cs, 'Ended', 'TX-REPEAT', 20, { timestamp: at(3), energy: [{ wh: 200 }] });
    await sendEvent(cs, 'Ended', 'TX-REPEAT', 20, { timestamp: at(3), energy: [{ wh: 200 }] });
    const stored = await transaction('TX-REPEAT');
    expect(stored.meterValues.map((v) => v.value)).toEqual([100, 150, 200]);
    expect(ofTransaction(stored.transactionId, 'TransactionStarted')).toHaveLength(1);
    expect(ofTransaction(stored.transactionId, 'TransactionStopped')).toHaveLength(1);
  });

  it('takes events from the offline queue arriving after live ones in seqNo order', async () => {
    const send = (type: EventType, seqNo: number, fields: EventFields) =>
      sendEvent(cs, type, 'TX-OFF', seqNo, fields);
    /** An event the station kept in its queue while offline. */
    const queued = (type: EventType, seqNo: number, fields: EventFields) =>
      send(type, seqNo, { offline: true, ...fields });
    // Live: the station reconnected and reports the transaction going on; then its queue arrives.
    await send('Updated', 3, {
      timestamp: at(13),
      evseId: 1,
      idToken: 'GOOD',
      chargingState: 'Charging',
      energy: [{ wh: 5300 }],
    });
    await send('Ended', 4, {
      timestamp: at(14),
      stoppedReason: 'EVDisconnected',
      energy: [{ wh: 5400, context: 'Transaction.End' }],
    });
    await queued('Started', 0, {
      timestamp: at(10),
      idToken: 'GOOD',
      evseId: 1,
      energy: [{ wh: 5000, context: 'Transaction.Begin' }],
    });
    await queued('Updated', 1, { timestamp: at(11), chargingState: 'EVConnected', energy: [{ wh: 5100 }] });
    await queued('Updated', 2, { timestamp: at(12), chargingState: 'Charging', energy: [{ wh: 5200 }] });
    const stored = await transaction('TX-OFF');
    expect(stored).toMatchObject({
      status: 'completed',
      meterStart: 5000,
      meterStop: 5400,
      startedAt: at(10),
      stoppedAt: at(14),
      stopReason: 'EVDisconnected',
    });
    expect(stored.meterValues.map((v) => v.value)).toEqual([5000, 5100, 5200, 5300, 5400]);
    // The late EVConnected did not move the connector back to Preparing.
    const station = (await app.request('GET', '/api/stations/CS-BAD', { token: app.admin })).body as {
      connectors: { connectorId: number; status: string }[];
    };
    expect(station.connectors.find((c) => c.connectorId === 1)?.status).toBe('Charging');
  });

  it('records an Ended without Started as a transaction started and stopped', async () => {
    await sendEvent(cs, 'Ended', 'TX-ENDONLY', 9, {
      timestamp: at(40),
      evseId: 3,
      idToken: 'GOOD',
      stoppedReason: 'PowerLoss',
      energy: [{ wh: 800 }],
    });
    const stored = await transaction('TX-ENDONLY');
    expect(stored).toMatchObject({
      status: 'completed',
      connectorId: 3,
      idTag: 'GOOD',
      meterStart: 800,
      meterStop: 800,
      stopReason: 'PowerLoss',
    });
    expect(ofTransaction(stored.transactionId).map((e) => e.type)).toEqual([
      'TransactionStarted',
      'TransactionStopped',
    ]);
  });
});
