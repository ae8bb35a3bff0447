import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_CALLS_WAITING } from '../../src/ocpp/connection.js';
import { DIALECTS } from '../support/databases.js';
import { useTestApp } from '../support/use-test-app.js';
import { eventually, ocppUrl, opened } from '../support/ocpp-client.js';

const CALLS = 300;

/**
 * A charge point that streams calls without waiting for their answers (OCPP-J 1.6 §4.1.1 asks it
 * to wait) is read no faster than it is answered: its frames wait in TCP buffers, not parsed in
 * the server's memory, and each is still answered in order once the ones before it are.
 */
describe.each(DIALECTS)('pipelined OCPP calls on %s', (dialect) => {
  const app = useTestApp(dialect, { env: { OCPP_UNKNOWN_STATIONS: 'accept' } });
  let release: () => void = () => undefined;
  let entered = 0;

  beforeAll(async () => {
    const gate = new Promise<void>((resolve) => (release = resolve));
    app.dataTransfer.register('Slow', async () => {
      entered++;
      await gate;
      return { status: 'Accepted' };
    });
  });
  afterAll(async () => {
    release();
  });

  it('stops reading a station whose unanswered calls pile up, and answers them all once it can', async () => {
    const socket = new WebSocket(`${ocppUrl(app.url)}/PIPE-1`, ['ocpp1.6']);
    const answers: unknown[][] = [];
    socket.on('message', (data: Buffer) => void answers.push(JSON.parse(data.toString()) as unknown[]));
    await opened(socket);
    socket.send(
      JSON.stringify([2, 'boot', 'BootNotification', { chargePointVendor: 'A', chargePointModel: 'B' }]),
    );
    await eventually(() => answers.length === 1);
    expect(answers[0]?.[2]).toMatchObject({ status: 'Accepted' });

    const data = 'x'.repeat(4000);
    for (let i = 0; i < CALLS; i++) {
      socket.send(JSON.stringify([2, `slow-${i}`, 'DataTransfer', { vendorId: 'Slow', data }]));
    }
    await eventually(() => entered === 1);
    // Time for every frame to arrive, were the socket still read, and for the log to be written.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const logged = await app.request('GET', '/api/stations/PIPE-1/messages?limit=1', { token: app.admin });
    // The boot exchange, the calls read before the pause, and what one read of the socket held.
    expect(logged.body.total).toBeGreaterThanOrEqual(MAX_CALLS_WAITING);
    expect(logged.body.total).toBeLessThan(2 + MAX_CALLS_WAITING + 40);

    release();
    await eventually(() => answers.length === 1 + CALLS, 20_000);
    expect(answers.slice(1).map((answer) => answer[1])).toEqual(
      Array.from({ length: CALLS }, (_, i) => `slow-${i}`),
    );
    expect(answers.every((answer) => answer[0] === 3)).toBe(true);
    expect(socket.readyState).toBe(WebSocket.OPEN);
    socket.close();
  });
});
