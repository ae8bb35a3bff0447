import { describe, expect, it } from 'vitest';
import { createStation, userToken as createUserToken, startTransaction } from '../support/builders.js';
import { DIALECTS } from '../support/databases.js';
import { useTestApp } from '../support/use-test-app.js';
import { bootChargePoint } from '../support/ocpp-client.js';
import { connectSocket, join, recorder } from '../support/realtime-client.js';

describe.each(DIALECTS)('sites, and users scoped by site, on %s', (dialect) => {
  const app = useTestApp(dialect, { env: { OCPP_UNKNOWN_STATIONS: 'accept' } });

  const site = async (name: string, extra: Record<string, unknown> = {}) => {
    const response = await app.request('POST', '/api/sites', { token: app.admin, body: { name, ...extra } });
    expect(response.status).toBe(201);
    return response.body.id as number;
  };
  const station = (chargePointId: string, siteId: number | null = null) =>
    createStation(app, app.admin, { chargePointId, siteId, ocppPassword: null });
  const userToken = (username: string, roles: string[], scope: Record<string, unknown>) =>
    createUserToken(app, app.admin, { username, roles, ...scope });
  const ids = (body: { items: { chargePointId: string }[] }) => body.items.map((s) => s.chargePointId);

  it('creates, reads, lists, changes and deletes a site', async () => {
    const created = await app.request('POST', '/api/sites', {
      token: app.admin,
      body: { name: 'Grand Indonesia', address: 'Jl. M.H. Thamrin 1', latitude: -6.195, longitude: 106.82 },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      id: expect.any(Number),
      name: 'Grand Indonesia',
      address: 'Jl. M.H. Thamrin 1',
      latitude: -6.195,
      longitude: 106.82,
    });
    const id = created.body.id as number;
    expect((await app.request('GET', `/api/sites/${id}`, { token: app.admin })).body.name).toBe(
      'Grand Indonesia',
    );
    const listed = await app.request('GET', '/api/sites?search=grand', { token: app.admin });
    expect(listed.body).toMatchObject({ total: 1, items: [expect.objectContaining({ id })] });
    const patched = await app.request('PATCH', `/api/sites/${id}`, {
      token: app.admin,
      body: { name: 'GI', latitude: null, longitude: null },
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({
      name: 'GI',
      latitude: null,
      longitude: null,
      address: 'Jl. M.H. Thamrin 1',
    });
    expect((await app.request('DELETE', `/api/sites/${id}`, { token: app.admin })).status).toBe(204);
    expect((await app.request('GET', `/api/sites/${id}`, { token: app.admin })).status).toBe(404);
    expect(
      (await app.request('PATCH', `/api/sites/${id}`, { token: app.admin, body: { name: 'x' } })).status,
    ).toBe(404);
    expect((await app.request('DELETE', `/api/sites/${id}`, { token: app.admin })).status).toBe(404);
  });

  it('refuses bad site input with 400 naming the field', async () => {
    for (const [body, field] of [
      [{}, 'name'],
      [{ name: '' }, 'name'],
      [{ name: 'x', latitude: 90.5, longitude: 0 }, 'latitude'],
      [{ name: 'x', latitude: 0, longitude: -180.1 }, 'longitude'],
      [{ name: 'x', latitude: '1', longitude: 0 }, 'latitude'],
      [{ name: 'x', latitude: 10 }, 'longitude'],
      [{ name: 'x', longitude: 10 }, 'latitude'],
      [{ name: 'x', owner: 'me' }, 'owner'],
    ] as const) {
      const response = await app.request('POST', '/api/sites', { token: app.admin, body });
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(response.body.error.details.fields.join()).toContain(field);
    }
    const id = await site('Edge', { latitude: -90, longitude: 180 });
    const half = await app.request('PATCH', `/api/sites/${id}`, {
      token: app.admin,
      body: { latitude: null },
    });
    expect(half.status).toBe(400);
    expect(half.body.error.details.fields).toEqual(['latitude']);
    expect((await app.request('GET', '/api/sites/0', { token: app.admin })).status).toBe(400);
  });

  it('answers 401 without a token and 403 without the permission', async () => {
    const id = await site('Perms');
    expect((await app.request('GET', '/api/sites')).status).toBe(401);
    expect((await app.request('GET', `/api/sites/${id}`)).status).toBe(401);
    const viewer = await userToken('site-viewer', ['viewer'], {});
    expect((await app.request('GET', `/api/sites/${id}`, { token: viewer })).status).toBe(200);
    for (const [method, path, body] of [
      ['POST', '/api/sites', { name: 'nope' }],
      ['PATCH', `/api/sites/${id}`, { name: 'nope' }],
      ['DELETE', `/api/sites/${id}`, undefined],
    ] as const) {
      const response = await app.request(method, path, { token: viewer, ...(body && { body }) });
      expect(response.status, `${method} ${path}`).toBe(403);
    }
    expect((await app.request('GET', `/api/sites/${id}`, { token: app.admin })).body.name).toBe('Perms');
  });

  it('places stations at sites, filters by site, and keeps a site with stations (409)', async () => {
    const mall = await site('Mall');
    await station('SITE-A1', mall);
    await station('SITE-A2');
    expect(
      ids((await app.request('GET', `/api/stations?siteId=${mall}`, { token: app.admin })).body),
    ).toEqual(['SITE-A1']);
    const moved = await app.request('PATCH', '/api/stations/SITE-A2', {
      token: app.admin,
      body: { siteId: mall },
    });
    expect(moved.body.siteId).toBe(mall);
    expect((await app.request('GET', `/api/stations?siteId=${mall}`, { token: app.admin })).body.total).toBe(
      2,
    );
    const unknown = await app.request('PATCH', '/api/stations/SITE-A2', {
      token: app.admin,
      body: { siteId: 999999 },
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.details.fields).toEqual(['siteId']);
    const unknownOnCreate = await app.request('POST', '/api/stations', {
      token: app.admin,
      body: { chargePointId: 'SITE-A3', name: 'x', siteId: 999999 },
    });
    expect(unknownOnCreate.status).toBe(400);
    expect((await app.request('GET', '/api/stations/SITE-A3', { token: app.admin })).status).toBe(404);

    const refused = await app.request('DELETE', `/api/sites/${mall}`, { token: app.admin });
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({ code: 'CONFLICT', details: { stations: 2 } });
    for (const id of ['SITE-A1', 'SITE-A2'])
      await app.request('PATCH', `/api/stations/${id}`, { token: app.admin, body: { siteId: null } });
    expect((await app.request('DELETE', `/api/sites/${mall}`, { token: app.admin })).status).toBe(204);
  });

  it('round-trips allowedSites and refuses unknown sites', async () => {
    const one = await site('Round 1');
    const created = await app.request('POST', '/api/users', {
      token: app.admin,
      body: { username: 'by-site', password: 'by-site-pass', roles: ['viewer'], allowedSites: [one] },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ allowedSites: [one], allowedStations: [] });
    const id = created.body.id as number;
    const both = await app.request('PATCH', `/api/users/${id}`, {
      token: app.admin,
      body: { allowedStations: ['CS001'] },
    });
    expect(both.body).toMatchObject({ allowedSites: [one], allowedStations: ['CS001'] });
    // Taking the sites away leaves the listed stations, not every station.
    const sitesGone = await app.request('PATCH', `/api/users/${id}`, {
      token: app.admin,
      body: { allowedSites: null },
    });
    expect(sitesGone.body).toMatchObject({ allowedSites: [], allowedStations: ['CS001'] });
    const all = await app.request('PATCH', `/api/users/${id}`, {
      token: app.admin,
      body: { allowedStations: null, allowedSites: null },
    });
    expect(all.body).toMatchObject({ allowedSites: null, allowedStations: null });
    const unknown = await app.request('PATCH', `/api/users/${id}`, {
      token: app.admin,
      body: { allowedSites: [999999] },
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.details.fields).toEqual(['allowedSites']);
    const badType = await app.request('PATCH', `/api/users/${id}`, {
      token: app.admin,
      body: { allowedSites: ['1'] },
    });
    expect(badType.status).toBe(400);
    expect(badType.body.error.details.fields.join()).toContain('allowedSites');
  });

  it('limits a site-scoped user to the stations of the site, and its listed ones, everywhere', async () => {
    const north = await site('North');
    const south = await site('South');
    await station('NORTH-1', north);
    await station('NORTH-2', north);
    await station('SOUTH-1', south);
    await station('LONE-1');
    const user = await userToken('north-op', ['operator'], {
      allowedSites: [north],
      allowedStations: ['LONE-1'],
    });

    const listed = await app.request('GET', '/api/stations?limit=1000', { token: user });
    expect(ids(listed.body)).toEqual(['LONE-1', 'NORTH-1', 'NORTH-2']);
    expect(listed.body.total).toBe(3);
    expect((await app.request('GET', '/api/stations/NORTH-2', { token: user })).status).toBe(200);
    for (const path of [
      '/api/stations/SOUTH-1',
      '/api/stations/SOUTH-1/messages',
      '/api/stations/SOUTH-1/commands',
      `/api/sites/${south}`,
    ]) {
      expect((await app.request('GET', path, { token: user })).status, path).toBe(404);
    }
    expect((await app.request('GET', '/api/stations/NORTH-1/messages', { token: user })).status).toBe(200);
    const sites = await app.request('GET', '/api/sites?limit=1000', { token: user });
    expect(sites.body.items.map((s: { id: number }) => s.id)).toEqual([north]);
    const command = await app.request('POST', '/api/stations/SOUTH-1/commands/ClearCache', {
      token: user,
      body: {},
    });
    expect(command.status).toBe(404);

    // The scope follows the site: a station moved there is visible at the next request.
    await app.request('PATCH', '/api/stations/SOUTH-1', { token: app.admin, body: { siteId: north } });
    expect((await app.request('GET', '/api/stations/SOUTH-1', { token: user })).status).toBe(200);
    await app.request('PATCH', '/api/stations/SOUTH-1', { token: app.admin, body: { siteId: south } });
    expect((await app.request('GET', '/api/stations/SOUTH-1', { token: user })).status).toBe(404);
  });

  it('limits transactions and live events of a site-scoped user to the site', async () => {
    const east = await site('East');
    const west = await site('West');
    await station('EAST-1', east);
    await station('WEST-1', west);
    await app.request('POST', '/api/id-tags', {
      token: app.admin,
      body: { idTag: 'SITE-TAG', allowConcurrent: true },
    });
    const user = await userToken('east-op', ['operator'], { allowedSites: [east] });
    const socket = await connectSocket(app.url, user);
    try {
      expect(await join(socket, 'transactions')).toEqual({ ok: true });
      expect(await join(socket, `station_WEST-1`)).toEqual({ ok: false, error: 'FORBIDDEN' });
      const events = recorder(socket);
      const started: number[] = [];
      for (const id of ['WEST-1', 'EAST-1']) {
        const { client } = await bootChargePoint(app.url, id);
        const answer = await startTransaction(client, {
          idTag: 'SITE-TAG',
          timestamp: new Date().toISOString(),
        });
        started.push(answer.transactionId);
        await client.close();
      }
      const [west1, east1] = started as [number, number];
      const seen = await events.waitFor('transaction_started');
      expect(seen.map((e) => e.chargePointId)).toEqual(['EAST-1']);
      const listed = await app.request('GET', '/api/transactions', { token: user });
      expect(listed.body.items.map((t: { transactionId: number }) => t.transactionId)).toEqual([east1]);
      expect((await app.request('GET', `/api/transactions/${west1}`, { token: user })).status).toBe(404);
      expect((await app.request('GET', `/api/transactions/${east1}`, { token: user })).status).toBe(200);
      const csv = await app.request('GET', '/api/transactions.csv', { token: user });
      expect(
        csv.text
          .trim()
          .split('\r\n')
          .slice(1)
          .map((line) => line.split(',')[0]),
      ).toEqual([String(east1)]);
      const stats = await app.request('GET', '/api/stats', { token: user });
      expect(stats.body.transactions.active).toBe(1);
      expect(events.of('transaction_started')).toHaveLength(1);
    } finally {
      socket.close();
    }
  });

  it('keeps site grants and site writes within the scope of a scoped manager', async () => {
    const mine = await site('Mine');
    const theirs = await site('Theirs');
    await station('MINE-1', mine);
    await station('THEIRS-1', theirs);
    const role = await app.request('POST', '/api/roles', {
      token: app.admin,
      body: {
        name: 'site-manager',
        permissions: ['users.manage', 'users.view', 'stations.view', 'stations.edit', 'stations.create'],
      },
    });
    expect(role.status).toBe(201);
    const manager = await userToken('site-mgr', ['site-manager'], { allowedSites: [mine] });
    const grant = (username: string, scope: Record<string, unknown>) =>
      app.request('POST', '/api/users', {
        token: manager,
        body: { username, password: `${username}-password-1`, roles: [], ...scope },
      });
    expect((await grant('sub-ok', { allowedSites: [mine] })).status).toBe(201);
    expect((await grant('sub-station', { allowedStations: ['MINE-1'] })).status).toBe(201);
    expect((await grant('sub-other-site', { allowedSites: [theirs] })).status).toBe(403);
    expect((await grant('sub-other-station', { allowedStations: ['THEIRS-1'] })).status).toBe(403);
    expect((await grant('sub-all', {})).status).toBe(403);

    expect((await app.request('POST', '/api/sites', { token: manager, body: { name: 'New' } })).status).toBe(
      403,
    );
    expect((await app.request('DELETE', `/api/sites/${mine}`, { token: manager })).status).toBe(403);
    expect((await app.request('DELETE', `/api/sites/${theirs}`, { token: manager })).status).toBe(404);
    const renamed = await app.request('PATCH', `/api/sites/${mine}`, {
      token: manager,
      body: { name: 'Mine!' },
    });
    expect(renamed.status).toBe(200);
    // Stations go only where they stay within the manager's scope.
    const created = await app.request('POST', '/api/stations', {
      token: manager,
      body: { chargePointId: 'MINE-2', name: 'x', siteId: mine },
    });
    expect(created.status).toBe(201);
    const outside = await app.request('POST', '/api/stations', {
      token: manager,
      body: { chargePointId: 'MINE-3', name: 'x', siteId: theirs },
    });
    expect(outside.status).toBe(403);
    expect(outside.body.error.code).toBe('STATION_FORBIDDEN');
    const away = await app.request('PATCH', '/api/stations/MINE-2', {
      token: manager,
      body: { siteId: null },
    });
    expect(away.status).toBe(403);
    expect((await app.request('GET', '/api/stations/MINE-2', { token: app.admin })).body.siteId).toBe(mine);

    // A site seen only through one of its stations can be read, not changed.
    const byStation = await userToken('station-mgr', ['site-manager'], { allowedStations: ['THEIRS-1'] });
    expect((await app.request('GET', `/api/sites/${theirs}`, { token: byStation })).status).toBe(200);
    const change = await app.request('PATCH', `/api/sites/${theirs}`, {
      token: byStation,
      body: { name: 'x' },
    });
    expect(change.status).toBe(403);
  });
});
