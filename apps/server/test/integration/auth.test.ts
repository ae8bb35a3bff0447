import { describe, expect, it } from 'vitest';
import { loggedInUser } from '../support/builders.js';
import { createSigner } from 'fast-jwt';
import { useTestApp } from '../support/use-test-app.js';
import { DIALECTS } from '../support/databases.js';
import { ADMIN_PASSWORD, ManualClock } from '../support/test-app.js';

describe.each(DIALECTS)('authentication on %s', (dialect) => {
  const clock = new ManualClock();

  const app = useTestApp(dialect, { clock, env: { JWT_EXPIRES_IN: '1h' }, login: false });

  it('logs the admin in with a token, its lifetime and the user object', async () => {
    const response = await app.request('POST', '/api/auth/login', {
      body: { username: 'admin', password: ADMIN_PASSWORD },
    });
    expect(response.status).toBe(200);
    expect(response.body.expiresIn).toBe(3600);
    expect(response.body.token.split('.')).toHaveLength(3);
    expect(response.body.user).toMatchObject({
      id: expect.any(Number),
      username: 'admin',
      roles: ['admin'],
      allowedStations: null,
      active: true,
    });
    expect(response.body.user.permissions).toEqual(expect.arrayContaining(['system.admin', 'stations.view']));
    expect(JSON.stringify(response.body)).not.toMatch(/password/i);
  });

  it('answers a wrong password and an unknown user with the same 401', async () => {
    const wrong = await app.request('POST', '/api/auth/login', {
      body: { username: 'admin', password: 'nope-nope' },
    });
    const unknown = await app.request('POST', '/api/auth/login', {
      body: { username: 'nobody-here', password: 'nope-nope' },
    });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body).toEqual(unknown.body);
    expect(wrong.body).toEqual({ error: { code: 'UNAUTHORIZED', message: 'Invalid username or password' } });
  });

  it('refuses a login body without the fields with 400 naming them', async () => {
    const response = await app.request('POST', '/api/auth/login', { body: { username: 'admin' } });
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('VALIDATION_ERROR');
    expect(response.body.error.details.fields).toContain('password');
    const notJson = await app.request('POST', '/api/auth/login', { body: '{"username":', headers: {} });
    expect(notJson.status).toBe(400);
    expect(notJson.body.error.code).toBe('BAD_REQUEST');
  });

  it('returns the token holder from /api/auth/me', async () => {
    const { token, user } = await app.login();
    const response = await app.request('GET', '/api/auth/me', { token });
    expect(response.status).toBe(200);
    expect(response.body).toEqual(user);
  });

  it.each([
    ['no header', undefined],
    ['a malformed header', 'Token abc'],
    ['a token that is not a JWT', 'Bearer not-a-jwt'],
  ])('answers 401 for %s', async (_case, authorization) => {
    const response = await app.request('GET', '/api/auth/me', {
      headers: authorization ? { authorization } : {},
    });
    expect(response.status).toBe(401);
    expect(response.body.error.code).toBe('UNAUTHORIZED');
    expect(typeof response.body.error.message).toBe('string');
  });

  it('answers 401 for a token signed with another key', async () => {
    const { user } = await app.login();
    const forge = createSigner({ key: 'x'.repeat(48), algorithm: 'HS256', expiresIn: 3600_000 });
    const forged = forge({ sub: String(user.id), tv: 0 });
    expect((await app.request('GET', '/api/auth/me', { token: forged })).status).toBe(401);
  });

  it('answers 401 for a token with its signature removed (alg none)', async () => {
    const { token } = await app.login();
    const [, payload] = token.split('.');
    const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
    expect((await app.request('GET', '/api/auth/me', { token: `${header}.${payload}.` })).status).toBe(401);
  });

  it('answers 401 once a token has expired', async () => {
    const { token } = await app.login();
    expect((await app.request('GET', '/api/auth/me', { token })).status).toBe(200);
    clock.advance(3600_000 + 1000);
    const response = await app.request('GET', '/api/auth/me', { token });
    expect(response.status).toBe(401);
    expect(response.body.error).toEqual({ code: 'UNAUTHORIZED', message: 'Token expired' });
  });

  it('answers 403 with the missing permission for a valid token without it', async () => {
    const { token: adminToken } = await app.login();
    const created = await app.request('POST', '/api/users', {
      token: adminToken,
      body: { username: 'vera', password: 'viewer-pass-1', roles: ['viewer'] },
    });
    expect(created.status).toBe(201);
    const { token } = await app.login('vera', 'viewer-pass-1');
    expect((await app.request('GET', '/api/users', { token })).status).toBe(200);
    const response = await app.request('POST', '/api/users', {
      token,
      body: { username: 'mallory', password: 'mallory-pass', roles: ['admin'] },
    });
    expect(response.status).toBe(403);
    expect(response.body.error.code).toBe('PERMISSION_REQUIRED');
    expect(response.body.error.details.permission).toBe('users.manage');
  });

  it('ends older tokens when the password changes, and logs in with the new one', async () => {
    const { token: adminToken } = await app.login();
    await app.request('POST', '/api/users', {
      token: adminToken,
      body: { username: 'paula', password: 'first-pass-1', roles: ['viewer'] },
    });
    const { token: old } = await app.login('paula', 'first-pass-1');
    const wrong = await app.request('POST', '/api/auth/password', {
      token: old,
      body: { currentPassword: 'not-it-at-all', newPassword: 'second-pass-2' },
    });
    expect(wrong.status).toBe(400);
    const changed = await app.request('POST', '/api/auth/password', {
      token: old,
      body: { currentPassword: 'first-pass-1', newPassword: 'second-pass-2' },
    });
    expect(changed.status).toBe(200);
    expect((await app.request('GET', '/api/auth/me', { token: old })).status).toBe(401);
    expect((await app.request('GET', '/api/auth/me', { token: changed.body.token })).status).toBe(200);
    await app.login('paula', 'second-pass-2');
  });

  it('refuses a disabled user at login and ends their tokens', async () => {
    const { token: adminToken } = await app.login();
    const { id, token } = await loggedInUser(app, adminToken, {
      username: 'dora',
      password: 'dora-pass-1234',
      roles: ['viewer'],
    });
    const disabled = await app.request('PATCH', `/api/users/${id}`, {
      token: adminToken,
      body: { active: false },
    });
    expect(disabled.body.active).toBe(false);
    expect((await app.request('GET', '/api/auth/me', { token })).status).toBe(401);
    const login = await app.request('POST', '/api/auth/login', {
      body: { username: 'dora', password: 'dora-pass-1234' },
    });
    expect(login.status).toBe(401);
    expect(login.body.error.message).toBe('Invalid username or password');
  });

  it('answers 401 to a token of a deleted user', async () => {
    const { token: adminToken } = await app.login();
    const { id, token } = await loggedInUser(app, adminToken, { username: 'gone', roles: ['viewer'] });
    expect((await app.request('DELETE', `/api/users/${id}`, { token: adminToken })).status).toBe(204);
    expect((await app.request('GET', '/api/auth/me', { token })).status).toBe(401);
  });
});

