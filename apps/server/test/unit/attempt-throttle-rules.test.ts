import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  countAttempt,
  delayAfter,
  guessSource,
  PASSWORD_GUESS_POLICY,
  refundAttempt,
  waitBeforeAttempt,
  type AttemptState,
  type DelayPolicy,
} from '../../src/domain/attempt-throttle.js';

const policy: DelayPolicy = {
  freeAttempts: 5,
  baseDelayMs: 1000,
  maxDelayMs: 900_000,
  forgetAfterMs: 86_400_000,
};
const policies = fc.record({
  freeAttempts: fc.integer({ min: 0, max: 50 }),
  baseDelayMs: fc.integer({ min: 1, max: 60_000 }),
  maxDelayMs: fc.integer({ min: 1, max: 3_600_000 }),
  forgetAfterMs: fc.integer({ min: 1, max: 86_400_000 }),
});

describe('password guess delays', () => {
  it.each([
    [0, 0],
    [4, 0],
    [5, 1000],
    [6, 2000],
    [7, 4000],
    [14, 512_000],
    [15, 900_000],
    [1000, 900_000],
    [Number.MAX_SAFE_INTEGER, 900_000],
  ])('after %i attempts the next one waits %i ms', (attempts, delay) => {
    expect(delayAfter(attempts, policy)).toBe(delay);
  });

  it.each<[string, AttemptState | undefined, number, number]>([
    ['a fresh key', undefined, 0, 0],
    ['within the free attempts', { attempts: 4, lastAt: 0 }, 0, 0],
    ['right after the free attempts', { attempts: 5, lastAt: 0 }, 0, 1000],
    ['part of the delay passed', { attempts: 6, lastAt: 0 }, 1500, 500],
    ['the delay passed', { attempts: 6, lastAt: 0 }, 2000, 0],
    ['a forgotten key', { attempts: 99, lastAt: 0 }, 86_400_000, 0],
  ])('%s waits as the table says', (_case, state, now, wait) => {
    expect(waitBeforeAttempt(state, now, policy)).toBe(wait);
  });

  it('counts from scratch once forgotten, and refunds down to zero only', () => {
    expect(countAttempt({ attempts: 9, lastAt: 0 }, 86_400_000, policy)).toEqual({
      attempts: 1,
      lastAt: 86_400_000,
    });
    expect(countAttempt({ attempts: 9, lastAt: 0 }, 10, policy)).toEqual({ attempts: 10, lastAt: 10 });
    expect(refundAttempt({ attempts: 0, lastAt: 5 })).toEqual({ attempts: 0, lastAt: 5 });
    expect(refundAttempt(undefined)).toBeUndefined();
  });

  it('never asks more than the cap, and never a negative or endless wait', () => {
    fc.assert(
      fc.property(policies, fc.nat(), fc.nat(), fc.nat(), (p, attempts, lastAt, later) => {
        const wait = waitBeforeAttempt({ attempts, lastAt }, lastAt + later, p);
        expect(wait).toBeGreaterThanOrEqual(0);
        expect(wait).toBeLessThanOrEqual(p.maxDelayMs);
        expect(Number.isFinite(wait)).toBe(true);
      }),
    );
  });

  it('never shortens the delay as failures grow', () => {
    fc.assert(
      fc.property(policies, fc.nat({ max: 10_000 }), (p, attempts) => {
        expect(delayAfter(attempts + 1, p)).toBeGreaterThanOrEqual(delayAfter(attempts, p));
      }),
    );
  });

  it('lets a guesser that always waits its turn through at most one guess per capped delay in the long run', () => {
    // Guesses from one address on one account over a day, each made as soon as allowed.
    const p = PASSWORD_GUESS_POLICY.accountFromSource;
    let state: AttemptState | undefined;
    let now = 0;
    let guesses = 0;
    while (now < 86_400_000) {
      now += waitBeforeAttempt(state, now, p);
      state = countAttempt(state, now, p);
      guesses += 1;
    }
    expect(guesses).toBeLessThan(5 + 10 + 86_400_000 / p.maxDelayMs + 1);
  });

  it('keeps the account-wide delay short enough that its owner is never kept out for long', () => {
    expect(PASSWORD_GUESS_POLICY.account.maxDelayMs).toBeLessThanOrEqual(60_000);
    fc.assert(
      fc.property(fc.nat({ max: 1_000_000 }), fc.nat(), (attempts, lastAt) => {
        expect(
          waitBeforeAttempt({ attempts, lastAt }, lastAt, PASSWORD_GUESS_POLICY.account),
        ).toBeLessThanOrEqual(60_000);
      }),
    );
  });
});

describe('the source a password guess is counted against', () => {
  it.each([
    ['10.0.0.1', '10.0.0.1'],
    ['::ffff:10.0.0.1', '10.0.0.1'],
    ['::FFFF:a00:1', '10.0.0.1'],
    ['2001:db8:1:2::5', '2001:db8:1:2::/64'],
    ['2001:DB8:1:2:aaaa:bbbb:cccc:dddd', '2001:db8:1:2::/64'],
    ['2001:db8:1:2:0:0:0:1', '2001:db8:1:2::/64'],
    ['fe80::1%eth0', 'fe80:0:0:0::/64'],
    ['unknown', 'unknown'],
    ['1:2:3:4:5:6:7:8:9', '1:2:3:4:5:6:7:8:9'],
  ])('counts %s as %s', (address, source) => {
    expect(guessSource(address)).toBe(source);
  });
});
