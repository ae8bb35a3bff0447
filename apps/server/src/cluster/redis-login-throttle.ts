import type { Redis } from 'ioredis';
import type { LoginThrottle, ThrottleKey, ThrottleWindow } from './login-throttle.js';

/** The login throttle shared by every node through Redis: one counter key per throttle key. */
export class RedisLoginThrottle implements LoginThrottle {
  constructor(
    private readonly redis: Redis,
    private readonly options: ThrottleWindow,
    private readonly prefix = 'cimorings:login-failures:',
  ) {}

  async blockedFor(keys: readonly ThrottleKey[]): Promise<number> {
    if (keys.length === 0) return 0;
    const pipeline = this.redis.pipeline();
    for (const { key } of keys) pipeline.get(this.prefix + key).pttl(this.prefix + key);
    const replies = (await pipeline.exec()) ?? [];
    let wait = 0;
    keys.forEach(({ limit }, index) => {
      const count = Number(replies[index * 2]?.[1] ?? 0);
      const ttl = Number(replies[index * 2 + 1]?.[1] ?? -2);
      if (count >= limit && ttl > 0) wait = Math.max(wait, ttl);
    });
    return Math.ceil(wait / 1000);
  }

  async recordFailure(keys: readonly ThrottleKey[]): Promise<void> {
    const pipeline = this.redis.pipeline();
    for (const { key } of keys) {
      // The window starts at the first failure: NX sets the expiry only on a new counter.
      pipeline.incr(this.prefix + key).pexpire(this.prefix + key, this.options.windowMs, 'NX');
    }
    await pipeline.exec();
  }

  async reset(key: ThrottleKey): Promise<void> {
    await this.redis.del(this.prefix + key.key);
  }

  async close(): Promise<void> {
    // The Redis connection belongs to whoever made it.
  }
}
