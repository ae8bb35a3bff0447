import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  EARLIEST_BELIEVED_TIME,
  MAX_AHEAD_MS,
  readChargePointTime,
} from '../../src/domain/charge-point-time.js';

const RECEIVED = new Date('2026-06-01T12:00:00.000Z');

describe('readChargePointTime', () => {
  it.each([
    ['no time', undefined, '2026-06-01T12:00:00.000Z', null],
    ['a time just now', '2026-06-01T11:59:58Z', '2026-06-01T11:59:58.000Z', null],
    ['a time 15 minutes ahead', '2026-06-01T12:15:00Z', '2026-06-01T12:15:00.000Z', null],
    ['a time 15 minutes and a second ahead', '2026-06-01T12:15:01Z', '2026-06-01T12:00:00.000Z', 901],
    ['the first moment believed', '2015-01-01T00:00:00Z', '2015-01-01T00:00:00.000Z', null],
    ['a second before it', '2014-12-31T23:59:59Z', '2026-06-01T12:00:00.000Z', -360_244_801],
    ['a time with an offset', '2026-06-01T13:00:00+02:00', '2026-06-01T11:00:00.000Z', null],
    ['a leap second', '2026-05-31T23:59:60Z', '2026-06-01T12:00:00.000Z', null],
  ])('reads %s', (_case, sent, time, skewSeconds) => {
    expect(readChargePointTime(sent, RECEIVED)).toMatchObject({ time, skewSeconds });
  });

  it('keeps the time as sent, so that a retried message is recognized', () => {
    expect(readChargePointTime('9999-01-01T00:00:00Z', RECEIVED).reported).toBe('9999-01-01T00:00:00.000Z');
  });
});

describe('readChargePointTime on any time', () => {
  it('never stores a time before 2015 or more than 15 minutes after receipt', () => {
    fc.assert(
      fc.property(fc.date({ noInvalidDate: true }), (date) => {
        const read = readChargePointTime(date.toISOString(), RECEIVED);
        const at = Date.parse(read.time);
        expect(at).toBeGreaterThanOrEqual(Date.parse(EARLIEST_BELIEVED_TIME));
        expect(at).toBeLessThanOrEqual(RECEIVED.getTime() + MAX_AHEAD_MS);
        // Believed exactly when no skew is recorded.
        expect(read.skewSeconds === null).toBe(read.time === date.toISOString());
      }),
      { seed: 10, numRuns: 500 },
    );
  });
});
