import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  allocate,
  electricalA,
  electricalKw,
  type AllocationSettings,
  type SessionLoad,
} from '../../src/domain/load-allocation.js';

const EPSILON = 1e-6;
const START = Date.UTC(2026, 0, 1);

const sessionArb = (key: number) =>
  fc.record({
    key: fc.constant(key),
    arrivedAt: fc.integer({ min: 0, max: 3_600 }).map((s) => new Date(START + s * 1000).toISOString()),
    maxKw: fc.double({ min: 1, max: 150, noNaN: true }),
    measuredKw: fc.option(fc.double({ min: 0, max: 150, noNaN: true }), { nil: null }),
    previousKw: fc.option(fc.double({ min: 0, max: 150, noNaN: true }), { nil: null }),
    heldKw: fc.constant<number | null>(null),
  });
const sessionsArb = (refusals: boolean) =>
  fc
    .integer({ min: 0, max: 25 })
    .chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => sessionArb(i + 1))))
    .chain((sessions) =>
      refusals
        ? fc
            .array(fc.boolean(), { minLength: sessions.length, maxLength: sessions.length })
            .map((flags) =>
              sessions.map((s, i) => ({ ...s, heldKw: (flags[i] ?? false) && i % 4 === 0 ? s.maxKw : null })),
            )
        : fc.constant(sessions),
    );
const settingsArb: fc.Arbitrary<AllocationSettings> = fc.record({
  limitKw: fc.double({ min: 0, max: 500, noNaN: true }),
  minKw: fc.constantFrom(1.38, 4.14, 6.9),
  headroomKw: fc.constantFrom(1, 2, 5),
  hysteresisKw: fc.constantFrom(0, 0.5, 1),
});

const sum = (values: readonly number[]) => values.reduce((total, v) => total + v, 0);

