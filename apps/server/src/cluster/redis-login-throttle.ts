import type { Redis } from 'ioredis';
import { liveState } from '../domain/attempt-throttle.js';
import { within } from '../domain/deadline.js';
import type { LoginThrottle, ThrottleKey } from './login-throttle.js';

/**
 * `domain/attempt-throttle.ts` in Lua, so that checking every key and counting the attempt on
 * each is one atomic step on Redis. KEYS: the throttle keys; ARGV: now, then per key
 * freeAttempts, baseDelayMs, maxDelayMs, forgetAfterMs. Answers the wait in ms, 0 when counted.
 */
const RESERVE = `
local now = tonumber(ARGV[1])
local wait = 0
local counted = {}
for i, key in ipairs(KEYS) do
  local o = 1 + (i - 1) * 5
  local free, base, max, forget = tonumber(ARGV[o + 1]), tonumber(ARGV[o + 2]), tonumber(ARGV[o + 3]), tonumber(ARGV[o + 4])
  local holds = ARGV[o + 5] == '1'
  local state = redis.call('HMGET', key, 'a', 't')
  local attempts, last = tonumber(state[1]), tonumber(state[2])
  if attempts and last and now - last < forget then
    local delay = 0
    if attempts >= free then delay = math.min(base * 2 ^ math.min(attempts - free, 31), max) end
    if holds then wait = math.max(wait, last + delay - now) end
  else
    attempts = 0
  end
  counted[i] = attempts + 1
end
if wait > 0 then return math.ceil(wait) end
for i, key in ipairs(KEYS) do
  redis.call('HSET', key, 'a', counted[i], 't', now)
  redis.call('PEXPIRE', key, tonumber(ARGV[1 + (i - 1) * 5 + 4]))
end
return 0
`;

/** Takes one attempt back from each key that still holds some. */
const REFUND = `
for _, key in ipairs(KEYS) do
  local attempts = tonumber(redis.call('HGET', key, 'a'))
  if attempts and attempts > 0 then redis.call('HINCRBY', key, 'a', -1) end
end
return 0
`;

/**
 * How long one throttle call may take. ioredis queues commands while it reconnects; a login
 * must not hang meanwhile but fail closed (503) at once.
 */
const CALL_TIMEOUT_MS = 2000;

/** The throttle shared by every node through Redis: one hash per throttle key. */
export class RedisLoginThrottle implements LoginThrottle {
  constructor(
    private readonly redis: Redis,
    private readonly prefix = 'cimorings:throttle:',
  ) {}

  async reserve(keys: readonly ThrottleKey[], now: number): Promise<number> {
    if (keys.length === 0) return 0;
    const args = keys.flatMap(({ policy, countOnly }) => [
      policy.freeAttempts,
      policy.baseDelayMs,
      policy.maxDelayMs,
      policy.forgetAfterMs,
      countOnly ? 0 : 1,
    ]);
    const wait = await this.bounded(
      this.redis.eval(RESERVE, keys.length, ...keys.map(({ key }) => this.prefix + key), now, ...args),
    );
    return Number(wait);
  }

  async liveAttempts({ key, policy }: ThrottleKey, now: number): Promise<number> {
    const [attempts, last] = await this.bounded(this.redis.hmget(this.prefix + key, 'a', 't'));
    const state = attempts && last ? { attempts: Number(attempts), lastAt: Number(last) } : undefined;
    return liveState(state, now, policy)?.attempts ?? 0;
  }

  async settle(forget: readonly string[], refund: readonly string[]): Promise<void> {
    if (forget.length > 0) await this.bounded(this.redis.del(...forget.map((key) => this.prefix + key)));
    if (refund.length > 0) {
      await this.bounded(this.redis.eval(REFUND, refund.length, ...refund.map((key) => this.prefix + key)));
    }
  }

  async remember(key: string, ttlMs: number): Promise<void> {
    await this.bounded(this.redis.set(this.prefix + key, '1', 'PX', ttlMs));
  }

  async isRemembered(key: string): Promise<boolean> {
    return (await this.bounded(this.redis.exists(this.prefix + key))) === 1;
  }

  async close(): Promise<void> {
    // The Redis connection belongs to whoever made it.
  }

  private bounded<T>(call: Promise<T>): Promise<T> {
    return within(call, CALL_TIMEOUT_MS, 'Redis (login throttle)');
  }
}
