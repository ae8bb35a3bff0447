import {
  countAttempt,
  liveState,
  refundAttempt,
  waitBeforeAttempt,
  type AttemptState,
  type DelayPolicy,
} from '../domain/attempt-throttle.js';

/**
 * Counts password guesses per key (an account, an address, an account from one address) under
 * the delays of `domain/attempt-throttle.ts`. An attempt is reserved (counted) before the
 * password is checked, in one atomic step over all its keys, so that concurrent guesses cannot
 * all slip past the check. In memory for one node; Redis for several (the same contract suite
 * runs against both).
 */
export interface LoginThrottle {
  /**
   * When any of `keys` must still wait at `now`, answers the longest wait in ms and counts
   * nothing; otherwise counts one attempt on every key and answers 0. Atomic.
   */
  reserve(keys: readonly ThrottleKey[], now: number): Promise<number>;
  /** The failures `key` still holds at `now` under `policy` (0 once forgotten). */
  liveAttempts(key: ThrottleKey, now: number): Promise<number>;
  /** After a right password: forgets the `forget` keys, takes one attempt back from `refund`. */
  settle(forget: readonly string[], refund: readonly string[]): Promise<void>;
  /** Marks a key (an account's known address) for `ttlMs`. */
  remember(key: string, ttlMs: number, now: number): Promise<void>;
  isRemembered(key: string, now: number): Promise<boolean>;
  close(): Promise<void>;
}

export interface ThrottleKey {
  key: string;
  policy: DelayPolicy;
  /** Counted like the others, but its wait holds nothing back. */
  countOnly?: boolean;
}

interface Entry extends AttemptState {
  forgetAfterMs: number;
}

export class MemoryLoginThrottle implements LoginThrottle {
  private readonly entries = new Map<string, Entry>();
  private readonly remembered = new Map<string, number>();

  reserve(keys: readonly ThrottleKey[], now: number): Promise<number> {
    this.sweep(now);
    let wait = 0;
    for (const { key, policy, countOnly } of keys) {
      if (!countOnly) wait = Math.max(wait, waitBeforeAttempt(this.entries.get(key), now, policy));
    }
    if (wait > 0) return Promise.resolve(wait);
    for (const { key, policy } of keys) {
      const next = countAttempt(this.entries.get(key), now, policy);
      this.entries.set(key, { ...next, forgetAfterMs: policy.forgetAfterMs });
    }
    return Promise.resolve(0);
  }

  liveAttempts({ key, policy }: ThrottleKey, now: number): Promise<number> {
    return Promise.resolve(liveState(this.entries.get(key), now, policy)?.attempts ?? 0);
  }

  settle(forget: readonly string[], refund: readonly string[]): Promise<void> {
    for (const key of forget) this.entries.delete(key);
    for (const key of refund) {
      const entry = this.entries.get(key);
      const next = refundAttempt(entry);
      if (entry && next) this.entries.set(key, { ...entry, ...next });
    }
    return Promise.resolve();
  }

  remember(key: string, ttlMs: number, now: number): Promise<void> {
    this.remembered.set(key, now + ttlMs);
    return Promise.resolve();
  }

  isRemembered(key: string, now: number): Promise<boolean> {
    return Promise.resolve((this.remembered.get(key) ?? 0) > now);
  }

  close(): Promise<void> {
    this.entries.clear();
    this.remembered.clear();
    return Promise.resolve();
  }

  /**
   * Drops forgotten keys so that a flood of random usernames cannot grow the maps forever (the
   * per-address key bounds how fast one address can add keys).
   */
  private sweep(now: number): void {
    if (this.entries.size >= 10_000) {
      for (const [key, entry] of this.entries) {
        if (now - entry.lastAt >= entry.forgetAfterMs) this.entries.delete(key);
      }
    }
    if (this.remembered.size >= 10_000) {
      for (const [key, until] of this.remembered) if (until <= now) this.remembered.delete(key);
    }
  }
}
