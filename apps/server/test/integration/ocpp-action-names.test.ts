import WebSocket from 'ws';
import { describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/databases.js';
import { useTestApp } from '../support/use-test-app.js';
import { eventually, ocppUrl, opened } from '../support/ocpp-client.js';

/**
 * Action names and payload keys that are also names of Object.prototype's members are names
 * like any other: an unknown action is answered NotImplemented (the message log's redaction
 * looked its redactor up by action name and called Object.prototype's `__proto__` accessor).
 */
describe.each(DIALECTS)('OCPP names of Object.prototype members on %s', (dialect) => {
  const app = useTestApp(dialect, { env: { OCPP_UNKNOWN_STATIONS: 'accept' } });

  it('answers NotImplemented to actions named __proto__, toString or valueOf, and logs them', async () => {
    const socket = new WebSocket(`${ocppUrl(app.url)}/NAMES-1`, ['ocpp1.6']);
    const answers = new Map<string, unknown[]>();
    socket.on('message', (data: Buffer) => {
      const frame = JSON.parse(data.toString()) as unknown[];
      answers.set(String(frame[1]), frame);
    });
    await opened(socket);
    socket.send(
      JSON.stringify([2, 'boot', 'BootNotification', { chargePointVendor: 'A', chargePointModel: 'B' }]),
    );
    await eventually(() => answers.has('boot'));
    for (const action of ['__proto__', 'toString', 'valueOf', 'hasOwnProperty']) {
      socket.send(`[2,"${action}-call","${action}",{"__proto__":{"polluted":1}}]`);
      await eventually(() => answers.has(`${action}-call`));
      expect(answers.get(`${action}-call`), action).toEqual([
        4,
        `${action}-call`,
        'NotImplemented',
        expect.any(String),
        {},
      ]);
    }
    socket.close();
    await eventually(async () => {
      const logged = await app.request('GET', '/api/stations/NAMES-1/messages?limit=100', {
        token: app.admin,
      });
      const calls = (
        logged.body.items as { direction: string; action: string | null; payload: unknown }[]
      ).filter((m) => m.direction === 'in' && m.action === '__proto__');
      return calls.length === 1 && JSON.stringify(calls[0]?.payload) === '{"__proto__":{"polluted":1}}';
    });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
