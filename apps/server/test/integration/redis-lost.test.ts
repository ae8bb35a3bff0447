import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SHARED_DIALECTS } from '../support/databases.js';
import { parseLogLines } from '../support/log-lines.js';
import { freePort } from '../support/node-cluster.js';
import { bootChargePoint, eventually, type TestChargePoint } from '../support/ocpp-client.js';
import { startRedis, stopRedis } from '../support/redis-server.js';
import { useTestApp } from '../support/use-test-app.js';

/**
 * Issue 16, bad input: Redis lost while a node runs. The node keeps serving the stations it
 * holds (their messages are answered and stored), says so on /api/ready (503) and in its log
 * (once), and when Redis is back it is ready again and listed with its stations, by itself.
 */
for (const dialect of process.env.CIMORINGS_TEST_REDIS ? SHARED_DIALECTS : []) {
  describe(`a node whose Redis is lost while it runs (${dialect})`, () => {
    let redis: ChildProcess;
    let port: number;
    const logLines: string[] = [];
    let station: TestChargePoint | undefined;

    beforeAll(async () => {
      port = await freePort();
      redis = await startRedis(port);
    });
    afterAll(async () => {
      await station?.close({ force: true }).catch(() => undefined);
      if (redis) await stopRedis(redis);
    });
    // Registered after Redis starts (and so closed before it stops).
    const app = useTestApp(dialect, () => ({
      env: {
        REDIS_URL: `redis://127.0.0.1:${port}`,
        JWT_SECRET: randomBytes(32).toString('hex'),
        OCPP_UNKNOWN_STATIONS: 'accept',
      },
      logLines,
    }));

    it('keeps serving its own stations, answers 503 on /api/ready and logs it once, and recovers', async () => {
      const id = `REDIS-LOST-${randomBytes(3).toString('hex')}`;
      expect(
        (await app.request('POST', '/api/id-tags', { token: app.admin, body: { idTag: 'RL-TAG' } })).status,
      ).toBe(201);
      ({ client: station } = await bootChargePoint(app.url, id));
      station.handle('TriggerMessage', async () => ({ status: 'Accepted' }));
      await station.call('StatusNotification', { connectorId: 1, status: 'Available', errorCode: 'NoError' });
      const { transactionId } = (await station.call('StartTransaction', {
        connectorId: 1,
        idTag: 'RL-TAG',
        meterStart: 0,
        timestamp: new Date().toISOString(),
      })) as { transactionId: number };

      await stopRedis(redis);
      const lostAt = Date.now();
      for (let value = 1; value <= 5; value++) {
        await station.call('MeterValues', {
          connectorId: 1,
          transactionId,
          meterValue: [
            {
              timestamp: new Date().toISOString(),
              sampledValue: [
                { value: String(value * 100), measurand: 'Energy.Active.Import.Register', unit: 'Wh' },
              ],
            },
          ],
        });
      }
      await station.call('StatusNotification', { connectorId: 1, status: 'Charging', errorCode: 'NoError' });
      // Served, and without waiting long for a Redis that does not answer.
      expect(Date.now() - lostAt).toBeLessThan(15_000);

      const refused = await app.request('GET', '/api/ready');
      expect(refused.status).toBe(503);
      expect(refused.body.error).toEqual({ code: 'SERVICE_UNAVAILABLE', message: 'Redis is not reachable' });
      await app.request('GET', '/api/ready');
      const said = parseLogLines(logLines).filter((line) => line.msg === 'not ready: Redis is not reachable');
      expect(said).toHaveLength(1);

      redis = await startRedis(port);
      await eventually(async () => (await app.request('GET', '/api/ready')).status === 200, 15_000);
      expect(parseLogLines(logLines).some((line) => line.msg === 'ready again')).toBe(true);
      // Listed again with the station it held all along, which commands still reach.
      await eventually(async () => {
        const cluster = await app.request('GET', '/api/cluster', { token: app.admin });
        return cluster.body.nodes.some((node: { stations: number }) => node.stations === 1);
      }, 15_000);
      const command = await app.request('POST', `/api/stations/${id}/commands/TriggerMessage`, {
        token: app.admin,
        body: { requestedMessage: 'Heartbeat' },
      });
      expect(command.status, command.text).toBe(200);

      // What it answered while Redis was away is stored.
      const stored = await app.request('GET', `/api/transactions/${transactionId}`, { token: app.admin });
      const energies = stored.body.meterValues.map((sample: { value: number }) => sample.value);
      expect(energies).toEqual(expect.arrayContaining([100, 200, 300, 400, 500]));
      const view = await app.request('GET', `/api/stations/${id}`, { token: app.admin });
      expect(view.body.connected).toBe(true);
    }, 60_000);
  });
}
