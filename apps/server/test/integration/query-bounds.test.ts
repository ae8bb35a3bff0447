import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApp } from '../support/use-test-app.js';
import { DIALECTS } from '../support/databases.js';
import { bootChargePoint } from '../support/ocpp-client.js';
import { type TestResponse } from '../support/test-app.js';

/** Every list route: each takes the shared paging parameters. */
const LISTS = [
  '/api/stations',
  '/api/transactions',
  '/api/id-tags',
  '/api/reservations',
  '/api/users',
  '/api/roles',
  '/api/permissions',
  '/api/sites',
  '/api/stations/BOUNDS-1/messages',
  '/api/stations/BOUNDS-1/commands',
  '/api/stations/BOUNDS-1/security-events',
];

/** Paging values that no list can honour: each must be a 400 before any query runs. */
const BAD_PAGING = [
  'offset=99999999999999999999',
  'offset=2147483648',
  'offset=-1',
  'offset=1.5',
  'offset=abc',
  'offset=Infinity',
  'page=99999999999999999999',
  'page=0',
  'limit=1001',
  'limit=1e9',
  'limit=0',
];

/** Dates that name no instant: a leap second, year 99999, February 30th, no date at all. */
const NOT_INSTANTS = ['2026-12-31T23:59:60Z', '99999-01-01T00:00:00Z', '2026-02-30T00:00:00Z', 'yesterday'];

/**
 * Ids in paths that no row can have: users, roles and sites live in integer columns
 * (≤ 2^31−1); transactions and reservations carry OCPP integers in 64-bit columns, read as
 * JavaScript numbers, so beyond 2^53−1 the number parsed is not the one asked for.
 */
const BAD_IDS = [
  ['GET', '/api/transactions/99999999999999999999'],
  ['GET', '/api/transactions/9007199254740992'],
  ['POST', '/api/transactions/99999999999999999999/close'],
  ['GET', '/api/reservations/9007199254740992'],
  ['DELETE', '/api/reservations/1e400'],
  ['GET', '/api/users/2147483648'],
  ['PATCH', '/api/users/99999999999'],
  ['DELETE', '/api/users/1e30'],
  ['PATCH', '/api/roles/99999999999'],
  ['DELETE', '/api/roles/-1'],
  ['GET', '/api/sites/99999999999'],
  ['GET', '/api/sites/0x7fffffffffff'],
  ['GET', '/api/stations?siteId=99999999999'],
] as const;

function expectBadRequest(response: TestResponse, what: string) {
  expect(response.status, what).toBe(400);
  expect(response.body, what).toEqual({
    error: expect.objectContaining({ code: 'VALIDATION_ERROR', message: expect.any(String) }),
  });
}

describe.each(DIALECTS)('bounds of numeric and date parameters on %s', (dialect) => {
  const app = useTestApp(dialect, { env: { OCPP_UNKNOWN_STATIONS: 'accept' } });

  beforeAll(async () => {
    const { client } = await bootChargePoint(app.url, 'BOUNDS-1');
    await client.close();
  });

  it('answers 400 to paging values out of range on every list, before any query', async () => {
    for (const path of LISTS) {
      for (const query of BAD_PAGING) {
        expectBadRequest(
          await app.request('GET', `${path}?${query}`, { token: app.admin }),
          `${path}?${query}`,
        );
      }
    }
  });

  it('still serves the largest paging values it accepts, as empty pages', async () => {
    for (const path of LISTS) {
      for (const query of ['offset=2147483647', 'page=2147483647&limit=1000']) {
        const response = await app.request('GET', `${path}?${query}`, { token: app.admin });
        expect(response.status, `${path}?${query}`).toBe(200);
        expect(response.body.items, `${path}?${query}`).toEqual([]);
      }
    }
  });

  it('answers 400 to row ids in paths and queries that no integer column holds', async () => {
    for (const [method, path] of BAD_IDS) {
      const body = method === 'POST' ? { reason: 'x' } : method === 'PATCH' ? {} : undefined;
      expectBadRequest(await app.request(method, path, { token: app.admin, body }), `${method} ${path}`);
    }
    // The largest id that fits is looked up as any other: not there.
    expect((await app.request('GET', '/api/transactions/2147483647', { token: app.admin })).status).toBe(404);
    expect((await app.request('GET', '/api/users/2147483647', { token: app.admin })).status).toBe(404);
  });

  it('answers 400 to ids in bodies that no integer column holds', async () => {
    const tag = await app.request('POST', '/api/id-tags', {
      token: app.admin,
      body: { idTag: 'BOUNDS-TAG', userId: 99999999999 },
    });
    expectBadRequest(tag, 'id tag userId');
    const user = await app.request('POST', '/api/users', {
      token: app.admin,
      body: { username: 'bounds', password: 'long-enough-pw', roles: ['viewer'], allowedSites: [3e9] },
    });
    expectBadRequest(user, 'allowedSites');
    const station = await app.request('PATCH', '/api/stations/BOUNDS-1', {
      token: app.admin,
      body: { siteId: 2147483648 },
    });
    expectBadRequest(station, 'station siteId');
  });

  it('answers 400 to dates that are no instant: a leap second, year 99999, no date at all', async () => {
    for (const date of NOT_INSTANTS) {
      const query = `from=${encodeURIComponent(date)}`;
      expectBadRequest(await app.request('GET', `/api/transactions?${query}`, { token: app.admin }), query);
      expectBadRequest(
        await app.request('GET', `/api/transactions.csv?to=${encodeURIComponent(date)}`, {
          token: app.admin,
        }),
        date,
      );
      const tag = await app.request('POST', '/api/id-tags', {
        token: app.admin,
        body: { idTag: 'BOUNDS-DATE', expiryDate: date },
      });
      expectBadRequest(tag, `expiryDate ${date}`);
    }
    expect((await app.request('GET', '/api/id-tags/BOUNDS-DATE', { token: app.admin })).status).toBe(404);
    // The ends of the range a date-time may take are still dates.
    const early = await app.request(
      'GET',
      '/api/transactions?from=0000-01-01T00:00:00Z&to=9999-12-31T23:59:59Z',
      { token: app.admin },
    );
    expect(early.status).toBe(200);
  });

  it('answers 400 to text holding U+0000, which PostgreSQL cannot store, in bodies and queries', async () => {
    const station = await app.request('POST', '/api/stations', {
      token: app.admin,
      body: { chargePointId: 'BOUNDS-NUL', name: 'a\u0000b' },
    });
    expectBadRequest(station, 'station name');
    expectBadRequest(await app.request('GET', '/api/stations?search=a%00b', { token: app.admin }), 'search');
    const site = await app.request('POST', '/api/sites', {
      token: app.admin,
      body: { name: 'x', address: '\u0000' },
    });
    expectBadRequest(site, 'site address');
    expect((await app.request('GET', '/api/stations/BOUNDS-NUL', { token: app.admin })).status).toBe(404);
  });

  it('answers a path Fastify cannot decode with the usual error body', async () => {
    for (const path of ['/api/users/%', '/api/stations/%E0%A4%A', '/api/id-tags/%C0%AF%']) {
      const response = await app.request('GET', path, { token: app.admin });
      expect(response.status, path).toBe(400);
      expect(response.body, path).toEqual({
        error: expect.objectContaining({ code: 'BAD_REQUEST', message: expect.any(String) }),
      });
    }
  });
});
