import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KeyedRateLimit } from '../../src/domain/keyed-rate-limit.js';
import { capPayload, MAX_LOGGED_PAYLOAD_CHARS } from '../../src/services/ocpp-log.service.js';

describe('KeyedRateLimit', () => {
  it('allows perMinute events per key at once, then refills one every 60/perMinute seconds', () => {
    let now = 0;
    const limit = new KeyedRateLimit(3, () => now);
    expect([limit.take('a'), limit.take('a'), limit.take('a'), limit.take('a')]).toEqual([
      true,
      true,
      true,
      false,
    ]);
    expect(limit.take('b')).toBe(true);
    now += 19_999;
    expect(limit.take('a')).toBe(false);
    now += 20_001;
    expect(limit.take('a')).toBe(true);
    expect(limit.take('a')).toBe(false);
  });

  it('takes a cost at once, or nothing when the bucket holds less', () => {
    let now = 0;
    const limit = new KeyedRateLimit(100, () => now);
    expect(limit.take('a', 60)).toBe(true);
    expect(limit.take('a', 60)).toBe(false);
    expect(limit.take('a', 40)).toBe(true);
    now += 30_000;
    expect(limit.take('a', 51)).toBe(false);
    expect(limit.take('a', 50)).toBe(true);
  });

  it('keeps at most maxKeys buckets, forgetting the least recently used', () => {
    const limit = new KeyedRateLimit(1, () => 0, 2);
    expect(limit.take('a')).toBe(true);
    expect(limit.take('b')).toBe(true);
    expect(limit.take('a')).toBe(false);
    expect(limit.take('c')).toBe(true); // forgets b, the least recently used
    expect(limit.take('a')).toBe(false);
    expect(limit.take('b')).toBe(true);
  });
});

describe('capPayload', () => {
  it('keeps short payloads as they are', () => {
    expect(capPayload('{"a":1}')).toBe('{"a":1}');
  });

  it('turns any long payload into valid JSON within the bound, saying how long it was', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', minLength: 0, maxLength: 200 }),
        fc.integer({ min: 1, max: 3 }),
        (piece, factor) => {
          const payload = piece.repeat(
            Math.ceil((MAX_LOGGED_PAYLOAD_CHARS * factor) / Math.max(piece.length, 1)),
          );
          const capped = capPayload(payload);
          expect(capped.length).toBeLessThanOrEqual(MAX_LOGGED_PAYLOAD_CHARS);
          if (payload.length > MAX_LOGGED_PAYLOAD_CHARS) {
            const parsed = JSON.parse(capped) as { truncated: boolean; length: number; head: string };
            expect(parsed).toMatchObject({ truncated: true, length: payload.length });
            expect(payload.startsWith(parsed.head.slice(0, -1))).toBe(true);
          }
        },
      ),
      { seed: 10, numRuns: 50 },
    );
  });
});
