import type { ChildProcess } from 'node:child_process';
import { Redis } from 'ioredis';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { observeUnawaited, SUBSCRIPTIONS } from '../../src/cluster/unawaited-commands.js';
import { adapterClient } from '../../src/realtime/adapter-client.js';
import { freePort } from '../support/node-cluster.js';
import { eventually } from '../support/ocpp-client.js';
import { startRedis, stopRedis } from '../support/redis-server.js';

/**
 * ioredis resubscribes a subscriber once it reconnects without awaiting the promise: when that
 * fails (Redis refuses it, or the connection closes before Redis answers, as seen in CI when Redis
 * was stopped right after it came back) it rejected with nobody listening, an unhandled rejection.
 * Vitest fails the run on one; these check that the failure reaches the observer instead.
 */
describe.runIf(process.env.CIMORINGS_TEST_REDIS)('a subscriber whose resubscription fails', () => {
  let redis: ChildProcess | undefined;
  const clients: Redis[] = [];
  afterEach(async () => {
    for (const client of clients.splice(0)) client.disconnect();
    if (redis) await stopRedis(redis);
  });

  /**
   * Subscribes `client`, then restarts Redis as one that refuses SUBSCRIBE (as an ACL can): the
   * client reconnects and its resubscription fails.
   */
  async function refuseResubscribe(port: number, client: Redis): Promise<void> {
    clients.push(client);
    client.on('error', () => undefined);
    await client.subscribe('cimorings:test:resubscribe');
    await stopRedis(redis!);
    redis = await startRedis(port, ['--rename-command', 'SUBSCRIBE', '']);
  }

  it('tells the observer of a subscriber made with observeUnawaited', async () => {
    const port = await freePort();
    redis = await startRedis(port);
    const failures: string[] = [];
    const client = observeUnawaited(new Redis(port, '127.0.0.1'), SUBSCRIPTIONS, (_error, command) =>
      failures.push(command),
    );
    await refuseResubscribe(port, client);
    await eventually(() => failures.includes('subscribe'));
    expect(failures).toEqual(['subscribe']);
  });

  it("tells the log of the real-time adapter's own subscriber (a duplicate of its client)", async () => {
    const port = await freePort();
    redis = await startRedis(port);
    const lines: string[] = [];
    const log = pino({ level: 'warn' }, { write: (line: string) => void lines.push(line) });
    const main = new Redis(port, '127.0.0.1');
    clients.push(main);
    const adapter = adapterClient(main, log);
    clients.push(adapter);
    await refuseResubscribe(port, adapter.duplicate());
    await eventually(() => lines.some((line) => line.includes('redis subscribe failed (real-time adapter)')));
  });
});
