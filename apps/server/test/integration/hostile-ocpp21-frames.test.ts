import { describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { MAX_REFUSALS_PER_MINUTE } from '../../src/ocpp/refusal-budget.js';
import { DIALECTS } from '../support/databases.js';
import { opened, ocppUrl } from '../support/ocpp-client.js';
import { BOOT2 } from '../support/ocpp2-client.js';
import { useTestApp } from '../support/use-test-app.js';

/** A raw OCPP 2.1 station: every frame it receives, and how its socket closed. */
async function rawStation21(url: string) {
  const socket = new WebSocket(url, ['ocpp2.1']);
  const received: unknown[][] = [];
  socket.on('message', (data: Buffer) => {
    const frame = JSON.parse(data.toString()) as unknown[];
    // Whatever the server asks (GetBaseReport after the boot) is accepted.
    if (frame[0] === 2) socket.send(JSON.stringify([3, frame[1], { status: 'Accepted' }]));
    else received.push(frame);
  });
  socket.on('error', () => undefined);
  const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
  await opened(socket);
  /** Sends a CALL and waits for its answer. */
  const call = async (id: string, action: string, payload: unknown) => {
    socket.send(JSON.stringify([2, id, action, payload]));
    const end = Date.now() + 5000;
    for (;;) {
      const answer = received.find((frame) => frame[1] === id);
      if (answer) return answer;
      if (Date.now() > end) throw new Error(`no answer to ${id}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };
  return { socket, received, closed, call };
}

/** OCPP-J 2.1 SEND (6) and CALLRESULTERROR (5) frames, malformed and in floods. */
describe.each(DIALECTS)('hostile OCPP 2.1 frames on %s', (dialect) => {
  const app = useTestApp(dialect, { env: { OCPP_UNKNOWN_STATIONS: 'accept' } });

  it('ignores malformed SEND and CALLRESULTERROR frames without an answer and goes on serving', async () => {
    const station = await rawStation21(`${ocppUrl(app.url)}/H21-MALFORMED`);
    expect((await station.call('boot', 'BootNotification', BOOT2))[2]).toMatchObject({ status: 'Accepted' });
    const frames = [
      '[6,"a"]',
      '[6,"a","Heartbeat"]',
      '[6,"a","Teleport",{}]',
      '[6,"a",{},{}]',
      '[6,"a","__proto__",{}]',
      '[6,"a","constructor",{}]',
      `[6,"${'x'.repeat(5000)}","NotifyPeriodicEventStream",{}]`,
      '[6,"a","NotifyPeriodicEventStream",null,1,2]',
      '[5,"zz"]',
      '[5,"never-sent","InternalError","x",{}]',
      '[5,"a",1,2,3]',
    ];
    for (const frame of frames) station.socket.send(frame);
    const heartbeat = await station.call('alive', 'Heartbeat', {});
    expect(heartbeat).toEqual([3, 'alive', { currentTime: expect.any(String) }]);
    // Nothing but the two answers: a SEND and a CALLRESULTERROR are never answered.
    expect(station.received.map((frame) => frame[1])).toEqual(['boot', 'alive']);
    const stationObject = await app.request('GET', '/api/stations/H21-MALFORMED', { token: app.admin });
    expect(stationObject.body).toMatchObject({ connected: true, ocppVersion: '2.1' });
    station.socket.close();
  });

  it.each([
    [
      'invalid SENDs',
      'H21-FLOOD-INVALID',
      (i: number) => JSON.stringify([6, `s${i}`, 'NotifyPeriodicEventStream', { id: 'one' }]),
    ],
    [
      'SENDs of unknown actions',
      'H21-FLOOD-UNKNOWN',
      (i: number) => JSON.stringify([6, `s${i}`, 'Teleport', {}]),
    ],
    [
      'CALLRESULTERRORs',
      'H21-FLOOD-ERRORS',
      (i: number) => JSON.stringify([5, `e${i}`, 'FormatViolation', 'x'.repeat(1000), {}]),
    ],
  ])(
    'closes with 1008 a connection that keeps sending %s, as one sending refused calls',
    async (_kind, identity, frame) => {
      const station = await rawStation21(`${ocppUrl(app.url)}/${identity}`);
      await station.call('boot', 'BootNotification', BOOT2);
      for (let i = 0; i <= MAX_REFUSALS_PER_MINUTE; i++) station.socket.send(frame(i));
      expect(await station.closed).toBe(1008);
      // The station's record is kept, and the server serves others.
      const stationObject = await app.request('GET', `/api/stations/${identity}`, { token: app.admin });
      expect(stationObject.status).toBe(200);
      expect(stationObject.body).toMatchObject({ vendor: 'Acme', model: 'Volt 2' });
      const other = await rawStation21(`${ocppUrl(app.url)}/${identity}-CALM`);
      expect((await other.call('boot', 'BootNotification', BOOT2))[2]).toMatchObject({ status: 'Accepted' });
      other.socket.close();
    },
  );
});
