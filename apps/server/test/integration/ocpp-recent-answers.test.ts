import WebSocket from 'ws';
import { describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/databases.js';
import { useTestApp } from '../support/use-test-app.js';
import { eventually, ocppUrl, opened } from '../support/ocpp-client.js';

/** A raw charge point: `call` sends a frame and resolves the answer with its message id. */
async function rawStation(url: string) {
  const socket = new WebSocket(url, ['ocpp1.6']);
  const answers: unknown[][] = [];
  socket.on('message', (data: Buffer) => void answers.push(JSON.parse(data.toString()) as unknown[]));
  await opened(socket);
  const call = async (messageId: string, action: string, payload: object) => {
    const before = answers.length;
    socket.send(JSON.stringify([2, messageId, action, payload]));
    await eventually(() => answers.length > before);
    // Apart, so that the clock moves on between two answers.
    await new Promise((resolve) => setTimeout(resolve, 10));
    return answers[before] ?? [];
  };
  return { socket, call };
}

/**
 * Answers remembered for retries (same message id) are bounded: only registered stations' are
 * kept, and a long message id is kept by its hash. An unknown charge point could otherwise make
 * the server remember 16 ids of 64 KB for every id it ever connected with, for ever.
 */
describe.each(DIALECTS)('remembered OCPP answers on %s', (dialect) => {
  const app = useTestApp(dialect, { login: false });

  it('remembers nothing for a charge point that has not booted', async () => {
    const { socket, call } = await rawStation(`${ocppUrl(app.url)}/RECENT-UNKNOWN`);
    const id = 'x'.repeat(60_000);
    const first = await call(id, 'Heartbeat', {});
    const again = await call(id, 'Heartbeat', {});
    expect(first[0]).toBe(3);
    expect(again[0]).toBe(3);
    expect(again[2]).not.toEqual(first[2]);
    socket.close();
  });

  it('answers a registered station’s retry with a long message id from memory, telling long ids apart', async () => {
    const { socket, call } = await rawStation(`${ocppUrl(app.url)}/RECENT-KNOWN`);
    await call('boot', 'BootNotification', { chargePointVendor: 'A', chargePointModel: 'B' });
    const id = `${'y'.repeat(10_000)}-1`;
    const first = await call(id, 'Heartbeat', {});
    expect(await call(id, 'Heartbeat', {})).toEqual(first);
    const other = await call(`${'y'.repeat(10_000)}-2`, 'Heartbeat', {});
    expect(other[2]).not.toEqual(first[2]);
    socket.close();
  });
});
