import { describe, expect, it } from 'vitest';
import { createStation } from '../support/builders.js';
import { DIALECTS } from '../support/databases.js';
import { useTestApp } from '../support/use-test-app.js';

describe.each(DIALECTS)('site limits and station maximum power on %s', (dialect) => {
  const app = useTestApp(dialect);

  const newSite = async (body: Record<string, unknown> = {}) => {
    const response = await app.request('POST', '/api/sites', {
      token: app.admin,
      body: { name: 'Mall', ...body },
    });
    expect(response.status, response.text).toBe(201);
    return response.body as { id: number };
  };
  const patch = (id: number, body: unknown) =>
    app.request('PATCH', `/api/sites/${id}`, { token: app.admin, body });
  const read = async (id: number) =>
    (await app.request('GET', `/api/sites/${id}`, { token: app.admin })).body;

  it('has no limit by default, in Asia/Jakarta, 3 phases of 230 V and a 6 A minimum', async () => {
    const site = await newSite();
    expect(site).toMatchObject({
      timeZone: 'Asia/Jakarta',
      maxPowerKw: null,
      maxCurrentA: null,
      phases: 3,
      voltage: 230,
      minCurrentA: 6,
      limitSchedule: null,
    });
  });

  it('sets a limit with a schedule running over midnight, and removes it with null', async () => {
    const { id } = await newSite({ timeZone: 'Asia/Makassar' });
    const limits = {
      maxPowerKw: 100,
      maxCurrentA: 160,
      phases: 1,
      voltage: 220,
      minCurrentA: 8,
      limitSchedule: [
        { from: '17:00', to: '22:00', maxPowerKw: 50 },
        { from: '22:00', to: '06:00', maxPowerKw: 80.5 },
      ],
    };
    const response = await patch(id, limits);
    expect(response.status, response.text).toBe(200);
    expect(response.body).toMatchObject({ ...limits, timeZone: 'Asia/Makassar' });
    expect(await read(id)).toMatchObject(limits);
    const removed = await patch(id, { maxPowerKw: null, maxCurrentA: null, limitSchedule: null });
    expect(removed.body).toMatchObject({
      maxPowerKw: null,
      maxCurrentA: null,
      limitSchedule: null,
      phases: 1,
    });
  });

  it.each([
    ['a negative power', { maxPowerKw: -1 }],
    ['a negative current', { maxCurrentA: -5 }],
    ['2 phases', { phases: 2 }],
    ['a voltage of 0', { voltage: 0 }],
    ['a negative minimum', { minCurrentA: -6 }],
    ['a time that is not HH:MM', { limitSchedule: [{ from: '17.00', to: '22:00', maxPowerKw: 50 }] }],
    ['24:00', { limitSchedule: [{ from: '22:00', to: '24:00', maxPowerKw: 50 }] }],
    ['a negative window limit', { limitSchedule: [{ from: '17:00', to: '22:00', maxPowerKw: -50 }] }],
    ['a window without its limit', { limitSchedule: [{ from: '17:00', to: '22:00' }] }],
    [
      'overlapping windows',
      {
        limitSchedule: [
          { from: '17:00', to: '22:00', maxPowerKw: 50 },
          { from: '21:30', to: '23:00', maxPowerKw: 40 },
        ],
      },
    ],
    [
      'a window overlapping one over midnight',
      {
        limitSchedule: [
          { from: '22:00', to: '06:00', maxPowerKw: 50 },
          { from: '05:00', to: '07:00', maxPowerKw: 40 },
        ],
      },
    ],
    ['an unknown time zone', { timeZone: 'Asia/Atlantis' }],
    ['a text power', { maxPowerKw: '100' }],
  ])('refuses %s with 400 and changes nothing', async (_case, body) => {
    const { id } = await newSite({ maxPowerKw: 60 });
    const before = await read(id);
    const response = await patch(id, { name: 'Changed', ...body });
    expect(response.status, response.text).toBe(400);
    expect(response.body.error.code).toBe('VALIDATION_ERROR');
    expect(await read(id)).toEqual(before);
  });

  it('keeps a station maximum power, clears it with null and refuses a bad one', async () => {
    await createStation(app, app.admin, { chargePointId: 'MAXP-1', ocppPassword: null, maxPowerKw: 7.4 });
    const station = () => app.request('GET', '/api/stations/MAXP-1', { token: app.admin });
    expect((await station()).body.maxPowerKw).toBe(7.4);
    for (const maxPowerKw of [0, -3, '22']) {
      const bad = await app.request('PATCH', '/api/stations/MAXP-1', {
        token: app.admin,
        body: { maxPowerKw },
      });
      expect(bad.status).toBe(400);
    }
    const cleared = await app.request('PATCH', '/api/stations/MAXP-1', {
      token: app.admin,
      body: { maxPowerKw: null },
    });
    expect(cleared.body.maxPowerKw).toBeNull();
  });
});
