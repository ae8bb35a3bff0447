import { beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/databases.js';
import { useTestApp } from '../support/use-test-app.js';

/**
 * A user limited to some stations reaches only the users within its scope and the id tags of
 * those users (README, contract notes), over real HTTP.
 */
describe.each(DIALECTS)('what a user limited to some stations reaches, on %s', (dialect) => {
  const app = useTestApp(dialect, { login: false });
  let admin: string;
  let manager: string;
  const ids: Record<string, number> = {};

  const createUser = async (username: string, roles: string[], allowedStations: string[] | null) => {
    const created = await app.request('POST', '/api/users', {
      token: admin,
      body: { username, password: `${username}-password-1`, roles, allowedStations },
    });
    expect(created.status, created.text).toBe(201);
    ids[username] = created.body.id;
  };
  const tag = async (token: string, body: Record<string, unknown>) =>
    app.request('POST', '/api/id-tags', { token, body });

  beforeAll(async () => {
    const login = await app.login();
    admin = login.token;
    ids.admin = login.user.id;
    for (const chargePointId of ['SC-A', 'SC-B']) {
      await app.request('POST', '/api/stations', {
        token: admin,
        body: { chargePointId, name: chargePointId, ocppPassword: null },
      });
    }
    await createUser('manager', ['operator'], ['SC-A']);
    await createUser('staff', ['viewer'], ['SC-A']);
    await createUser('other', ['viewer'], ['SC-B']);
    manager = (await app.login('manager', 'manager-password-1')).token;
    expect((await tag(admin, { idTag: 'GLOBAL-1' })).status).toBe(201);
    expect((await tag(admin, { idTag: 'OTHER-1', userId: ids.other })).status).toBe(201);
    expect((await tag(admin, { idTag: 'STAFF-1', userId: ids.staff })).status).toBe(201);
    expect((await tag(manager, { idTag: 'MINE-1' })).status).toBe(201);
  });

  const statusOf = async (idTag: string) =>
    (await app.request('GET', `/api/id-tags/${idTag}`, { token: admin })).body.status as string;
  /** The manager's page of `path` (expected 200): the `key` of each item, and the total. */
  const listed = async (path: string, key: 'idTag' | 'username') => {
    const list = await app.request('GET', path, { token: manager });
    expect(list.status).toBe(200);
    return {
      keys: list.body.items.map((item: Record<string, unknown>) => item[key]),
      total: list.body.total,
    };
  };

  it('lists and reads only the tags it created or that belong to users it reaches', async () => {
    expect(await listed('/api/id-tags', 'idTag')).toEqual({ keys: ['MINE-1', 'STAFF-1'], total: 2 });
    const mine = await app.request('GET', '/api/id-tags/MINE-1', { token: manager });
    expect(mine.status).toBe(200);
    expect(mine.body.createdBy).toBe(ids.manager);
    expect((await app.request('GET', '/api/id-tags/GLOBAL-1', { token: manager })).status).toBe(404);
    expect((await app.request('GET', '/api/id-tags/OTHER-1', { token: manager })).status).toBe(404);
    const all = await app.request('GET', '/api/id-tags', { token: admin });
    expect(all.body.total).toBe(4);
  });

  it('cannot block, change or delete a tag beyond its reach, and nothing of it changes', async () => {
    const blocked = await app.request('PATCH', '/api/id-tags/GLOBAL-1', {
      token: manager,
      body: { status: 'Blocked' },
    });
    expect(blocked.status).toBe(404);
    expect(blocked.body.error.code).toBe('NOT_FOUND');
    expect(await statusOf('GLOBAL-1')).toBe('Accepted');
    expect((await app.request('DELETE', '/api/id-tags/OTHER-1', { token: manager })).status).toBe(404);
    expect(await statusOf('OTHER-1')).toBe('Accepted');
    const own = await app.request('PATCH', '/api/id-tags/STAFF-1', {
      token: manager,
      body: { status: 'Blocked' },
    });
    expect(own.status).toBe(200);
    expect(await statusOf('STAFF-1')).toBe('Blocked');
  });

  it('cannot link a tag to a parent or a user beyond its reach', async () => {
    const parent = await tag(manager, { idTag: 'CHILD-1', parentIdTag: 'GLOBAL-1' });
    expect(parent.status).toBe(400);
    const user = await tag(manager, { idTag: 'CHILD-2', userId: ids.other });
    expect(user.status).toBe(400);
    const admins = await tag(manager, { idTag: 'CHILD-3', userId: ids.admin });
    expect(admins.status).toBe(400);
    expect((await app.request('GET', '/api/id-tags/CHILD-1', { token: admin })).status).toBe(404);
  });

  it('imports only rows within its reach; rows naming other tags are rejected and change nothing', async () => {
    const response = await app.request('POST', '/api/id-tags/import', {
      token: manager,
      headers: { 'content-type': 'text/csv' },
      body: 'idTag,status,parentIdTag\nGLOBAL-1,Blocked,\nNEW-1,Accepted,\nNEW-2,Accepted,OTHER-1\nMINE-1,Blocked,\n',
    });
    expect(response.status, response.text).toBe(200);
    expect(response.body.created).toBe(1);
    expect(response.body.updated).toBe(1);
    expect(response.body.rejected.map((row: { line: number }) => row.line)).toEqual([2, 4]);
    expect(await statusOf('GLOBAL-1')).toBe('Accepted');
    expect(await statusOf('MINE-1')).toBe('Blocked');
    const created = await app.request('GET', '/api/id-tags/NEW-1', { token: manager });
    expect(created.body.createdBy).toBe(ids.manager);
  });

  it('lists and reads only itself and the users whose scope is within its own', async () => {
    expect(await listed('/api/users', 'username')).toEqual({ keys: ['manager', 'staff'], total: 2 });
    expect(await listed('/api/users?limit=1&offset=1', 'username')).toEqual({ keys: ['staff'], total: 2 });
    expect((await app.request('GET', `/api/users/${ids.staff}`, { token: manager })).status).toBe(200);
    expect((await app.request('GET', `/api/users/${ids.other}`, { token: manager })).status).toBe(404);
    expect((await app.request('GET', `/api/users/${ids.admin}`, { token: manager })).status).toBe(404);
    expect((await app.request('GET', '/api/users', { token: admin })).body.total).toBe(4);
  });
});
