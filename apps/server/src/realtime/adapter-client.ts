import type { Redis } from 'ioredis';
import type { FastifyBaseLogger } from 'fastify';
import { observeUnawaited, SUBSCRIPTIONS } from '../cluster/unawaited-commands.js';

/**
 * The adapter's own client: a duplicate of `redis` whose errors are logged, and whose unawaited
 * commands are observed, so that a lost Redis costs a stored session or a broadcast (logged)
 * instead of a stream of unhandled rejections. The Socket.IO Redis streams adapter sends `set`
 * (a recovery session, on every disconnect and every refresh of the session keeper) and
 * `publish` (an ephemeral broadcast) without awaiting them, and subscribes its own duplicate
 * without awaiting either; that duplicate's resubscriptions after a reconnect are observed too.
 */
export function adapterClient(redis: Redis, log: FastifyBaseLogger): Redis {
  const client = redis.duplicate();
  client.on('error', (error: unknown) => log.warn({ err: error }, 'redis error (real-time adapter)'));
  const failed = (error: unknown, command: string) =>
    log.warn({ err: error }, `redis ${command} failed (real-time adapter)`);
  observeUnawaited(client, ['set', 'publish'], failed);
  const duplicate = client.duplicate.bind(client);
  Object.defineProperty(client, 'duplicate', {
    configurable: true,
    value: (...args: Parameters<Redis['duplicate']>) =>
      observeUnawaited(duplicate(...args), SUBSCRIPTIONS, failed),
  });
  return client;
}
