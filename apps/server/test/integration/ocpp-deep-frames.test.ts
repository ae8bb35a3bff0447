import WebSocket from 'ws';
import { describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/databases.js';
import { useTestApp } from '../support/use-test-app.js';
import { eventually, ocppUrl, opened } from '../support/ocpp-client.js';

/** JSON nested 30,000 deep: 60 KB, under the frame limit, and past what JSON.stringify can recurse. */
const DEEP = `${'['.repeat(30_000)}${']'.repeat(30_000)}`;
const CALL_TIMEOUT_MS = 8000;

/** An accepted charge point on a raw socket that answers every command with `answer(messageId)`. */
async function rawStation(url: string, answer: (messageId: string) => string) {
  const socket = new WebSocket(url, ['ocpp1.6']);
  const frames: string[] = [];
  socket.on('message', (data: Buffer) => {
    const text = data.toString();
    const frame = JSON.parse(text) as unknown[];
    if (frame[0] === 2) socket.send(answer(String(frame[1])));
    else frames.push(text);
  });
  await opened(socket);
  socket.send(
    JSON.stringify([2, 'boot', 'BootNotification', { chargePointVendor: 'A', chargePointModel: 'B' }]),
  );
  await eventually(() => frames.length === 1);
  return { socket, frames };
}

/**
 * Frames nested so deep that they cannot be serialized again: the message log must not choke on
 * them (its failure happened inside ocpp-rpc's frame handling), and a CallError must not echo them.
 */
describe.each(DIALECTS)('deeply nested OCPP frames on %s', (dialect) => {
  const app = useTestApp(dialect, {
    env: { OCPP_UNKNOWN_STATIONS: 'accept', OCPP_CALL_TIMEOUT_MS: String(CALL_TIMEOUT_MS) },
  });

  const command = (id: string) =>
    app.request('POST', `/api/stations/${id}/commands/GetConfiguration`, { token: app.admin, body: {} });

  it('ends a command at once with 502 when the station answers a deeply nested CallError or CallResult', async () => {
    const errors = await rawStation(
      `${ocppUrl(app.url)}/DEEP-ERROR`,
      (id) => `[4,"${id}","GenericError","refused",${DEEP}]`,
    );
    const results = await rawStation(`${ocppUrl(app.url)}/DEEP-RESULT`, (id) => `[3,"${id}",${DEEP}]`);
    for (const id of ['DEEP-ERROR', 'DEEP-RESULT']) {
      const started = Date.now();
      const answer = await command(id);
      expect(answer.status, id).toBe(502);
      expect(answer.body.error.code).toBe('OCPP_CALL_ERROR');
      expect(Date.now() - started).toBeLessThan(CALL_TIMEOUT_MS / 2);
    }
    expect(errors.socket.readyState).toBe(WebSocket.OPEN);
    expect(results.socket.readyState).toBe(WebSocket.OPEN);
    errors.socket.close();
    results.socket.close();
  });

  it('refuses a deeply nested call with a short CallError that does not echo it, and keeps the socket', async () => {
    const { socket, frames } = await rawStation(`${ocppUrl(app.url)}/DEEP-CALL`, () => '');
    socket.send(`[2,"deep-1","DataTransfer",{"vendorId":"v","data":${DEEP}}]`);
    socket.send(`[2,"deep-2","Heartbeat",{"nested":${DEEP}}]`);
    await eventually(() => frames.length === 3);
    const [first, second] = frames.slice(1).map((text) => JSON.parse(text) as unknown[]);
    expect(first?.slice(0, 3)).toEqual([4, 'deep-1', 'TypeConstraintViolation']);
    expect(second?.slice(0, 3)).toEqual([4, 'deep-2', 'PropertyConstraintViolation']);
    for (const text of frames.slice(1)) expect(text.length).toBeLessThan(2000);
    socket.send(JSON.stringify([2, 'after', 'Heartbeat', {}]));
    await eventually(() => frames.length === 4);
    expect(JSON.parse(frames[3] ?? '')).toMatchObject([3, 'after', { currentTime: expect.any(String) }]);
    socket.close();
  });
});
