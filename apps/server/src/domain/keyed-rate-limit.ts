/**
 * A token bucket per key (a source address, say): `perMinute` events a minute, in bursts of up to
 * `perMinute`, refilled evenly. Keeps at most `maxKeys` buckets, forgetting the least recently
 * used, so that a flood of distinct keys cannot grow it without bound (a forgotten key starts
 * again with a full bucket, which only ever errs towards letting a client in).
 */
export class KeyedRateLimit {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  /** @param now epoch milliseconds */
  constructor(
    private readonly perMinute: number,
    private readonly now: () => number,
    private readonly maxKeys = 10_000,
  ) {}

  /**
   * Takes `cost` events for `key` (one by default; bytes, say, for a budget of bytes): false,
   * taking nothing, when its bucket holds fewer.
   */
  take(key: string, cost = 1): boolean {
    const now = this.now();
    const bucket = this.buckets.get(key);
    const refill = bucket ? (Math.max(0, now - bucket.at) / 60_000) * this.perMinute : this.perMinute;
    const tokens = Math.min(this.perMinute, (bucket?.tokens ?? 0) + refill);
    // Re-inserted so that the map's order is least recently used first.
    this.buckets.delete(key);
    this.buckets.set(key, { tokens: tokens >= cost ? tokens - cost : tokens, at: now });
    if (this.buckets.size > this.maxKeys) {
      const oldest = this.buckets.keys().next().value;
      if (oldest !== undefined) this.buckets.delete(oldest);
    }
    return tokens >= cost;
  }
}
