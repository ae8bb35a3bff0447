/**
 * Counts failed logins per key (a username, an address) in fixed windows, so that guessing
 * passwords gets `429` after a few tries. In memory for one node; Redis for several.
 */
export interface LoginThrottle {
  /** Seconds until the first blocked key frees up, or 0 when none of `keys` is blocked. */
  blockedFor(keys: readonly ThrottleKey[]): Promise<number>;
  recordFailure(keys: readonly ThrottleKey[]): Promise<void>;
  reset(key: ThrottleKey): Promise<void>;
  close(): Promise<void>;
}

export interface ThrottleKey {
  key: string;
  /** Failures allowed within the window before the key is blocked. */
  limit: number;
}

export interface ThrottleWindow {
  /** Length of the window in milliseconds, counted from the first failure. */
  windowMs: number;
}

export class MemoryLoginThrottle implements LoginThrottle {
  private readonly counters = new Map<string, { count: number; resetAt: number }>();

  constructor(
    private readonly options: ThrottleWindow,
    private readonly now: () => number = Date.now,
  ) {}

  blockedFor(keys: readonly ThrottleKey[]): Promise<number> {
    const now = this.now();
    let wait = 0;
    for (const { key, limit } of keys) {
      const counter = this.live(key, now);
      if (counter && counter.count >= limit) wait = Math.max(wait, counter.resetAt - now);
    }
    return Promise.resolve(Math.ceil(wait / 1000));
  }

  recordFailure(keys: readonly ThrottleKey[]): Promise<void> {
    const now = this.now();
    this.sweep(now);
    for (const { key } of keys) {
      const counter = this.live(key, now);
      if (counter) counter.count += 1;
      else this.counters.set(key, { count: 1, resetAt: now + this.options.windowMs });
    }
    return Promise.resolve();
  }

  reset(key: ThrottleKey): Promise<void> {
    this.counters.delete(key.key);
    return Promise.resolve();
  }

  close(): Promise<void> {
    this.counters.clear();
    return Promise.resolve();
  }

  private live(key: string, now: number) {
    const counter = this.counters.get(key);
    if (counter && counter.resetAt <= now) {
      this.counters.delete(key);
      return undefined;
    }
    return counter;
  }

  /** Drops ended windows so that a flood of random usernames cannot grow the map forever. */
  private sweep(now: number): void {
    if (this.counters.size < 10_000) return;
    for (const [key, counter] of this.counters) {
      if (counter.resetAt <= now) this.counters.delete(key);
    }
  }
}
