import { type EventEmitter, on } from 'node:events';

/**
 * Resolves with the next `event` of `emitter` whose payload satisfies `predicate`; rejects after
 * `timeoutMs` so a test fails instead of hanging. `name` starts the error message.
 */
export async function waitForEvent<M extends Record<keyof M, [unknown]>, K extends keyof M & string>(
  emitter: EventEmitter<M>,
  name: string,
  event: K,
  predicate: (payload: M[K][0]) => boolean,
  timeoutMs: number,
): Promise<M[K][0]> {
  const signal = AbortSignal.timeout(timeoutMs);
  try {
    for await (const [payload] of on(emitter as EventEmitter, event, { signal })) {
      if (predicate(payload as M[K][0])) return payload as M[K][0];
    }
  } catch (error) {
    if (signal.aborted) throw new Error(`${name}: no '${event}' within ${timeoutMs} ms`, { cause: error });
    throw error;
  }
  throw new Error(`${name}: stopped listening for '${event}'`);
}
