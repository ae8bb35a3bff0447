/**
 * A token bucket per socket: `ratePerSecond` sustained with bursts up to `burst`. A socket
 * refused more than `maxRefusals` times within `refusalWindowMs` is abusive and is cut off.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;
  private refusals: number[] = [];

  constructor(
    private readonly settings: {
      ratePerSecond: number;
      burst: number;
      maxRefusals: number;
      refusalWindowMs: number;
    },
    private readonly now: () => number = Date.now,
  ) {
    this.tokens = settings.burst;
    this.last = now();
  }

  /** Takes a token: `allowed` false when the bucket is empty, `abusive` when refusals pile up. */
  take(): { allowed: boolean; abusive: boolean } {
    const now = this.now();
    this.tokens = Math.min(
      this.settings.burst,
      this.tokens + ((now - this.last) / 1000) * this.settings.ratePerSecond,
    );
    this.last = now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return { allowed: true, abusive: false };
    }
    this.refusals = this.refusals.filter((time) => time > now - this.settings.refusalWindowMs);
    this.refusals.push(now);
    return { allowed: false, abusive: this.refusals.length > this.settings.maxRefusals };
  }
}
