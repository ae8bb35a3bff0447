import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { MemoryLoginThrottle, type LoginThrottle } from '../../src/cluster/login-throttle.js';
import { RedisLoginThrottle } from '../../src/cluster/redis-login-throttle.js';
import { createTestDatabase } from '../support/databases.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const WINDOW_MS = 300;
const redisUrl = process.env.CIMORINGS_TEST_REDIS;
const redisClients: Redis[] = [];

afterAll(async () => {
  await Promise.all(redisClients.map((client) => client.quit()));
});

/** The implementations under one contract: in memory always, Redis when CIMORINGS_TEST_REDIS is set. */
const implementations: [string, () => LoginThrottle][] = [
  ['memory', () => new MemoryLoginThrottle({ windowMs: WINDOW_MS })],
];
if (redisUrl) {
  implementations.push([
    'redis',
    () => {
      const client = new Redis(/^rediss?:\/\//.test(redisUrl) ? redisUrl : 'redis://127.0.0.1:6379', {
        maxRetriesPerRequest: 1,
      });
      redisClients.push(client);
      return new RedisLoginThrottle(
        client,
        { windowMs: WINDOW_MS },
        `cimorings-test:${randomBytes(4).toString('hex')}:`,
      );
    },
  ]);
}

describe.each(implementations)('the %s login throttle', (_name, make) => {
  const user = { key: 'user:alice', limit: 3 };
  const address = { key: 'addr:10.0.0.1', limit: 5 };

  it('blocks a key once its failures reach the limit, for the rest of the window', async () => {
    const throttle = make();
    for (let i = 0; i < 2; i++) await throttle.recordFailure([user, address]);
    expect(await throttle.blockedFor([user, address])).toBe(0);
    await throttle.recordFailure([user, address]);
    const wait = await throttle.blockedFor([user, address]);
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(Math.ceil(WINDOW_MS / 1000));
    expect(await throttle.blockedFor([{ key: 'user:bob', limit: 3 }])).toBe(0);
  });

  it('frees the key when the window ends', async () => {
    const throttle = make();
    for (let i = 0; i < 3; i++) await throttle.recordFailure([user]);
    expect(await throttle.blockedFor([user])).toBeGreaterThan(0);
    await new Promise((resolve) => setTimeout(resolve, WINDOW_MS + 50));
    expect(await throttle.blockedFor([user])).toBe(0);
  });

  it('forgets a key on reset', async () => {
    const throttle = make();
    for (let i = 0; i < 3; i++) await throttle.recordFailure([user]);
    await throttle.reset(user);
    expect(await throttle.blockedFor([user])).toBe(0);
  });
});

// Declared only when Redis is there to test against, so that no test is ever reported skipped.
if (redisUrl) {
  describe('login brute-force protection across two nodes sharing Redis', () => {
    it('counts failures on one node against logins on the other', async () => {
      const database = await createTestDatabase('sqlite');
      const env = { REDIS_URL: redisUrl, JWT_SECRET: randomBytes(32).toString('hex') };
      const first = await startTestApp({ databaseUrl: database.url, env });
      const second = await startTestApp({ databaseUrl: database.url, env });
      // Each run gets its own username, since Redis outlives the test databases.
      const username = `shared-${randomBytes(4).toString('hex')}`;
      try {
        const { token } = await first.login();
        await first.request('POST', '/api/users', {
          token,
          body: { username, password: 'shared-pass-1', roles: ['viewer'] },
        });
        const fail = (app: TestApp) =>
          app.request('POST', '/api/auth/login', { body: { username, password: 'wrong-pass' } });
        for (const app of [first, second, first, second, first]) expect((await fail(app)).status).toBe(401);
        const blocked = await second.request('POST', '/api/auth/login', {
          body: { username, password: 'shared-pass-1' },
        });
        expect(blocked.status).toBe(429);
        // A token from one node works on the other: they share JWT_SECRET.
        expect((await second.request('GET', '/api/auth/me', { token })).status).toBe(200);
      } finally {
        await first.close();
        await second.close();
        await database.drop();
      }
    });
  });
}
