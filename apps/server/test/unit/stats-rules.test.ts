import { describe, expect, it } from 'vitest';
import { countByStatus, energyPeriods } from '../../src/domain/stats.js';

describe('dashboard statistics rules', () => {
  it.each([
    [
      '2026-01-11T14:30:00.000Z',
      '2026-01-11T00:00:00.000Z',
      '2026-01-12T00:00:00.000Z',
      '2026-01-01T00:00:00.000Z',
      '2026-02-01T00:00:00.000Z',
    ],
    [
      '2025-12-31T23:59:59.999Z',
      '2025-12-31T00:00:00.000Z',
      '2026-01-01T00:00:00.000Z',
      '2025-12-01T00:00:00.000Z',
      '2026-01-01T00:00:00.000Z',
    ],
    [
      '2028-02-29T00:00:00.000Z',
      '2028-02-29T00:00:00.000Z',
      '2028-03-01T00:00:00.000Z',
      '2028-02-01T00:00:00.000Z',
      '2028-03-01T00:00:00.000Z',
    ],
  ])('at %s: today [%s, %s), this month [%s, %s), UTC', (now, dayFrom, dayTo, monthFrom, monthTo) => {
    expect(energyPeriods(new Date(now))).toEqual({
      today: { from: dayFrom, to: dayTo },
      month: { from: monthFrom, to: monthTo },
    });
  });

  it('counts every status, zero when none, and adds up groups of one status', () => {
    expect(
      countByStatus([
        { status: 'Available', count: 2 },
        { status: 'Available', count: 3 },
        { status: 'Faulted', count: 1 },
        { status: 'Bogus', count: 9 },
      ]),
    ).toEqual({ Available: 5, Occupied: 0, Reserved: 0, Unavailable: 0, Faulted: 1 });
  });
});
