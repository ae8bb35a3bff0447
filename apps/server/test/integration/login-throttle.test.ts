import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import {
  MemoryLoginThrottle,
  type LoginThrottle,
  type ThrottleKey,
} from '../../src/cluster/login-throttle.js';
import { RedisLoginThrottle } from '../../src/cluster/redis-login-throttle.js';
import type { DelayPolicy } from '../../src/domain/attempt-throttle.js';
import { createTestDatabase, SHARED_DIALECTS } from '../support/databases.js';
import { ManualClock, startTestApp, type TestApp } from '../support/test-app.js';

const redisUrl = process.env.CIMORINGS_TEST_REDIS;
const redisClients: Redis[] = [];

afterAll(async () => {
  await Promise.all(redisClients.map((client) => client.quit()));
});

/** The implementations under one contract: in memory always, Redis when CIMORINGS_TEST_REDIS is set. */
const implementations: [string, () => LoginThrottle][] = [['memory', () => new MemoryLoginThrottle()]];
if (redisUrl) {
  implementations.push([
    'redis',
    () => {
      const client = new Redis(/^rediss?:\/\//.test(redisUrl) ? redisUrl : 'redis://127.0.0.1:6379', {
        maxRetriesPerRequest: 1,
      });
      redisClients.push(client);
      return new RedisLoginThrottle(client, `cimorings-test:${randomBytes(4).toString('hex')}:`);
    },
  ]);
}

const policy: DelayPolicy = { freeAttempts: 3, baseDelayMs: 1000, maxDelayMs: 8000, forgetAfterMs: 60_000 };
const T0 = 1_700_000_000_000;

describe.each(implementations)('the %s login throttle', (_name, make) => {
  const user: ThrottleKey = { key: 'user:alice', policy };
  const address: ThrottleKey = { key: 'addr:10.0.0.1', policy: { ...policy, freeAttempts: 5 } };

  it('lets the free attempts through, then asks a doubling wait, capped', async () => {
    const throttle = make();
    for (let i = 0; i < 3; i++) expect(await throttle.reserve([user, address], T0)).toBe(0);
    expect(await throttle.reserve([user, address], T0)).toBe(1000);
    expect(await throttle.reserve([user], T0 + 1000)).toBe(0);
    expect(await throttle.reserve([user], T0 + 1000)).toBe(2000);
    expect(await throttle.reserve([user], T0 + 3000)).toBe(0);
    expect(await throttle.reserve([user], T0 + 3000)).toBe(4000);
    expect(await throttle.reserve([user], T0 + 7000)).toBe(0);
    expect(await throttle.reserve([user], T0 + 15_000)).toBe(0);
    // Capped at maxDelayMs from here on.
    expect(await throttle.reserve([user], T0 + 15_000)).toBe(8000);
    expect(await throttle.reserve([{ key: 'user:bob', policy }], T0)).toBe(0);
  });

  it('counts nothing on any key while one of them must wait', async () => {
    const throttle = make();
    for (let i = 0; i < 3; i++) await throttle.reserve([user], T0);
    for (let i = 0; i < 10; i++) expect(await throttle.reserve([user, address], T0)).toBeGreaterThan(0);
    // The address was never counted: its five free attempts are all left.
    for (let i = 0; i < 5; i++) expect(await throttle.reserve([address], T0)).toBe(0);
    expect(await throttle.reserve([address], T0)).toBeGreaterThan(0);
  });

  it('reserves atomically: of 60 concurrent attempts only the free ones pass', async () => {
    const throttle = make();
    const waits = await Promise.all(Array.from({ length: 60 }, () => throttle.reserve([user, address], T0)));
    expect(waits.filter((wait) => wait === 0)).toHaveLength(3);
  });

  it('forgets a key left alone for forgetAfterMs', async () => {
    const throttle = make();
    for (let i = 0; i < 3; i++) await throttle.reserve([user], T0);
    expect(await throttle.reserve([user], T0 + 59_000)).toBe(0);
    for (let i = 0; i < 3; i++) expect(await throttle.reserve([user], T0 + 59_000 + 60_000)).toBe(0);
  });

  it('forgets keys and refunds one attempt on settle', async () => {
    const throttle = make();
    for (let i = 0; i < 3; i++) await throttle.reserve([user, address], T0);
    await throttle.settle([user.key], [address.key]);
    for (let i = 0; i < 3; i++) expect(await throttle.reserve([user, address], T0)).toBe(0);
    // 3 + 3 counted, one refunded: the sixth counted attempt is the one past the five free.
    expect(await throttle.reserve([address], T0)).toBeGreaterThan(0);
  });

  it('counts a count-only key without letting its wait hold the attempt back', async () => {
    const throttle = make();
    for (let i = 0; i < 3; i++) await throttle.reserve([user], T0);
    expect(await throttle.reserve([user], T0)).toBe(1000);
    // Held back by nothing but a count-only key: counted on both, answered 0.
    expect(await throttle.reserve([address, { ...user, countOnly: true }], T0)).toBe(0);
    expect(await throttle.liveAttempts(user, T0)).toBe(4);
    expect(await throttle.liveAttempts(address, T0)).toBe(1);
    // The same key, checked again, now asks the wait of four attempts.
    expect(await throttle.reserve([user], T0)).toBe(2000);
  });

  it('reads the failures a key still holds, none once forgotten', async () => {
    const throttle = make();
    expect(await throttle.liveAttempts(user, T0)).toBe(0);
    for (let i = 0; i < 2; i++) await throttle.reserve([user], T0);
    expect(await throttle.liveAttempts(user, T0 + 1000)).toBe(2);
    expect(await throttle.liveAttempts(user, T0 + 60_000)).toBe(0);
  });

  it('remembers a key until its time ends', async () => {
    const throttle = make();
    expect(await throttle.isRemembered('known:a', T0)).toBe(false);
    await throttle.remember('known:a', 60_000, T0);
    expect(await throttle.isRemembered('known:a', T0 + 1000)).toBe(true);
  });
});

