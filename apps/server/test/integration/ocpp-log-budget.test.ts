import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  LOG_CHARS_PER_STATION_PER_MINUTE,
  MAX_LOGGED_MESSAGE_ID_CHARS,
} from '../../src/services/ocpp-log.service.js';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../support/databases.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { BOOT, bootChargePoint, eventually, ocppUrl } from '../support/ocpp-client.js';

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
  let database: TestDatabase;
  let app: TestApp;
  let admin: string;

  beforeAll(async () => {
    database = await createTestDatabase(dialect);
    app = await startTestApp({ databaseUrl: database.url });
    admin = (await app.login()).token;
  });
  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  const logOf = async (id: string) =>
    (await app.request('GET', `/api/stations/${id}/messages?limit=1000`, { token: admin })).body as {
      items: Logged[];
      total: number;
    };

  it('leaves out, past its budget, the frames of a pending station that boots in a loop, and marks the gap', async () => {
    const socket = new WebSocket(`${ocppUrl(app.url)}/LOG-FLOOD-1`, ['ocpp1.6']);
    let answers = 0;
    socket.on('message', () => void answers++);
    await new Promise((resolve, reject) => {
      socket.once('open', resolve);
      socket.once('error', reject);
    });
    const boot = { chargePointVendor: 'V', chargePointModel: 'M' };
    for (let i = 0; i < BOOTS; i++) {
      socket.send(JSON.stringify([2, `${i}-`.padEnd(5000, 'm'), 'BootNotification', boot]));
    }
    await eventually(() => answers === BOOTS, 20_000);
    await new Promise((resolve) => setTimeout(resolve, 500));
    socket.close();

    const { items, total } = await logOf('LOG-FLOOD-1');
    // Each exchange logs two rows of over 100 characters: the budget, and what refilled meanwhile.
    expect(total).toBeLessThan(LOG_CHARS_PER_STATION_PER_MINUTE / 100 + 400);
    expect(total).toBeLessThan(2 * BOOTS);
    expect(items.every((m) => m.messageId.length <= MAX_LOGGED_MESSAGE_ID_CHARS)).toBe(true);
    const markers = items.filter((m) => m.messageType === 0);
    expect(markers.length).toBeGreaterThanOrEqual(1);
    expect(markers[0]?.payload).toMatchObject({ omitted: expect.any(String) });
    expect(items.filter((m) => m.action === 'BootNotification').length).toBeGreaterThan(100);
  });

  it('logs every frame of a station within its budget', async () => {
    const { client } = await bootChargePoint(app.url, 'LOG-CALM-1');
    for (let i = 0; i < 4; i++) await client.call('BootNotification', BOOT);
    await client.close();
    await eventually(async () => (await logOf('LOG-CALM-1')).total === 10);
    expect((await logOf('LOG-CALM-1')).items.some((m) => m.messageType === 0)).toBe(false);
  });
});
