import WebSocket from 'ws';
import { describe, expect, it } from 'vitest';
import {
  LOG_CHARS_PER_STATION_PER_MINUTE,
  LOG_CHARS_PER_UNACCEPTED_STATION_PER_MINUTE,
  MAX_LOGGED_MESSAGE_ID_CHARS,
} from '../../src/services/ocpp-log.service.js';
import { DIALECTS } from '../support/databases.js';
import { useTestApp } from '../support/use-test-app.js';
import { BOOT, bootChargePoint, eventually, ocppUrl, opened } from '../support/ocpp-client.js';

const BOOTS = 1500;

interface Logged {
  messageType: number;
  messageId: string;
  action: string | null;
  payload: unknown;
}

/**
 * The message log cannot be used to fill the disk: an unknown charge point under the default
 * `pending` policy, which needs no password, streamed BootNotifications with 60 KB message ids
 * and wrote 1.2 GB in eight seconds. Each station now has a budget of log a minute.
 */
describe.each(DIALECTS)('OCPP message log budget on %s', (dialect) => {
  const app = useTestApp(dialect);

  const logOf = async (id: string) =>
    (await app.request('GET', `/api/stations/${id}/messages?limit=1000`, { token: app.admin })).body as {
      items: Logged[];
      total: number;
    };

  /**
   * Pipelines `calls` frames of `action` on a raw socket and waits for every answer; resolves
   * with how long the station was connected (ms), over which its budget refills.
   */
  async function flood(id: string, calls: number, action: string, payload: object, idChars: number) {
    const started = Date.now();
    const socket = new WebSocket(`${ocppUrl(app.url)}/${id}`, ['ocpp1.6']);
    let answers = 0;
    socket.on('message', () => void answers++);
    await opened(socket);
    for (let i = 0; i < calls; i++)
      socket.send(JSON.stringify([2, `${i}-`.padEnd(idChars, 'm'), action, payload]));
    await eventually(() => answers === calls, 20_000);
    await new Promise((resolve) => setTimeout(resolve, 500));
    socket.close();
    return Date.now() - started;
  }

  function expectBudgetKept(items: Logged[], total: number, budget: number, sent: number, elapsedMs: number) {
    // Every row here holds over 64 characters (its message id): the budget, and what refilled
    // meanwhile (a busy machine answers the flood in seconds rather than at once).
    const refilled = (budget * elapsedMs) / 60_000;
    expect(total).toBeLessThan((budget + refilled) / 64 + 100);
    expect(total).toBeLessThan(sent);
    expect(items.every((m) => m.messageId.length <= MAX_LOGGED_MESSAGE_ID_CHARS)).toBe(true);
    const markers = items.filter((m) => m.messageType === 0);
    expect(markers.length).toBeGreaterThanOrEqual(1);
    expect(markers[0]?.payload).toMatchObject({ omitted: expect.any(String) });
  }

  it('leaves out, past its small budget, the frames of a pending station that boots in a loop, and marks the gap', async () => {
    const elapsed = await flood('LOG-FLOOD-1', BOOTS, 'BootNotification', BOOT, 5000);
    const { items, total } = await logOf('LOG-FLOOD-1');
    expectBudgetKept(items, total, LOG_CHARS_PER_UNACCEPTED_STATION_PER_MINUTE, 2 * BOOTS, elapsed);
    expect(items.filter((m) => m.action === 'BootNotification').length).toBeGreaterThan(10);
  });

  it('gives an accepted station a larger budget, and keeps it too', async () => {
    const created = await app.request('POST', '/api/stations', {
      token: app.admin,
      body: { chargePointId: 'LOG-FLOOD-2', name: 'Flood', ocppPassword: null },
    });
    expect(created.status).toBe(201);
    const elapsed = await flood('LOG-FLOOD-2', BOOTS * 2, 'Heartbeat', {}, MAX_LOGGED_MESSAGE_ID_CHARS);
    const { items, total } = await logOf('LOG-FLOOD-2');
    expectBudgetKept(items, total, LOG_CHARS_PER_STATION_PER_MINUTE, 4 * BOOTS, elapsed);
    expect(total).toBeGreaterThan(LOG_CHARS_PER_UNACCEPTED_STATION_PER_MINUTE / 50);
  });

  it('logs every frame of a station within its budget', async () => {
    const { client } = await bootChargePoint(app.url, 'LOG-CALM-1');
    for (let i = 0; i < 4; i++) await client.call('BootNotification', BOOT);
    await client.close();
    await eventually(async () => (await logOf('LOG-CALM-1')).total === 10);
    expect((await logOf('LOG-CALM-1')).items.some((m) => m.messageType === 0)).toBe(false);
  });
});
