import { beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/databases.js';
import { useTestApp } from '../support/use-test-app.js';

/**
 * A user limited to some stations moves a station only between its own sites: a station listed
 * for it by id is not pushed into another operator's site (whose users would then see it) nor
 * pulled out of one, and the ids of sites beyond it cannot be probed through `siteId`.
 */
describe.each(DIALECTS)('where a user limited to some stations may place a station, on %s', (dialect) => {
  const app = useTestApp(dialect);
  let mover: string;
  let ownSite: number;
  let foreignSite: number;

  beforeAll(async () => {
    const site = async (name: string) =>
      (await app.request('POST', '/api/sites', { token: app.admin, body: { name } })).body.id as number;
    ownSite = await site('Own depot');
    foreignSite = await site('Someone else');
    const station = (chargePointId: string, siteId: number | null) =>
      app.request('POST', '/api/stations', {
        token: app.admin,
        body: { chargePointId, name: chargePointId, ocppPassword: null, siteId },
      });
    expect((await station('PL-LISTED', null)).status).toBe(201);
    expect((await station('PL-FOREIGN', foreignSite)).status).toBe(201);
    const role = await app.request('POST', '/api/roles', {
      token: app.admin,
      body: { name: 'placer', permissions: ['stations.view', 'stations.edit', 'stations.create'] },
    });
    expect(role.status).toBe(201);
    const user = await app.request('POST', '/api/users', {
      token: app.admin,
      body: {
        username: 'placer',
        password: 'placer-pass-123',
        roles: ['placer'],
        allowedStations: ['PL-LISTED', 'PL-FOREIGN', 'PL-NEW'],
        allowedSites: [ownSite],
      },
    });
    expect(user.status).toBe(201);
    mover = (await app.login('placer', 'placer-pass-123')).token;
  });

  const place = (chargePointId: string, siteId: number | null) =>
    app.request('PATCH', `/api/stations/${chargePointId}`, { token: mover, body: { siteId } });
  const siteOf = async (chargePointId: string) =>
    (await app.request('GET', `/api/stations/${chargePointId}`, { token: app.admin })).body.siteId;

  it('does not push a station listed for it into a site of someone else', async () => {
    const pushed = await place('PL-LISTED', foreignSite);
    expect(pushed.status).toBe(403);
    expect(pushed.body.error.code).toBe('STATION_FORBIDDEN');
    expect(await siteOf('PL-LISTED')).toBeNull();
    const created = await app.request('POST', '/api/stations', {
      token: mover,
      body: { chargePointId: 'PL-NEW', name: 'new', ocppPassword: null, siteId: foreignSite },
    });
    expect(created.status).toBe(403);
  });

  it('does not pull a station out of a site of someone else', async () => {
    for (const target of [null, ownSite]) {
      const pulled = await place('PL-FOREIGN', target);
      expect(pulled.status).toBe(403);
    }
    expect(await siteOf('PL-FOREIGN')).toBe(foreignSite);
    // Leaving its site as it is (a form sent whole) is no move.
    const unchanged = await app.request('PATCH', '/api/stations/PL-FOREIGN', {
      token: mover,
      body: { name: 'renamed', siteId: foreignSite },
    });
    expect(unchanged.status).toBe(200);
  });

  it('answers the same for a site beyond it whether it exists or not', async () => {
    const existing = await place('PL-LISTED', foreignSite);
    const absent = await place('PL-LISTED', 999_999);
    expect(absent.status).toBe(existing.status);
    expect(absent.body.error.code).toBe(existing.body.error.code);
  });

  it('still moves its stations between its own site and none', async () => {
    expect((await place('PL-LISTED', ownSite)).status).toBe(200);
    expect(await siteOf('PL-LISTED')).toBe(ownSite);
    expect((await place('PL-LISTED', null)).status).toBe(200);
    expect(await siteOf('PL-LISTED')).toBeNull();
    // An unscoped user places stations anywhere.
    const byAdmin = await app.request('PATCH', '/api/stations/PL-LISTED', {
      token: app.admin,
      body: { siteId: foreignSite },
    });
    expect(byAdmin.status).toBe(200);
  });
});
