import { describe, expect, it } from 'vitest';
import { userToken } from '../support/builders.js';
import { PERMISSION_NAMES } from '@cimorings/contracts';
import { DIALECTS } from '../support/databases.js';
import { useTestApp } from '../support/use-test-app.js';

describe.each(DIALECTS)('roles and permissions on %s', (dialect) => {
  const app = useTestApp(dialect);

  const roleNamed = async (name: string) =>
    (await app.request('GET', '/api/roles?limit=1000', { token: app.admin })).body.items.find(
      (role: { name: string }) => role.name === name,
    );

  it('lists every permission of the contract, with descriptions', async () => {
    const response = await app.request('GET', '/api/permissions?limit=1000', { token: app.admin });
    expect(response.status).toBe(200);
    expect(response.body.total).toBe(PERMISSION_NAMES.length);
    expect(response.body.items.map((p: { name: string }) => p.name).sort()).toEqual(
      [...PERMISSION_NAMES].sort(),
    );
    for (const item of response.body.items) expect(item.description).not.toBe('');
  });

  it('seeds the built-in roles admin, operator and viewer', async () => {
    const response = await app.request('GET', '/api/roles', { token: app.admin });
    expect(response.status).toBe(200);
    const byName = Object.fromEntries(response.body.items.map((r: { name: string }) => [r.name, r]));
    expect(byName.admin).toMatchObject({ builtIn: true, permissions: ['system.admin'] });
    expect(byName.operator.permissions).toEqual(
      expect.arrayContaining(['stations.view', 'stations.control', 'reservations.manage', 'idtags.manage']),
    );
    expect(byName.operator.permissions).not.toContain('users.manage');
    expect(byName.viewer.permissions.every((p: string) => p.endsWith('.view'))).toBe(true);
  });

  it('creates, edits and deletes a custom role, and its grants take effect at once', async () => {
    const created = await app.request('POST', '/api/roles', {
      token: app.admin,
      body: { name: 'support', description: 'Help desk', permissions: ['stations.view'] },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'support', description: 'Help desk', builtIn: false });
    const helen = await userToken(app, app.admin, { username: 'helen', roles: ['support'] });
    expect((await app.request('GET', '/api/users', { token: helen })).status).toBe(403);

    const edited = await app.request('PATCH', `/api/roles/${created.body.id}`, {
      token: app.admin,
      body: { permissions: ['stations.view', 'users.view'], description: 'Help desk, sees users' },
    });
    expect(edited.status).toBe(200);
    expect(edited.body.permissions).toEqual(['stations.view', 'users.view']);
    expect((await app.request('GET', '/api/users', { token: helen })).status).toBe(200);

    const inUse = await app.request('DELETE', `/api/roles/${created.body.id}`, { token: app.admin });
    expect(inUse.status).toBe(409);
    expect(inUse.body.error.code).toBe('ROLE_IN_USE');
    const helenId = (await app.request('GET', '/api/auth/me', { token: helen })).body.id;
    await app.request('PATCH', `/api/users/${helenId}`, { token: app.admin, body: { roles: [] } });
    expect((await app.request('DELETE', `/api/roles/${created.body.id}`, { token: app.admin })).status).toBe(
      204,
    );
    expect(await roleNamed('support')).toBeUndefined();
    expect((await app.request('DELETE', `/api/roles/${created.body.id}`, { token: app.admin })).status).toBe(
      404,
    );
  });

  it('refuses unknown permissions, bad names and duplicates', async () => {
    const unknown = await app.request('POST', '/api/roles', {
      token: app.admin,
      body: { name: 'odd', permissions: ['stations.fly'] },
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.details.fields).toEqual(['permissions']);
    const badName = await app.request('POST', '/api/roles', {
      token: app.admin,
      body: { name: 'a b', permissions: [] },
    });
    expect(badName.status).toBe(400);
    const duplicate = await app.request('POST', '/api/roles', {
      token: app.admin,
      body: { name: 'viewer', permissions: [] },
    });
    expect(duplicate.status).toBe(409);
    const operator = await roleNamed('operator');
    const rename = await app.request('PATCH', `/api/roles/${operator.id}`, {
      token: app.admin,
      body: { name: 'viewer' },
    });
    expect(rename.status).toBe(409);
    expect(await roleNamed('odd')).toBeUndefined();
  });

  it('keeps the built-in roles by name, and admin with system.admin', async () => {
    const operator = await roleNamed('operator');
    const rename = await app.request('PATCH', `/api/roles/${operator.id}`, {
      token: app.admin,
      body: { name: 'operators' },
    });
    expect(rename.status).toBe(409);
    expect(rename.body.error.code).toBe('BUILT_IN_ROLE');
    expect((await app.request('DELETE', `/api/roles/${operator.id}`, { token: app.admin })).status).toBe(409);
    const edit = await app.request('PATCH', `/api/roles/${operator.id}`, {
      token: app.admin,
      body: { permissions: [...operator.permissions, 'transactions.manage'] },
    });
    expect(edit.status).toBe(200);
    expect(edit.body.permissions).toContain('transactions.manage');
    const adminRole = await roleNamed('admin');
    expect((await app.request('DELETE', `/api/roles/${adminRole.id}`, { token: app.admin })).status).toBe(
      409,
    );
  });

  it('lets a role manager grant only what they hold', async () => {
    const managerRole = await app.request('POST', '/api/roles', {
      token: app.admin,
      body: { name: 'role-manager', permissions: ['roles.manage', 'stations.view'] },
    });
    const rita = await userToken(app, app.admin, { username: 'rita', roles: ['role-manager'] });
    expect((await app.request('GET', '/api/roles', { token: rita })).status).toBe(200);
    const above = await app.request('POST', '/api/roles', {
      token: rita,
      body: { name: 'sneaky', permissions: ['system.admin'] },
    });
    expect(above.status).toBe(403);
    const raiseOwn = await app.request('PATCH', `/api/roles/${managerRole.body.id}`, {
      token: rita,
      body: { permissions: ['roles.manage', 'stations.view', 'users.manage'] },
    });
    expect(raiseOwn.status).toBe(403);
    const within = await app.request('POST', '/api/roles', {
      token: rita,
      body: { name: 'looker', permissions: ['stations.view'] },
    });
    expect(within.status).toBe(201);
    const adminRole = await roleNamed('admin');
    const touchAdmin = await app.request('PATCH', `/api/roles/${adminRole.id}`, {
      token: rita,
      body: { description: 'mine now' },
    });
    expect(touchAdmin.status).toBe(403);
    expect((await roleNamed('role-manager')).permissions).toEqual(['roles.manage', 'stations.view']);
  });

  it('lets a manager limited to some stations change only roles held within its reach, never a built-in one', async () => {
    for (const chargePointId of ['RS-MINE', 'RS-OTHER']) {
      await app.request('POST', '/api/stations', {
        token: app.admin,
        body: { chargePointId, name: chargePointId, ocppPassword: null },
      });
    }
    const siteRole = await app.request('POST', '/api/roles', {
      token: app.admin,
      body: {
        name: 'site-roles',
        permissions: ['roles.manage', 'users.view', 'stations.view', 'stations.control'],
      },
    });
    expect(siteRole.status).toBe(201);
    const user = async (username: string, roles: string[], allowedStations: string[] | null) =>
      app.request('POST', '/api/users', {
        token: app.admin,
        body: { username, password: `${username}-pass-1234`, roles, allowedStations },
      });
    expect((await user('sami', ['site-roles'], ['RS-MINE'])).status).toBe(201);
    const sami = (await app.login('sami', 'sami-pass-1234')).token;
    const operator = await roleNamed('operator');
    const viewer = await roleNamed('viewer');

    // The built-in roles are everybody's: taking stations.control from every operator is refused.
    const stripOperators = await app.request('PATCH', `/api/roles/${operator.id}`, {
      token: sami,
      body: { permissions: operator.permissions.filter((p: string) => p !== 'stations.control') },
    });
    expect(stripOperators.status).toBe(403);
    const widenViewers = await app.request('PATCH', `/api/roles/${viewer.id}`, {
      token: sami,
      body: { permissions: [...viewer.permissions, 'stations.control'] },
    });
    expect(widenViewers.status).toBe(403);
    expect((await roleNamed('operator')).permissions).toEqual(operator.permissions);
    expect((await roleNamed('viewer')).permissions).toEqual(viewer.permissions);

    // A custom role held by someone at another station is beyond reach too.
    const shared = await app.request('POST', '/api/roles', {
      token: app.admin,
      body: { name: 'shared-desk', permissions: ['stations.view', 'stations.control'] },
    });
    expect((await user('olga', ['shared-desk'], ['RS-OTHER'])).status).toBe(201);
    const narrowShared = await app.request('PATCH', `/api/roles/${shared.body.id}`, {
      token: sami,
      body: { permissions: ['stations.view'] },
    });
    expect(narrowShared.status).toBe(403);
    expect((await roleNamed('shared-desk')).permissions).toEqual(['stations.control', 'stations.view']);

    // Its own role, held only by users within its reach, it may still shape.
    const local = await app.request('POST', '/api/roles', {
      token: sami,
      body: { name: 'mine-desk', permissions: ['stations.view', 'stations.control'] },
    });
    expect(local.status).toBe(201);
    expect((await user('milo', ['mine-desk'], ['RS-MINE'])).status).toBe(201);
    const narrowLocal = await app.request('PATCH', `/api/roles/${local.body.id}`, {
      token: sami,
      body: { permissions: ['stations.view'] },
    });
    expect(narrowLocal.status).toBe(200);
    expect((await user('nina', ['mine-desk'], ['RS-OTHER'])).status).toBe(201);
    const afterOutsider = await app.request('PATCH', `/api/roles/${local.body.id}`, {
      token: sami,
      body: { permissions: ['stations.view', 'stations.control'] },
    });
    expect(afterOutsider.status).toBe(403);
  });

  it('checks each roles endpoint for its permission', async () => {
    const vic = await userToken(app, app.admin, { username: 'vic', roles: ['viewer'] });
    expect((await app.request('GET', '/api/roles', { token: vic })).status).toBe(200);
    expect((await app.request('GET', '/api/permissions', { token: vic })).status).toBe(200);
    expect(
      (await app.request('POST', '/api/roles', { token: vic, body: { name: 'x', permissions: [] } })).status,
    ).toBe(403);
    const viewer = await roleNamed('viewer');
    expect((await app.request('PATCH', `/api/roles/${viewer.id}`, { token: vic, body: {} })).status).toBe(
      403,
    );
    expect((await app.request('DELETE', `/api/roles/${viewer.id}`, { token: vic })).status).toBe(403);
    expect((await app.request('GET', '/api/roles')).status).toBe(401);
    expect((await app.request('GET', '/api/permissions')).status).toBe(401);
  });
});
