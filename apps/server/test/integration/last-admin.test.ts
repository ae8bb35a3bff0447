import { describe, expect, it } from 'vitest';
import { useTestApp, withTestApp } from '../support/use-test-app.js';
import { DIALECTS } from '../support/databases.js';
import { ADMIN_PASSWORD, type TestApp } from '../support/test-app.js';

/**
 * The last active administrator stays also when two administrators act at the same moment:
 * each disabling (or deleting) the other used to see the other still active, and both won,
 * leaving nobody able to administer the system.
 */
describe.each(DIALECTS)('the last administrator under concurrent changes, on %s', (dialect) => {
  const app = useTestApp(dialect, { login: false });

  it('lets only one of two administrators disabling or deleting each other win', async () => {
    let survivor = { id: (await app.login()).user.id, username: 'admin', password: ADMIN_PASSWORD };
    for (let round = 0; round < 6; round++) {
      const survivorToken = (await app.login(survivor.username, survivor.password)).token;
      const other = { username: `second-admin-${round}`, password: `second-admin-pass-${round}` };
      const created = await app.request('POST', '/api/users', {
        token: survivorToken,
        body: { ...other, roles: ['admin'] },
      });
      expect(created.status).toBe(201);
      const otherToken = (await app.login(other.username, other.password)).token;
      const change = (token: string, id: number) =>
        round % 2 === 0
          ? app.request('PATCH', `/api/users/${id}`, { token, body: { active: false } })
          : app.request('DELETE', `/api/users/${id}`, { token });
      const [first, second] = await Promise.all([
        change(survivorToken, created.body.id),
        change(otherToken, survivor.id),
      ]);
      const won = [first, second].filter((answer) => answer.status < 300);
      expect(won).toHaveLength(1);
      for (const lost of [first, second].filter((answer) => answer.status >= 300)) {
        // Refused as the last administrator, or too late: its own account was just taken away.
        expect([401, 409]).toContain(lost.status);
      }
      if (second.status < 300) survivor = { id: created.body.id, ...other };
      const check = await app.request('GET', '/api/users?limit=1000', {
        token: (await app.login(survivor.username, survivor.password)).token,
      });
      const activeAdmins = check.body.items.filter(
        (user: { active: boolean; roles: string[] }) => user.active && user.roles.includes('admin'),
      );
      expect(activeAdmins).toHaveLength(1);
    }
  });
  it('lets only one win of a role losing system.admin and the other administrator being disabled', async () => {
    // Its own database: the test above leaves another administrator than `admin`.
    await withTestApp(dialect, {}, async (app) => {
      await roleRace(app);
    });
  });
});

async function roleRace(app: TestApp): Promise<void> {
  const admin = await app.login();
  const role = await app.request('POST', '/api/roles', {
    token: admin.token,
    body: { name: 'super-role', permissions: ['system.admin'] },
  });
  expect(role.status).toBe(201);
  const holder = await app.request('POST', '/api/users', {
    token: admin.token,
    body: { username: 'super-holder', password: 'super-holder-pass', roles: ['super-role'] },
  });
  expect(holder.status).toBe(201);
  for (let round = 0; round < 6; round++) {
    // Only two administrators: `admin` (built-in role) and `super-holder` (the custom role).
    const adminToken = (await app.login()).token;
    const holderToken = (await app.login('super-holder', 'super-holder-pass')).token;
    const [dropRole, disableAdmin] = await Promise.all([
      app.request('PATCH', `/api/roles/${role.body.id}`, {
        token: adminToken,
        body: { permissions: ['stations.view'] },
      }),
      app.request('PATCH', `/api/users/${admin.user.id}`, { token: holderToken, body: { active: false } }),
    ]);
    expect([dropRole.status, disableAdmin.status].filter((status) => status < 300)).toHaveLength(1);
    // Put both back for the next round, by whoever is still an administrator.
    if (dropRole.status < 300) {
      const restored = await app.request('PATCH', `/api/roles/${role.body.id}`, {
        token: (await app.login()).token,
        body: { permissions: ['system.admin'] },
      });
      expect(restored.status).toBe(200);
    } else {
      const enabled = await app.request('PATCH', `/api/users/${admin.user.id}`, {
        token: (await app.login('super-holder', 'super-holder-pass')).token,
        body: { active: true },
      });
      expect(enabled.status).toBe(200);
    }
  }
}
