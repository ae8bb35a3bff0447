import type { ChildProcess } from 'node:child_process';
import { Writable } from 'node:stream';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adapterClient } from '../../src/realtime/adapter-client.js';
import { freePort } from '../support/node-cluster.js';
import { startRedis, stopRedis } from '../support/redis-server.js';

// Declared only where Redis tests run (CIMORINGS_TEST_REDIS), like the other Redis suites.
describe.runIf(process.env.CIMORINGS_TEST_REDIS)('the real-time adapter client while Redis is lost', () => {
  let redis: ChildProcess;
  let port: number;
  const lines: string[] = [];
  const log = pino(
    { level: 'warn' },
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    }),
  );

  beforeAll(async () => {
    port = await freePort();
    redis = await startRedis(port);
  });
  afterAll(async () => {
    if (redis) await stopRedis(redis);
  });

  it('logs the commands the adapter does not await instead of leaving unhandled rejections, and still rejects them to whoever awaits', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    const base = new Redis(`redis://127.0.0.1:${port}`, { maxRetriesPerRequest: 2 });
    base.on('error', () => undefined);
    const client = adapterClient(base, log);
    try {
      expect(await client.set('adapter-client:k', 'v', 'PX', 10_000)).toBe('OK');
      await stopRedis(redis);
      // As the adapter does: fired and forgotten, while Redis is gone.
      void client.set('adapter-client:session', 'stored', 'PX', 10_000);
      void client.publish('adapter-client:channel', 'broadcast');
      // Awaited: the caller still gets the failure.
      await expect(client.set('adapter-client:awaited', 'v')).rejects.toThrow();
      // Closing with commands still queued rejects them too ("Connection is closed.").
      void client.set('adapter-client:at-close', 'v', 'PX', 10_000);
      client.disconnect();
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(unhandled).toEqual([]);
      expect(lines.some((line) => line.includes('redis set failed (real-time adapter)'))).toBe(true);
      expect(lines.some((line) => line.includes('redis publish failed (real-time adapter)'))).toBe(true);
    } finally {
      process.off('unhandledRejection', onUnhandled);
      client.disconnect();
      base.disconnect();
      redis = await startRedis(port);
    }
  });
});
