import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { openDatabase } from '../../src/db/connect.js';
import { UserRepository } from '../../src/repositories/user.repository.js';
import { argon2Hasher } from '../../src/services/password-hasher.js';
import { DIALECTS } from '../support/databases.js';
import { useTestApp } from '../support/use-test-app.js';

describe.each(DIALECTS)('password rules on %s', (dialect) => {
  const app = useTestApp(dialect);

  const createUser = (username: string, password: string) =>
    app.request('POST', '/api/users', { token: app.admin, body: { username, password, roles: ['viewer'] } });

  it('refuses new passwords shorter than 12 characters: creation, admin reset and own change', async () => {
    const short = await createUser('shorty', 'eleven-char');
    expect(short.status).toBe(400);
    expect(short.body.error.details.fields).toEqual(['password']);
    const created = await createUser('longer', 'twelve-chars');
    expect(created.status).toBe(201);

    const reset = await app.request('PATCH', `/api/users/${created.body.id}`, {
      token: app.admin,
      body: { password: 'eleven-char' },
    });
    expect(reset.status).toBe(400);
    expect(reset.body.error.details.fields).toEqual(['password']);

    const { token } = await app.login('longer', 'twelve-chars');
    const change = await app.request('POST', '/api/auth/password', {
      token,
      body: { currentPassword: 'twelve-chars', newPassword: 'eleven-char' },
    });
    expect(change.status).toBe(400);
    expect(change.body.error.details.fields).toEqual(['newPassword']);
    // Nothing changed: the old password still logs in.
    await app.login('longer', 'twelve-chars');
  });

  it('still logs in a user whose stored password predates the rule', async () => {
    const handle = openDatabase(loadConfig({ DATABASE_URL: app.database.url }).database);
    try {
      await new UserRepository(handle.db).create({
        username: 'oldtimer',
        passwordHash: await argon2Hasher.hash('old-pw-8'),
        active: true,
        roleIds: [],
        scope: null,
        now: new Date().toISOString(),
      });
    } finally {
      await handle.close();
    }
    const { user } = await app.login('oldtimer', 'old-pw-8');
    expect(user.username).toBe('oldtimer');
  });

  it('throttles the current-password check of a password change like logins', async () => {
    expect((await createUser('changer', 'changer-pass-1')).status).toBe(201);
    const { token } = await app.login('changer', 'changer-pass-1');
    const change = (currentPassword: string) =>
      app.request('POST', '/api/auth/password', {
        token,
        body: { currentPassword, newPassword: 'changer-pass-2' },
      });
    for (let i = 0; i < 5; i++) expect((await change(`wrong-guess-${i}`)).status).toBe(400);
    const throttled = await change('changer-pass-1');
    expect(throttled.status).toBe(429);
    expect(throttled.body.error.code).toBe('TOO_MANY_ATTEMPTS');
    expect(Number(throttled.headers.get('retry-after'))).toBeGreaterThan(0);
    // The same count as logins: the guesses made through the change hold back a login too.
    const login = await app.request('POST', '/api/auth/login', {
      body: { username: 'changer', password: 'changer-pass-1' },
    });
    expect(login.status).toBe(429);
  });
  it("changes one's own password only where the current one is asked for, not through PATCH /api/users", async () => {
    const role = await app.request('POST', '/api/roles', {
      token: app.admin,
      body: { name: 'staff-manager', permissions: ['users.view', 'users.manage'] },
    });
    expect(role.status).toBe(201);
    const created = await app.request('POST', '/api/users', {
      token: app.admin,
      body: { username: 'hr-lead', password: 'hr-lead-pass-1', roles: ['staff-manager'] },
    });
    expect(created.status).toBe(201);
    // A stolen token of a user who manages users must not take its own account over.
    const stolen = (await app.login('hr-lead', 'hr-lead-pass-1')).token;
    const takeover = await app.request('PATCH', `/api/users/${created.body.id}`, {
      token: stolen,
      body: { password: 'attacker-pass-1' },
    });
    expect(takeover.status).toBe(403);
    expect(takeover.body.error.code).toBe('PERMISSION_REQUIRED');
    const attacker = await app.request('POST', '/api/auth/login', {
      body: { username: 'hr-lead', password: 'attacker-pass-1' },
    });
    expect(attacker.status).toBe(401);
    expect((await app.request('GET', '/api/auth/me', { token: stolen })).status).toBe(200);
    // The owner still changes it with the current one, and an admin still resets others'.
    const own = await app.request('POST', '/api/auth/password', {
      token: stolen,
      body: { currentPassword: 'hr-lead-pass-1', newPassword: 'hr-lead-pass-2' },
    });
    expect(own.status).toBe(200);
    const reset = await app.request('PATCH', `/api/users/${created.body.id}`, {
      token: app.admin,
      body: { password: 'hr-lead-pass-3' },
    });
    expect(reset.status).toBe(200);
    expect((await app.login('hr-lead', 'hr-lead-pass-3')).user.username).toBe('hr-lead');
  });
});
