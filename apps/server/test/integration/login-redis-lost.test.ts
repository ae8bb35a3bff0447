import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestApp } from '../support/use-test-app.js';
import { SHARED_DIALECTS } from '../support/databases.js';
import { ocppUrl, upgradeStatus } from '../support/ocpp-client.js';
import { freePort } from '../support/node-cluster.js';
import { startRedis, stopRedis } from '../support/redis-server.js';
import { ADMIN_PASSWORD } from '../support/test-app.js';

// Declared only where Redis tests run (CIMORINGS_TEST_REDIS), like the other Redis suites.
// REDIS_URL needs PostgreSQL (SQLite with it is refused at start).
for (const dialect of process.env.CIMORINGS_TEST_REDIS ? SHARED_DIALECTS : []) {
  describe(`logins while Redis is lost (${dialect})`, () => {
    let redis: ChildProcess;
    let port: number;

    beforeAll(async () => {
      port = await freePort();
      redis = await startRedis(port);
    });
    afterAll(async () => {
      if (redis) await stopRedis(redis);
    });
    // Registered after Redis starts (and so closed before it stops).
    const app = useTestApp(dialect, () => ({
      env: { REDIS_URL: `redis://127.0.0.1:${port}`, JWT_SECRET: randomBytes(32).toString('hex') },
      login: false,
    }));

    const login = (username: string, password: string) =>
      app.request('POST', '/api/auth/login', { body: { username, password } });

    it('answers the same 503 to the right and the wrong password, and logs in again once Redis is back', async () => {
      expect((await login('admin', ADMIN_PASSWORD)).status).toBe(200);
      await stopRedis(redis);

      const right = await login('admin', ADMIN_PASSWORD);
      const wrong = await login('admin', 'wrong-password-1');
      const unknown = await login('nobody', 'wrong-password-1');
      for (const answer of [right, wrong, unknown]) {
        expect(answer.status).toBe(503);
        expect(answer.headers.get('retry-after')).toBe('5');
      }
      expect(right.body.error.code).toBe('SERVICE_UNAVAILABLE');
      expect(right.body).toEqual(wrong.body);
      expect(right.body).toEqual(unknown.body);

      redis = await startRedis(port);
      let back = await login('admin', ADMIN_PASSWORD);
      for (let i = 0; i < 50 && back.status !== 200; i++) {
        await new Promise((resolve) => setTimeout(resolve, 200));
        back = await login('admin', ADMIN_PASSWORD);
      }
      expect(back.status).toBe(200);
      // Counting works again: a wrong password is a plain 401.
      expect((await login('admin', 'wrong-password-1')).status).toBe(401);
    });

    it('refuses a password change the same way while Redis is lost', async () => {
      const { token } = await app.login();
      await stopRedis(redis);
      try {
        const change = (currentPassword: string) =>
          app.request('POST', '/api/auth/password', {
            token,
            body: { currentPassword, newPassword: 'another-admin-pass' },
          });
        const right = await change(ADMIN_PASSWORD);
        const wrong = await change('wrong-password-1');
        expect(right.status).toBe(503);
        expect(right.body).toEqual(wrong.body);
      } finally {
        redis = await startRedis(port);
      }
    });

    it("refuses a station's upgrade the same way, right or wrong password, while Redis is lost", async () => {
      const { token } = await app.login();
      const created = await app.request('POST', '/api/stations', {
        token,
        body: { chargePointId: 'LOST-1', name: 'Lost', ocppPassword: 'station-secret-9' },
      });
      expect(created.status).toBe(201);
      const upgrade = (password: string) =>
        upgradeStatus(`${ocppUrl(app.url)}/LOST-1`, {
          headers: { authorization: `Basic ${Buffer.from(`LOST-1:${password}`).toString('base64')}` },
        });
      expect(await upgrade('station-secret-9')).toBe(101);
      await stopRedis(redis);
      try {
        expect(await upgrade('station-secret-9')).toBe(503);
        expect(await upgrade('wrong-secret-1')).toBe(503);
      } finally {
        redis = await startRedis(port);
      }
    });
  });
}
