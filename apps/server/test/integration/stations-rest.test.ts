import { describe, expect, it } from 'vitest';
import { userToken, startTransaction } from '../support/builders.js';
import { DIALECTS } from '../support/databases.js';
import { useTestApp } from '../support/use-test-app.js';
import { bootChargePoint, eventually } from '../support/ocpp-client.js';

describe.each(DIALECTS)('stations, id tags and transactions over REST on %s', (dialect) => {
  const app = useTestApp(dialect, { env: { OCPP_UNKNOWN_STATIONS: 'accept' } });

  it('creates, reads, changes and deletes a station', async () => {
    const created = await app.request('POST', '/api/stations', {
      token: app.admin,
      body: { chargePointId: 'REST-1', name: 'Mall P1', location: 'Jakarta' },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      chargePointId: 'REST-1',
      name: 'Mall P1',
      location: 'Jakarta',
      status: 'Unavailable',
      connected: false,
      lastHeartbeat: null,
      vendor: null,
      model: null,
      firmwareVersion: null,
      registration: 'accepted',
      connectors: [],
    });
    expect(
      (
        await app.request('POST', '/api/stations', {
          token: app.admin,
          body: { chargePointId: 'REST-1', name: 'x' },
        })
      ).status,
    ).toBe(409);
    const patched = await app.request('PATCH', '/api/stations/REST-1', {
      token: app.admin,
      body: { name: 'Mall P2', location: null },
    });
    expect(patched.body).toMatchObject({ name: 'Mall P2', location: null });
    const listed = await app.request('GET', '/api/stations?search=mall', { token: app.admin });
    expect(listed.body).toMatchObject({
      total: 1,
      items: [expect.objectContaining({ chargePointId: 'REST-1' })],
    });
    expect((await app.request('DELETE', '/api/stations/REST-1', { token: app.admin })).status).toBe(204);
    expect((await app.request('GET', '/api/stations/REST-1', { token: app.admin })).status).toBe(404);
    expect((await app.request('DELETE', '/api/stations/REST-1', { token: app.admin })).status).toBe(404);
  });

  it('refuses bad station input with 400 naming the field', async () => {
    for (const [body, field] of [
      [{ name: 'x' }, 'chargePointId'],
      [{ chargePointId: 'has space', name: 'x' }, 'chargePointId'],
      [{ chargePointId: 'A'.repeat(49), name: 'x' }, 'chargePointId'],
      [{ chargePointId: 'OK-1', name: '' }, 'name'],
      [{ chargePointId: 'OK-1', name: 'x', ocppPassword: 'short' }, 'ocppPassword'],
      [{ chargePointId: 'OK-1', name: 'x', owner: 'me' }, 'owner'],
    ] as const) {
      const response = await app.request('POST', '/api/stations', { token: app.admin, body });
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(response.body.error.details.fields.join()).toContain(field);
    }
    expect((await app.request('GET', '/api/stations/OK-1', { token: app.admin })).status).toBe(404);
  });

  it('refuses to delete a station while a transaction runs there', async () => {
    await app.request('POST', '/api/id-tags', { token: app.admin, body: { idTag: 'DEL-TAG' } });
    const { client } = await bootChargePoint(app.url, 'BUSY-DEL');
    const { transactionId } = await startTransaction(client, {
      idTag: 'DEL-TAG',
      timestamp: new Date().toISOString(),
    });
    const refused = await app.request('DELETE', '/api/stations/BUSY-DEL', { token: app.admin });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('CONFLICT');
    await client.call('StopTransaction', {
      transactionId,
      meterStop: 10,
      timestamp: new Date().toISOString(),
    });
    const closed = new Promise((resolve) => client.once('close', resolve));
    expect((await app.request('DELETE', '/api/stations/BUSY-DEL', { token: app.admin })).status).toBe(204);
    await closed;
  });

  it('checks station permissions: 401 without a token, 403 without the permission', async () => {
    expect((await app.request('GET', '/api/stations')).status).toBe(401);
    const viewer = await userToken(app, app.admin, { username: 'viewer1', roles: ['viewer'] });
    expect((await app.request('GET', '/api/stations', { token: viewer })).status).toBe(200);
    for (const [method, path, body] of [
      ['POST', '/api/stations', { chargePointId: 'V-1', name: 'x' }],
      ['PATCH', '/api/stations/V-1', { name: 'y' }],
      ['DELETE', '/api/stations/V-1', undefined],
      ['POST', '/api/stations/V-1/approve', undefined],
      ['POST', '/api/id-tags', { idTag: 'V' }],
    ] as const) {
      const response = await app.request(method, path, { token: viewer, ...(body && { body }) });
      expect(response.status, `${method} ${path}`).toBe(403);
    }
  });

  it('manages id tags with parent tags, expiry and validation', async () => {
    const parent = await app.request('POST', '/api/id-tags', {
      token: app.admin,
      body: { idTag: 'FLEET-1' },
    });
    expect(parent.body).toMatchObject({
      idTag: 'FLEET-1',
      status: 'Accepted',
      expiryDate: null,
      parentIdTag: null,
    });
    const child = await app.request('POST', '/api/id-tags', {
      token: app.admin,
      body: { idTag: 'CARD-1', parentIdTag: 'FLEET-1', expiryDate: '2030-01-01T07:00:00+07:00' },
    });
    expect(child.status).toBe(201);
    expect(child.body).toMatchObject({ parentIdTag: 'FLEET-1', expiryDate: '2030-01-01T00:00:00.000Z' });
    expect(
      (await app.request('POST', '/api/id-tags', { token: app.admin, body: { idTag: 'CARD-1' } })).status,
    ).toBe(409);
    for (const body of [
      { idTag: 'A'.repeat(21) },
      { idTag: 'X1', status: 'Maybe' },
      { idTag: 'X1', expiryDate: 'tomorrow' },
      { idTag: 'X1', parentIdTag: 'NOBODY' },
      { idTag: 'X1', parentIdTag: 'X1' },
      { idTag: 'X1', userId: 999 },
    ]) {
      const response = await app.request('POST', '/api/id-tags', { token: app.admin, body });
      expect(response.status, JSON.stringify(body)).toBe(400);
    }
    expect((await app.request('GET', '/api/id-tags/X1', { token: app.admin })).status).toBe(404);
    const blocked = await app.request('PATCH', '/api/id-tags/CARD-1', {
      token: app.admin,
      body: { status: 'Blocked' },
    });
    expect(blocked.body.status).toBe('Blocked');
    const list = await app.request('GET', '/api/id-tags?search=CARD', { token: app.admin });
    expect(list.body).toMatchObject({ total: 1, items: [expect.objectContaining({ idTag: 'CARD-1' })] });
    expect((await app.request('DELETE', '/api/id-tags/CARD-1', { token: app.admin })).status).toBe(204);
    expect((await app.request('GET', '/api/id-tags/CARD-1', { token: app.admin })).status).toBe(404);
  });

  it('lists transactions with filters and keeps a scoped user to their stations', async () => {
    await app.request('POST', '/api/id-tags', {
      token: app.admin,
      body: { idTag: 'TX-TAG', allowConcurrent: true },
    });
    const sessions: Record<string, number> = {};
    for (const [id, startedAt] of [
      ['SCOPE-A', '2026-03-01T10:00:00.000Z'],
      ['SCOPE-B', '2026-03-02T10:00:00.000Z'],
    ] as const) {
      const { client } = await bootChargePoint(app.url, id);
      const answer = await startTransaction(client, {
        idTag: 'TX-TAG',
        meterStart: 100,
        timestamp: startedAt,
      });
      sessions[id] = answer.transactionId;
      if (id === 'SCOPE-A') {
        await client.call('StopTransaction', {
          transactionId: answer.transactionId,
          meterStop: 600,
          timestamp: '2026-03-01T11:00:00.000Z',
        });
      }
      await client.close();
    }
    const between = await app.request(
      'GET',
      '/api/transactions?idTag=TX-TAG&from=2026-03-01T00:00:00Z&to=2026-03-02T00:00:00Z',
      { token: app.admin },
    );
    expect(between.body.items.map((t: { transactionId: number }) => t.transactionId)).toEqual([
      sessions['SCOPE-A'],
    ]);
    expect(between.body.items[0]).toMatchObject({ status: 'completed', energyDelivered: 500 });
    const active = await app.request('GET', '/api/transactions?status=active&idTag=TX-TAG', {
      token: app.admin,
    });
    expect(active.body.items.map((t: { chargePointId: string }) => t.chargePointId)).toEqual(['SCOPE-B']);
    expect((await app.request('GET', '/api/transactions?status=running', { token: app.admin })).status).toBe(
      400,
    );

    const scoped = await userToken(app, app.admin, {
      username: 'scoped-a',
      roles: ['viewer'],
      allowedStations: ['SCOPE-A'],
    });
    const mine = await app.request('GET', '/api/transactions?idTag=TX-TAG', { token: scoped });
    expect(mine.body.items.map((t: { chargePointId: string }) => t.chargePointId)).toEqual(['SCOPE-A']);
    expect(
      (await app.request('GET', `/api/transactions/${sessions['SCOPE-B']}`, { token: scoped })).status,
    ).toBe(404);
    expect(
      (await app.request('GET', `/api/transactions/${sessions['SCOPE-A']}`, { token: scoped })).status,
    ).toBe(200);
    expect((await app.request('GET', '/api/stations/SCOPE-B', { token: scoped })).status).toBe(404);
    expect((await app.request('GET', '/api/stations/SCOPE-B/messages', { token: scoped })).status).toBe(404);
    await eventually(async () => {
      const log = await app.request('GET', '/api/stations/SCOPE-A/messages', { token: scoped });
      return log.status === 200 && log.body.total > 0;
    });
  });
});