// Declared only when Redis is there to test against, so that no test is ever reported skipped.
// REDIS_URL needs PostgreSQL (SQLite with it is refused at start).
if (redisUrl && SHARED_DIALECTS.length > 0) {
  describe('login brute-force protection across two nodes sharing Redis', () => {
    it('counts failures on one node against logins on the other, atomically', async () => {
      const database = await createTestDatabase('postgres');
      // Redis outlives this test and is shared with every other test of the run: the logins come
      // from an address of this run's own (through a trusted proxy), so that failures counted
      // for 127.0.0.1 elsewhere cannot change what this test sees.
      const env = {
        REDIS_URL: redisUrl,
        JWT_SECRET: randomBytes(32).toString('hex'),
        TRUST_PROXY: '127.0.0.1',
      };
      const headers = { 'x-forwarded-for': `10.${randomBytes(3).join('.')}` };
      // Time held still on both nodes: the waits asked (1 s after the free attempts) cannot run
      // out between a guess and the next on a busy machine, which would let the next one in.
      const clock = new ManualClock(Date.now());
      const first = await startTestApp({ databaseUrl: database.url, env, clock });
      const second = await startTestApp({ databaseUrl: database.url, env, clock });
      // Each run gets its own username, since Redis outlives the test databases.
      const username = `shared-${randomBytes(4).toString('hex')}`;
      try {
        const { token } = await first.login();
        await first.request('POST', '/api/users', {
          token,
          body: { username, password: 'shared-pass-1234', roles: ['viewer'] },
        });
        const fail = (app: TestApp) =>
          app.request('POST', '/api/auth/login', { headers, body: { username, password: 'wrong-pass' } });
        for (const app of [first, second, first, second, first]) expect((await fail(app)).status).toBe(401);
        const blocked = await second.request('POST', '/api/auth/login', {
          headers,
          body: { username, password: 'shared-pass-1234' },
        });
        expect(blocked.status).toBe(429);
        // A token from one node works on the other: they share JWT_SECRET.
        expect((await second.request('GET', '/api/auth/me', { token })).status).toBe(200);

        // Sixty concurrent guesses on another account, spread over both nodes: Redis reserves
        // each attempt atomically, so only the five free ones reach a password check.
        const target = `burst-${randomBytes(4).toString('hex')}`;
        await first.request('POST', '/api/users', {
          token,
          body: { username: target, password: 'burst-pass-1234', roles: ['viewer'] },
        });
        const answers = await Promise.all(
          Array.from({ length: 60 }, (_, i) =>
            (i % 2 === 0 ? first : second).request('POST', '/api/auth/login', {
              headers,
              body: { username: target, password: `wrong-${i}` },
            }),
          ),
        );
        expect(answers.filter((answer) => answer.status === 401)).toHaveLength(5);
        expect(answers.filter((answer) => answer.status === 429)).toHaveLength(55);
        const right = await second.request('POST', '/api/auth/login', {
          headers,
          body: { username: target, password: 'burst-pass-1234' },
        });
        expect(right.status).toBe(429);
      } finally {
        await first.close();
        await second.close();
        await database.drop();
      }
    });
  });
}
