import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIdTags } from '../support/builders.js';
import { DIALECTS } from '../support/databases.js';
import { parseLogLines } from '../support/log-lines.js';
import { useTestApp } from '../support/use-test-app.js';
import { eventually, type TestChargePoint } from '../support/ocpp-client.js';
import { BOOT2, bootStation2 } from '../support/ocpp2-client.js';
import { sendEvent, transactionEvent, sendStatus, T0, at } from '../support/ocpp2-session.js';

/** The frames a station received, as they came over the wire. */
function framesOf(cs: TestChargePoint): unknown[][] {
  const frames: unknown[][] = [];
  cs.on('message', ({ message, outbound }: { message: string; outbound: boolean }) => {
    if (!outbound) frames.push(JSON.parse(message) as unknown[]);
  });
  return frames;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.each(DIALECTS)('an OCPP 2.1 station on %s', (dialect) => {
  const logLines: string[] = [];
  const app = useTestApp(dialect, { env: { OCPP_UNKNOWN_STATIONS: 'accept' }, logLines });
  let cs: TestChargePoint;
  let frames: unknown[][];

  beforeAll(async () => {
    await createIdTags(app, app.admin, 'GOOD21');
    ({ client: cs } = await bootStation2(app.url, 'CS-21', { protocol: 'ocpp2.1' }));
    frames = framesOf(cs);
  });
  afterAll(async () => {
    await cs?.close();
  });

  it('is served as a 2.0.1 station with the 2.1 schemas: a whole session, with fields only 2.1 has', async () => {
    expect(cs.protocol).toBe('ocpp2.1');
    expect(
      (
        (await app.request('GET', '/api/stations/CS-21', { token: app.admin })).body as {
          ocppVersion: string;
        }
      ).ocppVersion,
    ).toBe('2.1');
    await sendStatus(cs, 1, 'Occupied', T0);
    const authorized = (await cs.call('Authorize', { idToken: { idToken: 'GOOD21', type: 'ISO14443' } })) as {
      idTokenInfo: { status: string };
    };
    expect(authorized.idTokenInfo.status).toBe('Accepted');
    const started = await cs.call('TransactionEvent', {
      ...transactionEvent('Started', 'TX-21', 0, {
        timestamp: at(0),
        idToken: 'GOOD21',
        evseId: 1,
        chargingState: 'Charging',
        energy: [{ wh: 2000, context: 'Transaction.Begin' }],
      }),
      // OCPP 2.1 only: the 2.0.1 schema refuses it.
      evseSleep: false,
    });
    expect(started).toEqual({ idTokenInfo: { status: 'Accepted' } });
    await sendEvent(cs, 'Ended', 'TX-21', 1, {
      timestamp: at(9),
      stoppedReason: 'EVDisconnected',
      energy: [{ wh: 2600 }],
    });
    const tx = await app.request('GET', '/api/transactions/TX-21', { token: app.admin });
    expect(tx.body).toMatchObject({
      chargePointId: 'CS-21',
      meterStart: 2000,
      meterStop: 2600,
      stopReason: 'EVDisconnected',
    });
  });

  it('never answers a SEND, valid, invalid or of an unknown action, and goes on serving', async () => {
    const before = frames.length;
    const stream = { id: 1, pending: 0, basetime: T0, data: [{ t: 0, v: '230.1' }] };
    cs.sendRaw(JSON.stringify([6, 'send-1', 'NotifyPeriodicEventStream', stream]));
    cs.sendRaw(JSON.stringify([6, 'send-2', 'NotifyPeriodicEventStream', { id: 'one' }]));
    cs.sendRaw(JSON.stringify([6, 'send-3', 'Teleport', {}]));
    cs.sendRaw('[6, "send-4"]');
    await pause(300);
    expect(frames.slice(before)).toEqual([]);
    expect((await cs.call('Heartbeat', {})) as object).toHaveProperty('currentTime');
    const lines = parseLogLines(logLines).filter((line) => line.chargePointId === 'CS-21');
    expect(lines.filter((line) => line.msg === 'invalid SEND ignored')).toHaveLength(1);
    expect(lines.filter((line) => line.msg === 'SEND of an unknown action ignored')).toHaveLength(2);
  });

  it("logs a station's CALLRESULTERROR about one of our answers and never answers it", async () => {
    const before = frames.length;
    cs.sendRaw(JSON.stringify([5, 'answered-1', 'FormatViolation', 'your CALLRESULT was wrong', {}]));
    await pause(300);
    expect(frames.slice(before)).toEqual([]);
    expect(
      parseLogLines(logLines).some(
        (line) => line.chargePointId === 'CS-21' && line.msg.includes('CALLRESULTERROR'),
      ),
    ).toBe(true);
    expect((await cs.call('Heartbeat', {})) as object).toHaveProperty('currentTime');
  });

  it('answers a CALLRESULT that breaks the schema with a CALLRESULTERROR and ends the command with 502 at once', async () => {
    const { client: broken } = await bootStation2(app.url, 'CS-21-BROKEN', {
      protocol: 'ocpp2.1',
      strictMode: false,
      handlers: { ClearCache: () => ({ status: 'Perhaps' }) },
    });
    const received = framesOf(broken);
    const started = Date.now();
    const command = await app.request('POST', '/api/stations/CS-21-BROKEN/commands/ClearCache', {
      token: app.admin,
      body: {},
    });
    expect(command.status).toBe(502);
    expect(command.body.error.code).toBe('OCPP_CALL_ERROR');
    expect(command.body.error.message).toContain('a result its schema does not allow');
    expect(Date.now() - started).toBeLessThan(5000);
    await eventually(() => received.some((frame) => frame[0] === 5));
    const call = received.find((frame) => frame[0] === 2 && frame[2] === 'ClearCache');
    expect(received.find((frame) => frame[0] === 5)).toEqual([
      5,
      call?.[1],
      'PropertyConstraintViolation',
      expect.any(String),
      {},
    ]);
    expect((await broken.call('Heartbeat', {})) as object).toHaveProperty('currentTime');
    await broken.close();
  });

  it('a 2.0.1 station gets no frame of 2.1: its SEND is not a message type it may send', async () => {
    const { client } = await bootStation2(app.url, 'CS-201-SEND', { strictMode: false });
    const received = framesOf(client);
    client.sendRaw(JSON.stringify([6, 'send-x', 'NotifyPeriodicEventStream', {}]));
    // The server's own calls after the boot (GetBaseReport) may come first: the answer is the CALLERROR.
    const isError = (frame: unknown) => Array.isArray(frame) && frame[0] === 4;
    await eventually(() => received.some(isError));
    expect(received.filter(isError)).toEqual([
      [4, expect.any(String), 'MessageTypeNotSupported', expect.any(String), {}],
    ]);
    expect(await client.call('BootNotification', BOOT2)).toMatchObject({ status: 'Accepted' });
    await client.close();
  });
});
