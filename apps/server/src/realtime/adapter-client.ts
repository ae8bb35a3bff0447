import type { Redis } from 'ioredis';
import type { FastifyBaseLogger } from 'fastify';

/**
 * The commands the Socket.IO Redis streams adapter sends without awaiting them: `set` stores a
 * recovery session (on every disconnect and on every refresh of the session keeper), `publish`
 * carries an ephemeral broadcast. While Redis is lost, or when the client is closed with them
 * still queued, their promises reject and nobody is listening.
 */
const UNAWAITED = ['set', 'publish'] as const;

/**
 * The adapter's own client: a duplicate of `redis` whose errors are logged, and whose unawaited
 * commands are observed, so that a lost Redis costs a stored session or a broadcast (logged)
 * instead of a stream of unhandled rejections. Whoever awaits one of those commands still sees
 * its rejection: the returned promise is the original one.
 */
export function adapterClient(redis: Redis, log: FastifyBaseLogger): Redis {
  const client = redis.duplicate();
  client.on('error', (error: unknown) => log.warn({ err: error }, 'redis error (real-time adapter)'));
  for (const name of UNAWAITED) {
    const send = client[name].bind(client) as (...args: unknown[]) => Promise<unknown>;
    Object.defineProperty(client, name, {
      configurable: true,
      value: (...args: unknown[]) => {
        const sent = send(...args);
        sent.catch((error: unknown) => log.warn({ err: error }, `redis ${name} failed (real-time adapter)`));
        return sent;
      },
    });
  }
  return client;
}
