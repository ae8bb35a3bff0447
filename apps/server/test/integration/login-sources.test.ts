import { beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/databases.js';
import { useTestApp } from '../support/use-test-app.js';

/**
 * Password guesses are counted per source, and an IPv6 source is its /64 network: one
 * subscriber gets a whole /64, so counting single addresses would hand an attacker endless
 * fresh sources. The client address comes from X-Forwarded-For through a trusted proxy.
 */
describe.each(DIALECTS)('the source a password guess is counted against, on %s', (dialect) => {
  const app = useTestApp(dialect, { env: { TRUST_PROXY: '127.0.0.1' }, login: false });

  beforeAll(async () => {
    const { token } = await app.login();
    const created = await app.request('POST', '/api/users', {
      token,
      body: { username: 'ipv6-user', password: 'ipv6-user-pass-1', roles: ['viewer'] },
    });
    expect(created.status).toBe(201);
  });

  const login = (from: string, username: string, password: string) =>
    app.request('POST', '/api/auth/login', {
      headers: { 'x-forwarded-for': from },
      body: { username, password },
    });

  it('counts every address of one IPv6 /64 as one source, across accounts', async () => {
    // Twenty free guesses per source, each from a new address of the same /64 and on a new account.
    for (let i = 1; i <= 20; i++) {
      expect((await login(`2001:db8:77:1::${i.toString(16)}`, `sprayed-${i}`, 'wrong-password')).status).toBe(
        401,
      );
    }
    const next = await login('2001:db8:77:1:ffff:ffff:ffff:ffff', 'sprayed-21', 'wrong-password');
    expect(next.status).toBe(429);
    expect(next.body.error.code).toBe('TOO_MANY_ATTEMPTS');
    // Another /64 is another source.
    expect((await login('2001:db8:77:2::1', 'sprayed-22', 'wrong-password')).status).toBe(401);
  });

  it('holds an account back from the whole /64 its guesses came from, not just their addresses', async () => {
    for (let i = 1; i <= 5; i++) {
      expect((await login(`2001:db8:88:1::${i}`, 'ipv6-user', 'wrong-password')).status).toBe(401);
    }
    expect((await login('2001:db8:88:1::abcd', 'ipv6-user', 'ipv6-user-pass-1')).status).toBe(429);
    // The owner elsewhere is not held back.
    expect((await login('2001:db8:99:1::1', 'ipv6-user', 'ipv6-user-pass-1')).status).toBe(200);
  });

  it('counts an IPv4-mapped IPv6 address as its IPv4 address', async () => {
    for (let i = 1; i <= 5; i++) {
      expect((await login('10.20.30.40', 'ipv6-user', 'wrong-password')).status).toBe(401);
    }
    expect((await login('::ffff:10.20.30.40', 'ipv6-user', 'ipv6-user-pass-1')).status).toBe(429);
  });
});