describe.each(DIALECTS)('login brute-force protection on %s', (dialect) => {
  const clock = new ManualClock();
  // Behind a trusted proxy, so that each test speaks from addresses of its own.
  const app = useTestApp(dialect, { clock, env: { TRUST_PROXY: '127.0.0.1' }, login: false });

  const attempt = (username: string, password: string, from: string) =>
    app.request('POST', '/api/auth/login', {
      body: { username, password },
      headers: { 'x-forwarded-for': from },
    });
  const createUser = async (username: string, password: string) => {
    const { token } = await app.login();
    const created = await app.request('POST', '/api/users', {
      token,
      body: { username, password, roles: ['viewer'] },
    });
    expect(created.status).toBe(201);
  };

  it('reserves each attempt before checking it: 60 concurrent wrong logins leave the password throttled', async () => {
    await createUser('concurrent', 'concurrent-pass-1');
    const answers = await Promise.all(
      Array.from({ length: 60 }, (_, i) => attempt('concurrent', `wrong-${i}`, '10.15.0.1')),
    );
    const statuses = answers.map((answer) => answer.status);
    expect(statuses.filter((status) => status === 401)).toHaveLength(5);
    expect(statuses.filter((status) => status === 429)).toHaveLength(55);
    const throttled = answers.find((answer) => answer.status === 429);
    expect(throttled?.body.error.code).toBe('TOO_MANY_ATTEMPTS');
    expect(Number(throttled?.headers.get('retry-after'))).toBeGreaterThan(0);
    const right = await attempt('concurrent', 'concurrent-pass-1', '10.15.0.1');
    expect(right.status).toBe(429);
    expect(right.body.error.code).toBe('TOO_MANY_ATTEMPTS');
  });

  it('slows one address with doubling delays but never locks the account: the right password works once the delay passed', async () => {
    await createUser('slowed', 'slowed-pass-123');
    for (let i = 0; i < 5; i++) expect((await attempt('slowed', `wrong-${i}`, '10.16.0.1')).status).toBe(401);
    const first = await attempt('slowed', 'slowed-pass-123', '10.16.0.1');
    expect(first.status).toBe(429);
    expect(first.headers.get('retry-after')).toBe('1');
    clock.advance(1000);
    expect((await attempt('slowed', 'wrong-again', '10.16.0.1')).status).toBe(401);
    const second = await attempt('slowed', 'slowed-pass-123', '10.16.0.1');
    expect(second.status).toBe(429);
    expect(second.headers.get('retry-after')).toBe('2');
    clock.advance(2000);
    expect((await attempt('slowed', 'slowed-pass-123', '10.16.0.1')).status).toBe(200);
    // A success forgets that address's failures on the account.
    for (let i = 0; i < 5; i++) expect((await attempt('slowed', `wrong-${i}`, '10.16.0.1')).status).toBe(401);
  });

  it("does not let a disabled user's right password clear the count of guesses", async () => {
    const { token } = await app.login();
    const created = await app.request('POST', '/api/users', {
      token,
      body: { username: 'disabled', password: 'disabled-pass-1', roles: ['viewer'] },
    });
    await app.request('PATCH', `/api/users/${created.body.id}`, { token, body: { active: false } });
    for (let i = 0; i < 4; i++)
      expect((await attempt('disabled', `wrong-${i}`, '10.16.0.3')).status).toBe(401);
    expect((await attempt('disabled', 'disabled-pass-1', '10.16.0.3')).status).toBe(401);
    expect((await attempt('disabled', 'wrong-again', '10.16.0.3')).status).toBe(429);
  });

  it('treats unknown usernames the same way', async () => {
    for (let i = 0; i < 5; i++) expect((await attempt('ghost', `wrong-${i}`, '10.16.0.2')).status).toBe(401);
    expect((await attempt('ghost', 'wrong', '10.16.0.2')).status).toBe(429);
  });

  it('does not let strangers at other addresses keep the owner out', async () => {
    await createUser('owner', 'owner-pass-1234');
    expect((await attempt('owner', 'owner-pass-1234', '10.16.1.1')).status).toBe(200);
    // Guesses from 200 addresses, five each at most, would each have locked the account before.
    for (let i = 0; i < 200; i++) {
      const answer = await attempt('owner', `guess-${i}`, `10.16.2.${i}`);
      expect(answer.status).toBe(401);
    }
    // The owner's own address is not held back by the account-wide delay ...
    expect((await attempt('owner', 'owner-pass-1234', '10.16.1.1')).status).toBe(200);
    // ... and from a new address the owner is not held back either: the account's delay holds
    // back only addresses that have failed on it, so strangers cannot use up the owner's chances.
    expect((await attempt('owner', 'owner-pass-1234', '10.16.3.1')).status).toBe(200);
  });

  it('keeps a stranger polling the account from keeping its owner out of a new address', async () => {
    await createUser('polled', 'polled-pass-1234');
    // A stranger at ten addresses fails three times at each, and keeps polling from them.
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 10; i++)
        expect((await attempt('polled', 'guess', `10.19.0.${i}`)).status).toBe(401);
    }
    for (let poll = 0; poll < 5; poll++) {
      for (let i = 0; i < 10; i++)
        expect((await attempt('polled', 'guess', `10.19.0.${i}`)).status).toBe(429);
      clock.advance(1000);
    }
    // The owner, from an address never seen, gets in at once; a typo there is a plain 401.
    expect((await attempt('polled', 'typo-pass-1234', '10.19.1.1')).status).toBe(401);
    expect((await attempt('polled', 'polled-pass-1234', '10.19.1.1')).status).toBe(200);
  });

  it('holds back by the account-wide delay the addresses that keep failing on an account', async () => {
    await createUser('target', 'target-pass-1234');
    const statuses: number[] = [];
    // Forty addresses guess: each one's first failures count on the account without waiting.
    for (let i = 0; i < 40; i++)
      statuses.push((await attempt('target', `guess-${i}`, `10.17.0.${i}`)).status);
    expect(statuses.filter((status) => status === 401)).toHaveLength(40);
    // Past twenty failures on the account, an address at its third failure waits for the account.
    for (let k = 0; k < 2; k++) expect((await attempt('target', 'guess', '10.17.1.1')).status).toBe(401);
    expect((await attempt('target', 'guess', '10.17.1.1')).status).toBe(401);
    const held = await attempt('target', 'guess', '10.17.1.1');
    expect(held.status).toBe(429);
    expect(Number(held.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('answers 429 to an address after twenty failures across usernames', async () => {
    for (let i = 0; i < 20; i++)
      expect((await attempt(`spray-${i}`, 'wrong-pass', '10.18.0.1')).status).toBe(401);
    expect((await attempt('someone-else', 'wrong-pass', '10.18.0.1')).status).toBe(429);
    expect((await attempt('someone-else', 'wrong-pass', '10.18.0.2')).status).toBe(401);
  });
});

describe('login throttling without a trusted proxy', () => {
  const app = useTestApp('sqlite', { login: false });

  it('ignores X-Forwarded-For, so a client cannot escape by claiming other addresses', async () => {
    for (let i = 0; i < 5; i++) {
      const answer = await app.request('POST', '/api/auth/login', {
        body: { username: 'admin', password: `wrong-${i}` },
        headers: { 'x-forwarded-for': `10.19.0.${i}` },
      });
      expect(answer.status).toBe(401);
    }
    const blocked = await app.request('POST', '/api/auth/login', {
      body: { username: 'admin', password: ADMIN_PASSWORD },
      headers: { 'x-forwarded-for': '10.19.1.1' },
    });
    expect(blocked.status).toBe(429);
  });
});