describe('sharing a site limit among sessions', () => {
  it('never gives more than the limit in all (beyond what sessions out of our hands take by themselves)', () => {
    fc.assert(
      fc.property(sessionsArb(true), settingsArb, (sessions, settings) => {
        const limits = allocate(sessions, settings);
        const heldKw = sum(sessions.map((s) => s.heldKw ?? 0));
        expect(sum(limits.map((l) => l.limitKw))).toBeLessThanOrEqual(
          Math.max(settings.limitKw, heldKw) + EPSILON,
        );
      }),
      { numRuns: 500 },
    );
  });

  it('gives every unpaused session its minimum (or its station maximum when lower) and never above that maximum', () => {
    fc.assert(
      fc.property(sessionsArb(false), settingsArb, (sessions, settings) => {
        for (const limit of allocate(sessions, settings)) {
          const session = sessions.find((s) => s.key === limit.key)!;
          if (limit.paused) {
            expect(limit.limitKw).toBe(0);
            continue;
          }
          expect(limit.limitKw).toBeGreaterThanOrEqual(
            Math.min(settings.minKw, session.maxKw) - 0.01 - EPSILON,
          );
          expect(limit.limitKw).toBeLessThanOrEqual(session.maxKw + EPSILON);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('pauses the latest arrivals: nobody paused arrived before somebody served', () => {
    fc.assert(
      fc.property(sessionsArb(false), settingsArb, (sessions, settings) => {
        const limits = allocate(sessions, settings);
        const arrival = (key: number) => sessions.find((s) => s.key === key)!;
        const order = (s: SessionLoad) => [s.arrivedAt, s.key] as const;
        const served = limits.filter((l) => !l.paused).map((l) => order(arrival(l.key)));
        const paused = limits.filter((l) => l.paused).map((l) => order(arrival(l.key)));
        for (const p of paused) {
          for (const s of served) expect(p[0] > s[0] || (p[0] === s[0] && p[1] > s[1])).toBe(true);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('pauses only when the minimums do not fit', () => {
    fc.assert(
      fc.property(sessionsArb(false), settingsArb, (sessions, settings) => {
        const floors = sum(sessions.map((s) => Math.floor(Math.min(settings.minKw, s.maxKw) * 100) / 100));
        if (floors > settings.limitKw) return;
        expect(allocate(sessions, settings).every((l) => !l.paused)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('gives the same answer to the same input, and the same again once its answer is the previous limit', () => {
    fc.assert(
      fc.property(sessionsArb(true), settingsArb, (sessions, settings) => {
        const first = allocate(sessions, settings);
        expect(allocate(sessions, settings)).toEqual(first);
        const fedBack = sessions.map((s) => ({
          ...s,
          previousKw: first.find((l) => l.key === s.key)!.limitKw,
        }));
        expect(allocate(fedBack, settings)).toEqual(first);
      }),
      { numRuns: 500 },
    );
  });

  it('shares equally when nobody is held back by its station or its draw', () => {
    const sessions = [1, 2, 3, 4].map((key) => session(key, { maxKw: 50 }));
    const limits = allocate(sessions, settings({ limitKw: 100 }));
    expect(limits.map((l) => l.limitKw)).toEqual([25, 25, 25, 25]);
  });

  it('gives what a session does not draw to the others', () => {
    const sessions = [
      session(1, { maxKw: 50, measuredKw: 3 }),
      session(2, { maxKw: 50 }),
      session(3, { maxKw: 50 }),
    ];
    const limits = allocate(sessions, settings({ limitKw: 60, headroomKw: 2 }));
    expect(limits.map((l) => l.limitKw)).toEqual([5, 27.5, 27.5]);
  });

  it('pauses the last arrivals when the minimums do not fit, and resumes them in arrival order', () => {
    const sessions = [1, 2, 3, 4, 5].map((key) => session(key, { maxKw: 22 }));
    const tight = allocate(sessions, settings({ limitKw: 14, minKw: 4.14 }));
    expect(tight.map((l) => l.paused)).toEqual([false, false, false, true, true]);
    const roomier = allocate(sessions, settings({ limitKw: 17, minKw: 4.14 }));
    expect(roomier.map((l) => l.paused)).toEqual([false, false, false, false, true]);
  });

  it('keeps a previous limit that is close enough, so that small changes send nothing', () => {
    const others = [session(2, { maxKw: 50 }), session(3, { maxKw: 50 })];
    const lower = allocate(
      [session(1, { maxKw: 50, previousKw: 33 }), ...others],
      settings({ hysteresisKw: 1 }),
    );
    expect(lower[0]?.limitKw).toBe(33);
    expect(sum(lower.map((l) => l.limitKw))).toBeLessThanOrEqual(100);
    // Keeping 33.5 would take the sum over the limit: the new share applies.
    const higher = allocate(
      [session(1, { maxKw: 50, previousKw: 33.5 }), ...others],
      settings({ hysteresisKw: 1 }),
    );
    expect(higher[0]?.limitKw).toBe(33.33);
    const far = allocate(
      [session(1, { maxKw: 50, previousKw: 20 }), ...others],
      settings({ hysteresisKw: 1 }),
    );
    expect(far[0]?.limitKw).toBe(33.33);
  });

  it('counts a refusing station at its maximum', () => {
    const sessions = [session(1, { maxKw: 22, heldKw: 22 }), session(2, { maxKw: 50 })];
    expect(allocate(sessions, settings({ limitKw: 40 })).map((l) => l.limitKw)).toEqual([22, 18]);
  });

  it('converts current to power and back', () => {
    expect(electricalKw(16, { phases: 3, voltage: 230 })).toBeCloseTo(11.04);
    expect(electricalKw(32, { phases: 1, voltage: 230 })).toBeCloseTo(7.36);
    expect(electricalA(11.04, { phases: 3, voltage: 230 })).toBeCloseTo(16);
  });
});

function session(key: number, fields: Partial<SessionLoad>): SessionLoad {
  return {
    key,
    arrivedAt: new Date(START + key * 1000).toISOString(),
    maxKw: 22,
    measuredKw: null,
    previousKw: null,
    heldKw: null,
    ...fields,
  };
}

function settings(fields: Partial<AllocationSettings>): AllocationSettings {
  return { limitKw: 100, minKw: 4.14, headroomKw: 2, hysteresisKw: 0, ...fields };
}
