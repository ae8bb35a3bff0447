import type { Redis } from 'ioredis';

/** The commands some code sends without awaiting them. */
type Unawaited = 'set' | 'publish' | 'subscribe' | 'psubscribe' | 'ssubscribe';

/**
 * ioredis resubscribes a subscriber by itself once it reconnects, without awaiting the promise
 * (ioredis 5, `readyHandler`): when the connection drops again before Redis answers, or the client
 * is closed meanwhile, that promise rejects with nobody listening. So do some commands that
 * libraries send on a client of ours without awaiting them.
 */
export const SUBSCRIPTIONS: readonly Unawaited[] = ['subscribe', 'psubscribe', 'ssubscribe'];

/**
 * Makes `client`'s `commands` tell `onError` when they fail, so that a lost Redis is logged
 * instead of ending in unhandled rejections. The client's own resubscription calls these methods
 * on the instance, so it is covered too. Whoever awaits one of those commands still sees its
 * rejection: the promise returned is the original one.
 */
export function observeUnawaited(
  client: Redis,
  commands: readonly Unawaited[],
  onError: (error: unknown, command: Unawaited) => void,
): Redis {
  for (const name of commands) {
    const send = client[name].bind(client) as (...args: unknown[]) => Promise<unknown>;
    Object.defineProperty(client, name, {
      configurable: true,
      value: (...args: unknown[]) => {
        const sent = send(...args);
        sent.catch((error: unknown) => onError(error, name));
        return sent;
      },
    });
  }
  return client;
}
