import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/databases.js';
import { bootChargePoint, type TestChargePoint } from '../support/ocpp-client.js';
import { useTestApp } from '../support/use-test-app.js';

interface StartAnswer {
  transactionId: number;
  idTagInfo: { status: string };
}

/** Issue 10 item 8: a StartTransaction answered other than Accepted never counts as active. */
describe.each(DIALECTS)('refused StartTransaction on %s', (dialect) => {
  const app = useTestApp(dialect, { env: { OCPP_UNKNOWN_STATIONS: 'accept' } });
  let home: TestChargePoint;
  let rogue: TestChargePoint;
  let elsewhere: TestChargePoint;
  let minute = 0;

  beforeAll(async () => {
    ({ client: home } = await bootChargePoint(app.url, 'CP-HOME'));
    ({ client: rogue } = await bootChargePoint(app.url, 'CP-ROGUE'));
    ({ client: elsewhere } = await bootChargePoint(app.url, 'CP-ELSEWHERE'));
  });
  afterAll(async () => {
    for (const client of [home, rogue, elsewhere]) await client?.close();
  });

  /** A distinct start time per call, so that no start is a retry of another. */
  const nextTime = () => new Date(Date.parse('2026-03-01T00:00:00.000Z') + ++minute * 60_000).toISOString();
  const start = async (client: TestChargePoint, idTag: string, timestamp = nextTime()) =>
    (await client.call('StartTransaction', {
      connectorId: 1,
      idTag,
      meterStart: 100,
      timestamp,
    })) as StartAnswer;
  const stop = (client: TestChargePoint, transactionId: number, meterStop = 150) =>
    client.call('StopTransaction', {
      transactionId,
      meterStop,
      timestamp: nextTime(),
      reason: 'DeAuthorized',
    });
  const tag = async (method: 'POST' | 'PATCH', idTag: string, body: object) => {
    const path = method === 'POST' ? '/api/id-tags' : `/api/id-tags/${idTag}`;
    const response = await app.request(method, path, {
      token: app.admin,
      body: method === 'POST' ? { idTag, ...body } : body,
    });
    expect(response.status).toBeLessThan(300);
  };
  const activeOf = async (idTag: string) =>
    (await app.request('GET', `/api/transactions?status=active&idTag=${idTag}`, { token: app.admin })).body
      .total;

  it('does not lock a card in use elsewhere when a rogue station starts with it (ConcurrentTx)', async () => {
    await tag('POST', 'CARD-1', {});
    const legit = await start(home, 'CARD-1');
    expect(legit.idTagInfo.status).toBe('Accepted');
    const stolen = await start(rogue, 'CARD-1');
    expect(stolen.idTagInfo.status).toBe('ConcurrentTx');
    expect(stolen.transactionId).toBeGreaterThan(0);
    await stop(home, legit.transactionId);
    expect(await activeOf('CARD-1')).toBe(0);
    const next = await start(elsewhere, 'CARD-1');
    expect(next.idTagInfo.status).toBe('Accepted');
    await stop(elsewhere, next.transactionId);
  });

  it.each([
    ['Blocked', { status: 'Blocked' }],
    ['Expired', { status: 'Accepted', expiryDate: '2020-01-01T00:00:00.000Z' }],
  ])('does not lock a card once it is usable again after a start answered %s', async (status, setup) => {
    const idTag = `CARD-${status}`;
    await tag('POST', idTag, setup);
    const refused = await start(rogue, idTag);
    expect(refused.idTagInfo.status).toBe(status);
    await tag('PATCH', idTag, { status: 'Accepted', expiryDate: null });
    expect(await activeOf(idTag)).toBe(0);
    const next = await start(elsewhere, idTag);
    expect(next.idTagInfo.status).toBe('Accepted');
    await stop(elsewhere, next.transactionId);
  });

  it('does not lock an unknown card registered after a start answered Invalid', async () => {
    const refused = await start(rogue, 'CARD-NEW');
    expect(refused.idTagInfo.status).toBe('Invalid');
    await tag('POST', 'CARD-NEW', {});
    const next = await start(elsewhere, 'CARD-NEW');
    expect(next.idTagInfo.status).toBe('Accepted');
    await stop(elsewhere, next.transactionId);
  });

  it('stores a refused start as never active, and its later StopTransaction in it, once', async () => {
    const timestamp = nextTime();
    const refused = await start(rogue, 'NOBODY', timestamp);
    expect(refused.idTagInfo.status).toBe('Invalid');
    // A retry (same station, connector, tag, meter, time) gets the same id and answer.
    expect(await start(rogue, 'NOBODY', timestamp)).toEqual(refused);
    const stats = await app.request('GET', '/api/stats', { token: app.admin });
    expect(stats.body.transactions.active).toBe(0);
    const path = `/api/transactions/${refused.transactionId}`;
    expect((await app.request('GET', path, { token: app.admin })).body).toMatchObject({
      status: 'completed',
      authorizationStatus: 'Invalid',
      meterStart: 100,
      meterStop: null,
      stoppedAt: null,
    });
    await stop(rogue, refused.transactionId, 130);
    const stopped = (await app.request('GET', path, { token: app.admin })).body;
    expect(stopped).toMatchObject({
      status: 'completed',
      authorizationStatus: 'Invalid',
      meterStop: 130,
      stopReason: 'DeAuthorized',
      energyDelivered: 30,
    });
    await stop(rogue, refused.transactionId, 999);
    expect((await app.request('GET', path, { token: app.admin })).body.meterStop).toBe(130);
    const list = await app.request('GET', '/api/transactions?idTag=NOBODY', { token: app.admin });
    expect(list.body.total).toBe(1);
  });

  it('announces only accepted starts as transaction_started', async () => {
    const before = app.publishedEvents.length;
    const refused = await start(rogue, 'NOBODY-2');
    await stop(rogue, refused.transactionId);
    await tag('POST', 'CARD-EV', {});
    const accepted = await start(home, 'CARD-EV');
    await stop(home, accepted.transactionId);
    const announced = app.publishedEvents
      .slice(before)
      .filter((event) => event.type === 'TransactionStarted' || event.type === 'TransactionStopped')
      .map((event) => [event.type, 'transactionId' in event ? event.transactionId : null]);
    expect(announced).toEqual([
      ['TransactionStarted', accepted.transactionId],
      ['TransactionStopped', accepted.transactionId],
    ]);
  });
});
