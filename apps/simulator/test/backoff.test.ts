import { describe, expect, it } from 'vitest';
import { Backoff } from '../src/backoff.js';

describe('Backoff', () => {
  it('doubles from the initial delay up to the cap and starts over after reset', () => {
    const backoff = new Backoff({ initialDelayMs: 100, maxDelayMs: 500, factor: 2, jitter: 0 });
    expect([1, 2, 3, 4, 5].map(() => backoff.next())).toEqual([100, 200, 400, 500, 500]);
    backoff.reset();
    expect(backoff.next()).toBe(100);
  });

  it('spreads each delay by at most the jitter and never beyond the cap', () => {
    const backoff = new Backoff({ initialDelayMs: 1000, maxDelayMs: 1100, factor: 1, jitter: 0.25 });
    const delays = Array.from({ length: 200 }, () => backoff.next());
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(750);
    expect(Math.max(...delays)).toBeLessThanOrEqual(1100);
    expect(new Set(delays).size).toBeGreaterThan(1);
  });
});
