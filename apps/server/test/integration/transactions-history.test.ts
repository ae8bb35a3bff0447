import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { userToken, expectPermissionRequired } from '../support/builders.js';
import { useTestApp } from '../support/use-test-app.js';
import { parseCsv } from '../../src/domain/csv.js';
import { DIALECTS } from '../support/databases.js';
import { ManualClock } from '../support/test-app.js';
import { bootChargePoint, type TestChargePoint } from '../support/ocpp-client.js';

const MINUTE = 60_000;
/** The first line of the transactions CSV, as a spreadsheet shows the columns. */
const CSV_HEADER =
  'transactionId,chargePointId,connectorId,idTag,status,meterStart,meterStop,energyDelivered,startedAt,stoppedAt,durationSeconds,stopReason';

describe.each(DIALECTS)('transaction history: sorting, CSV, stuck transactions on %s', (dialect) => {
  const clock = new ManualClock();
  const chargers: TestChargePoint[] = [];

  const app = useTestApp(dialect, {
    clock,
    env: {
      OCPP_UNKNOWN_STATIONS: 'accept',
      OCPP_HEARTBEAT_INTERVAL: '86400',
      TRANSACTION_STUCK_AFTER_MINUTES: '5',
    },
  });
  beforeAll(async () => {
    for (const idTag of ['HIS-TAG', '=cmd|x']) {
      await app.request('POST', '/api/id-tags', { token: app.admin, body: { idTag, allowConcurrent: true } });
    }
  });
  afterAll(async () => {
    for (const charger of chargers) await charger.close();
  });

  const charger = async (id: string) => {
    const { client } = await bootChargePoint(app.url, id);
    chargers.push(client);
    return client;
  };
  const start = async (cp: TestChargePoint, at: string, meterStart = 0, idTag = 'HIS-TAG', connectorId = 1) =>
    (
      (await cp.call('StartTransaction', { connectorId, idTag, meterStart, timestamp: at })) as {
        transactionId: number;
      }
    ).transactionId;
  const stop = (cp: TestChargePoint, transactionId: number, at: string, meterStop: number) =>
    cp.call('StopTransaction', { transactionId, meterStop, timestamp: at, reason: 'EVDisconnected' });
  const ids = (body: { items: { transactionId: number }[] }) => body.items.map((t) => t.transactionId);

  it('sorts by start, stop or energy, running transactions last, and tells each duration', async () => {
    const cp = await charger('SORT-1');
    const a = await start(cp, '2026-01-01T10:00:00.000Z', 1000);
    await stop(cp, a, '2026-01-01T10:30:00.000Z', 6000); // 5000 Wh, 1800 s
    const b = await start(cp, '2026-01-01T08:00:00.000Z', 0);
    await stop(cp, b, '2026-01-01T11:00:00.000Z', 20000); // 20000 Wh, 10800 s
    const c = await start(cp, '2026-01-01T12:00:00.000Z', 500); // running
    const d = await start(cp, '2026-01-01T09:00:00.000Z', 0);
    await stop(cp, d, '2026-01-01T09:00:59.900Z', 100); // 100 Wh, 59 s

    const list = async (query: string) =>
      ids(
        (await app.request('GET', `/api/transactions?chargePointId=SORT-1&${query}`, { token: app.admin }))
          .body,
      );
    expect(await list('')).toEqual([c, a, d, b]);
    expect(await list('sort=startedAt&order=asc')).toEqual([b, d, a, c]);
    expect(await list('sort=stoppedAt&order=desc')).toEqual([b, a, d, c]);
    expect(await list('sort=stoppedAt&order=asc')).toEqual([d, a, b, c]);
    expect(await list('sort=energyDelivered')).toEqual([b, a, d, c]);
    expect(await list('sort=energyDelivered&order=asc&limit=2')).toEqual([d, a]);

    const detail = (await app.request('GET', `/api/transactions/${a}`, { token: app.admin })).body;
    expect(detail).toMatchObject({
      energyDelivered: 5000,
      durationSeconds: 1800,
      closedBy: null,
      closedAt: null,
    });
    const listed = (await app.request('GET', '/api/transactions?chargePointId=SORT-1', { token: app.admin }))
      .body;
    expect(listed.items.map((t: { durationSeconds: number | null }) => t.durationSeconds)).toEqual([
      null,
      1800,
      59,
      10800,
    ]);
  });

  it('refuses unknown sorts and flags with 400 naming the field', async () => {
    for (const [query, field] of [
      ['sort=idTag', 'sort'],
      ['order=up', 'order'],
      ['stuck=maybe', 'stuck'],
      ['from=yesterday', 'from'],
    ]) {
      const response = await app.request('GET', `/api/transactions?${query}`, { token: app.admin });
      expect(response.status, query).toBe(400);
      expect(response.body.error.details.fields.join()).toContain(field);
      const csv = await app.request('GET', `/api/transactions.csv?${query}`, { token: app.admin });
      if (field !== 'sort' && field !== 'order') expect(csv.status, `csv ${query}`).toBe(400);
    }
  });

  it('exports the filtered transactions as CSV, quoting and defusing text', async () => {
    const cp = await charger('CSV-1');
    const t1 = await start(cp, '2026-01-02T10:00:00.000Z', 10, '=cmd|x');
    await stop(cp, t1, '2026-01-02T10:10:00.000Z', 1510);
    const t2 = await start(cp, '2026-01-02T11:00:00.000Z', 0, 'HIS-TAG', 2);
    const response = await fetch(`${app.url}/api/transactions.csv?chargePointId=CSV-1`, {
      headers: { authorization: `Bearer ${app.admin}` },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="transactions.csv"');
    const records = parseCsv(await response.text()).map((record) => record.fields);
    expect(records).toEqual([
      CSV_HEADER.split(','),
      [
        String(t1),
        'CSV-1',
        '1',
        "'=cmd|x",
        'completed',
        '10',
        '1510',
        '1500',
        '2026-01-02T10:00:00.000Z',
        '2026-01-02T10:10:00.000Z',
        '600',
        'EVDisconnected',
      ],
      [String(t2), 'CSV-1', '2', 'HIS-TAG', 'active', '0', '', '', '2026-01-02T11:00:00.000Z', '', '', ''],
    ]);
    const active = await app.request('GET', '/api/transactions.csv?chargePointId=CSV-1&status=active', {
      token: app.admin,
    });
    expect(parseCsv(active.text)).toHaveLength(2);
    const none = await app.request('GET', '/api/transactions.csv?chargePointId=NOBODY', { token: app.admin });
    expect(none.status).toBe(200);
    expect(parseCsv(none.text)).toHaveLength(1);
  });

  it('exports and lists only what the caller may see; 401 and 403 otherwise', async () => {
    await charger('SCOPE-OUT');
    const out = await start(chargers.at(-1) as TestChargePoint, '2026-01-03T10:00:00.000Z');
    const scoped = await userToken(app, app.admin, {
      username: 'his-op',
      password: 'his-op-pass-1',
      roles: ['operator'],
      allowedStations: ['CSV-1'],
    });
    const csv = await app.request('GET', '/api/transactions.csv', { token: scoped });
    expect(
      parseCsv(csv.text)
        .slice(1)
        .map((record) => record.fields[1]),
    ).toEqual(['CSV-1', 'CSV-1']);
    expect(
      ids((await app.request('GET', '/api/transactions?limit=1000', { token: scoped })).body),
    ).not.toContain(out);
    expect((await app.request('GET', `/api/transactions/${out}`, { token: scoped })).status).toBe(404);
    await expectPermissionRequired(app, app.admin, '/api/transactions.csv', 'his-none');
  });

  it('lists as stuck the active transactions silent for the configured time', async () => {
    const cp = await charger('STUCK-1');
    const quiet = await start(cp, clock.now().toISOString(), 100, 'HIS-TAG', 1);
    const metered = await start(cp, clock.now().toISOString(), 100, 'HIS-TAG', 2);
    const stuck = async () =>
      ids(
        (await app.request('GET', '/api/transactions?stuck=true&chargePointId=STUCK-1', { token: app.admin }))
          .body,
      );
    expect(await stuck()).toEqual([]);
    clock.advance(4 * MINUTE);
    await cp.call('MeterValues', {
      connectorId: 2,
      transactionId: metered,
      meterValue: [{ timestamp: clock.now().toISOString(), sampledValue: [{ value: '2500' }] }],
    });
    clock.advance(2 * MINUTE);
    expect(await stuck()).toEqual([quiet]);
    expect(
      ids(
        (
          await app.request('GET', '/api/transactions?stuck=false&chargePointId=STUCK-1', {
            token: app.admin,
          })
        ).body,
      ),
    ).toEqual(expect.arrayContaining([quiet, metered]));
    clock.advance(4 * MINUTE);
    expect((await stuck()).sort()).toEqual([quiet, metered].sort());
    // A heartbeat is a sign of life of every transaction at the station.
    await cp.call('Heartbeat', {});
    expect(await stuck()).toEqual([]);
  });

  it('closes a stuck transaction for an operator, with the last energy reading and the reason', async () => {
    const cp = await charger('CLOSE-1');
    const id = await start(cp, clock.now().toISOString(), 1000);
    await cp.call('MeterValues', {
      connectorId: 1,
      transactionId: id,
      meterValue: [
        {
          timestamp: clock.now().toISOString(),
          sampledValue: [
            { value: '4.5', unit: 'kWh' },
            { value: '3.0', measurand: 'Power.Active.Import', unit: 'kW' },
          ],
        },
      ],
    });
    const close = (token: string, body: unknown, transactionId = id) =>
      app.request('POST', `/api/transactions/${transactionId}/close`, { token, body });

    const alive = await close(app.admin, { reason: 'charger silent' });
    expect(alive.status).toBe(409);
    expect(alive.body.error).toMatchObject({ code: 'CONFLICT', details: { connected: true } });

    clock.advance(6 * MINUTE);
    const before = app.publishedEvents.length;
    const closed = await close(app.admin, { reason: '  Charger lost power, closed by operator  ' });
    expect(closed.status).toBe(200);
    const me = (await app.request('GET', '/api/auth/me', { token: app.admin })).body;
    expect(closed.body).toMatchObject({
      transactionId: id,
      status: 'completed',
      meterStop: 4500,
      energyDelivered: 3500,
      stopReason: 'Charger lost power, closed by operator',
      stoppedAt: clock.now().toISOString(),
      closedBy: me.id,
      closedAt: clock.now().toISOString(),
      durationSeconds: 360,
    });
    expect(app.publishedEvents.slice(before)).toContainEqual({
      type: 'TransactionStopped',
      chargePointId: 'CLOSE-1',
      transactionId: id,
      connectorId: 1,
      meterStop: 4500,
      reason: 'Other',
      timestamp: clock.now().toISOString(),
    });
    expect((await close(app.admin, { reason: 'again' })).status).toBe(409);
    // The station may still send its own stop later: it changes nothing.
    await stop(cp, id, clock.now().toISOString(), 9999);
    expect((await app.request('GET', `/api/transactions/${id}`, { token: app.admin })).body.meterStop).toBe(
      4500,
    );
  });

  it('closes at once when the station is offline, with meterStart without readings', async () => {
    const cp = await charger('CLOSE-2');
    const id = await start(cp, clock.now().toISOString(), 777);
    await cp.close();
    let closed = await app.request('POST', `/api/transactions/${id}/close`, {
      token: app.admin,
      body: { reason: 'offline' },
    });
    for (let i = 0; closed.status === 409 && i < 50; i++) {
      // The socket's close reaches the server a moment later.
      await new Promise((resolve) => setTimeout(resolve, 20));
      closed = await app.request('POST', `/api/transactions/${id}/close`, {
        token: app.admin,
        body: { reason: 'offline' },
      });
    }
    expect(closed.status).toBe(200);
    expect(closed.body).toMatchObject({ meterStop: 777, energyDelivered: 0, stopReason: 'offline' });
  });

  it('checks the close request: 400, 401, 403, 404', async () => {
    const cp = await charger('CLOSE-3');
    const id = await start(cp, clock.now().toISOString());
    for (const body of [
      {},
      { reason: '' },
      { reason: '   ' },
      { reason: 'x'.repeat(256) },
      { reason: 'ok', extra: 1 },
    ]) {
      const response = await app.request('POST', `/api/transactions/${id}/close`, { token: app.admin, body });
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(response.body.error.details.fields.join()).toMatch(/reason|extra/);
    }
    expect(
      (await app.request('POST', `/api/transactions/${id}/close`, { body: { reason: 'x' } })).status,
    ).toBe(401);
    const operator = (await app.login('his-op', 'his-op-pass-1')).token;
    expect(
      (await app.request('POST', `/api/transactions/${id}/close`, { token: operator, body: { reason: 'x' } }))
        .status,
    ).toBe(403);
    await app.request('POST', '/api/roles', {
      token: app.admin,
      body: { name: 'tx-manager', permissions: ['transactions.view', 'transactions.manage'] },
    });
    const scopedManager = await userToken(app, app.admin, {
      username: 'his-mgr',
      roles: ['tx-manager'],
      allowedStations: ['CSV-1'],
    });
    clock.advance(6 * MINUTE);
    const outside = await app.request('POST', `/api/transactions/${id}/close`, {
      token: scopedManager,
      body: { reason: 'x' },
    });
    expect(outside.status).toBe(404);
    expect(
      (
        await app.request('POST', '/api/transactions/999999/close', {
          token: app.admin,
          body: { reason: 'x' },
        })
      ).status,
    ).toBe(404);
    expect((await app.request('GET', `/api/transactions/${id}`, { token: app.admin })).body.status).toBe(
      'active',
    );
  });
});
