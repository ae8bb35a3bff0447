import { describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/databases.js';
import { useTestApp } from '../support/use-test-app.js';
import { bootChargePoint, eventually } from '../support/ocpp-client.js';

/**
 * A deleted station takes what was kept about it along: a new station later given the same id
 * (at another site, seen by other users) shows none of the old one's message log or commands.
 */
describe.each(DIALECTS)('deleting a station, on %s', (dialect) => {
  const app = useTestApp(dialect);

  it('leaves nothing of its message log and command audit to a later station with the same id', async () => {
    const create = (siteId: number | null) =>
      app.request('POST', '/api/stations', {
        token: app.admin,
        body: { chargePointId: 'REUSED-1', name: 'Reused', ocppPassword: null, siteId },
      });
    expect((await create(null)).status).toBe(201);
    const { client } = await bootChargePoint(app.url, 'REUSED-1');
    client.handle(async () => ({ status: 'Accepted' }));
    expect(await client.call('Authorize', { idTag: 'CUSTOMER-CARD-7' })).toHaveProperty('idTagInfo');
    const reset = await app.request('POST', '/api/stations/REUSED-1/commands/Reset', {
      token: app.admin,
      body: { type: 'Soft' },
    });
    expect(reset.status).toBe(200);
    await eventually(
      async () =>
        (await app.request('GET', '/api/stations/REUSED-1/messages', { token: app.admin })).body.total >= 4,
    );
    await client.close({ force: true });

    expect((await app.request('DELETE', '/api/stations/REUSED-1', { token: app.admin })).status).toBe(204);
    // Another operator's site gets a new station with the same id.
    const site = await app.request('POST', '/api/sites', { token: app.admin, body: { name: 'Elsewhere' } });
    expect((await create(site.body.id)).status).toBe(201);
    const created = await app.request('POST', '/api/users', {
      token: app.admin,
      body: {
        username: 'elsewhere',
        password: 'elsewhere-pass-1',
        roles: ['viewer'],
        allowedSites: [site.body.id],
      },
    });
    expect(created.status).toBe(201);
    const viewer = (await app.login('elsewhere', 'elsewhere-pass-1')).token;
    const messages = await app.request('GET', '/api/stations/REUSED-1/messages', { token: viewer });
    expect(messages.status).toBe(200);
    expect(messages.body).toEqual({ items: [], total: 0 });
    expect(messages.text).not.toContain('CUSTOMER-CARD-7');
    const commands = await app.request('GET', '/api/stations/REUSED-1/commands', { token: viewer });
    expect(commands.status).toBe(200);
    expect(commands.body).toEqual({ items: [], total: 0 });
  });
});
