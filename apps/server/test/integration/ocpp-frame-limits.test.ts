import WebSocket from 'ws';
import { beforeAll, describe, expect, it } from 'vitest';
import { startTransaction } from '../support/builders.js';
import { DIALECTS } from '../support/databases.js';
import { useTestApp } from '../support/use-test-app.js';
import { bootChargePoint, connectChargePoint, eventually, ocppUrl, opened } from '../support/ocpp-client.js';

const NOW = '2026-01-11T14:30:00Z';

function samples(count: number) {
  return [{ timestamp: NOW, sampledValue: Array.from({ length: count }, (_, i) => ({ value: String(i) })) }];
}

/** A raw socket for frames no OCPP library would send; resolves its close code. */
async function rawStation(url: string) {
  const socket = new WebSocket(url, ['ocpp1.6']);
  await opened(socket);
  const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
  socket.on('error', () => undefined);
  return { socket, closed };
}

/**
 * Issue 10, item 3: frames, samples per message and what the message log keeps of one payload
 * are bounded, and a connection that keeps sending what is refused is closed.
 */
describe.each(DIALECTS)('OCPP size limits on %s', (dialect) => {
  const logLines: string[] = [];

  const app = useTestApp(dialect, { env: { OCPP_UNKNOWN_STATIONS: 'accept' }, logLines });
  beforeAll(async () => {
    await app.request('POST', '/api/id-tags', {
      token: app.admin,
      body: { idTag: 'TAG-1', status: 'Accepted' },
    });
  });

  const messages = async (id: string) =>
    (await app.request('GET', `/api/stations/${id}/messages?limit=100`, { token: app.admin })).body;

  it('closes with 1009 a connection whose frame exceeds 64 KiB, storing nothing of it, and keeps serving', async () => {
    const { client } = await bootChargePoint(app.url, 'BIG-1');
    await client.close();
    const { socket, closed } = await rawStation(`${ocppUrl(app.url)}/BIG-1`);
    const data = 'x'.repeat(65 * 1024);
    socket.send(JSON.stringify([2, 'big-1', 'DataTransfer', { vendorId: 'Acme', data }]));
    expect(await closed).toBe(1009);
    await eventually(() =>
      logLines.some((line) => line.includes('OCPP socket error') && line.includes('BIG-1')),
    );
    await new Promise((r) => setTimeout(r, 400));
    const logged = (await messages('BIG-1')).items as { payload: unknown }[];
    expect(logged.some((m) => JSON.stringify(m.payload).includes('xxxxxxxx'))).toBe(false);
    const again = await bootChargePoint(app.url, 'BIG-1');
    expect(again.boot.status).toBe('Accepted');
    await again.client.close();
  });

  it('refuses MeterValues and StopTransaction with more than 1000 samples, storing none of them', async () => {
    const { client } = await bootChargePoint(app.url, 'SAMPLES-1');
    const { transactionId } = await startTransaction(client, { idTag: 'TAG-1', timestamp: NOW });
    await expect(
      client.call('MeterValues', { connectorId: 1, transactionId, meterValue: samples(1001) }),
    ).rejects.toMatchObject({ rpcErrorCode: 'OccurenceConstraintViolation' });
    await expect(
      client.call('StopTransaction', {
        transactionId,
        meterStop: 10,
        timestamp: NOW,
        transactionData: samples(1001),
      }),
    ).rejects.toMatchObject({ rpcErrorCode: 'OccurenceConstraintViolation' });
    const stored = await app.request('GET', `/api/transactions/${transactionId}`, { token: app.admin });
    expect(stored.body).toMatchObject({ status: 'active', meterValues: [] });
    // At the bound it is accepted.
    await client.call('MeterValues', { connectorId: 1, transactionId, meterValue: samples(1000) });
    await eventually(
      async () =>
        (await app.request('GET', `/api/transactions/${transactionId}`, { token: app.admin })).body
          .meterValues.length > 0,
    );
    await client.close();
  });

  it('keeps at most 16 KiB of one payload in the message log, as valid JSON marked truncated', async () => {
    const { client } = await bootChargePoint(app.url, 'LOGGED-1');
    await client.call('DataTransfer', { vendorId: 'Acme', data: '"q"'.repeat(5000) + 'x'.repeat(30_000) });
    await eventually(async () =>
      ((await messages('LOGGED-1')).items as { action: string }[]).some((m) => m.action === 'DataTransfer'),
    );
    // The API answers each payload parsed: a row that were not valid JSON would come back as text.
    const items = (await messages('LOGGED-1')).items as { action: string; payload: unknown }[];
    const request = items.find(
      (m) =>
        m.action === 'DataTransfer' &&
        m.payload !== null &&
        typeof m.payload === 'object' &&
        'truncated' in m.payload,
    );
    expect(request?.payload).toMatchObject({
      truncated: true,
      length: expect.any(Number),
      head: expect.any(String),
    });
    expect(JSON.stringify(request?.payload).length).toBeLessThanOrEqual(16 * 1024);
    await client.close();
  });

  it('closes a connection that keeps sending refused calls (1008) or unreadable frames (1002)', async () => {
    const client = await connectChargePoint(app.url, 'NOISY-1', { strictMode: false });
    await client.call('BootNotification', { chargePointVendor: 'A', chargePointModel: 'B' });
    const closed = new Promise<{ code: number }>((r) => client.once('close', r));
    const answers = [];
    for (let i = 0; i < 70; i++) {
      answers.push(client.call('StatusNotification', { connectorId: 1 }).catch((error: unknown) => error));
    }
    await Promise.all(answers);
    expect((await closed).code).toBe(1008);
    expect(logLines.some((line) => line.includes('too many refused OCPP messages'))).toBe(true);

    const { socket, closed: rawClosed } = await rawStation(`${ocppUrl(app.url)}/NOISY-2`);
    for (let i = 0; i < 12; i++) socket.send('this is not OCPP');
    expect(await rawClosed).toBe(1002);
    expect((await app.request('GET', '/api/health')).status).toBe(200);
  });
});
