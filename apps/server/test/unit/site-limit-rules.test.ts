import { describe, expect, it } from 'vitest';
import { isTimeZone, limitInForce, scheduleProblems, type SiteLimit } from '../../src/domain/site-limit.js';

const site = (fields: Partial<SiteLimit>): SiteLimit => ({
  timeZone: 'Asia/Jakarta',
  maxPowerKw: 100,
  maxCurrentA: null,
  phases: 3,
  voltage: 230,
  minCurrentA: 6,
  limitSchedule: null,
  ...fields,
});
/** An instant at HH:MM in Jakarta (UTC+7, no daylight saving time). */
const jakarta = (time: string) => new Date(`2026-03-10T${time}:00+07:00`);

describe('the limit in force at a site', () => {
  const evening = site({ limitSchedule: [{ from: '17:00', to: '22:00', maxPowerKw: 50 }] });

  it.each([
    ['16:59', 100],
    ['17:00', 50],
    ['21:59', 50],
    ['22:00', 100],
  ])('at %s in the site time zone is %s kW', (time, kw) => {
    expect(limitInForce(evening, jakarta(time))).toBe(kw);
  });

  it('runs a window over midnight when from is after to', () => {
    const night = site({ limitSchedule: [{ from: '23:00', to: '05:00', maxPowerKw: 30 }] });
    expect(limitInForce(night, jakarta('23:30'))).toBe(30);
    expect(limitInForce(night, jakarta('04:59'))).toBe(30);
    expect(limitInForce(night, jakarta('05:00'))).toBe(100);
  });

  it('reads the schedule in the site time zone', () => {
    const tokyo = site({
      timeZone: 'Asia/Tokyo',
      limitSchedule: [{ from: '17:00', to: '22:00', maxPowerKw: 50 }],
    });
    expect(limitInForce(tokyo, new Date('2026-03-10T17:30:00+09:00'))).toBe(50);
    // 21:30 in Jakarta, inside the window there, is 23:30 in Tokyo.
    expect(limitInForce(tokyo, new Date('2026-03-10T21:30:00+07:00'))).toBe(100);
  });

  it('takes the tighter of power and current, and none without either', () => {
    expect(limitInForce(site({ maxCurrentA: 100 }), jakarta('10:00'))).toBeCloseTo(69);
    expect(limitInForce(site({ maxCurrentA: 100, phases: 1 }), jakarta('10:00'))).toBeCloseTo(23);
    expect(limitInForce(site({ maxPowerKw: null, maxCurrentA: null }), jakarta('10:00'))).toBeNull();
    const scheduleOnly = site({
      maxPowerKw: null,
      limitSchedule: [{ from: '00:00', to: '01:00', maxPowerKw: 9 }],
    });
    expect(limitInForce(scheduleOnly, jakarta('00:30'))).toBe(9);
    expect(limitInForce(scheduleOnly, jakarta('02:00'))).toBeNull();
  });
});

describe('a limit schedule', () => {
  it('accepts windows that touch but do not overlap', () => {
    expect(
      scheduleProblems([
        { from: '17:00', to: '22:00', maxPowerKw: 50 },
        { from: '22:00', to: '06:00', maxPowerKw: 80 },
      ]),
    ).toEqual([]);
  });

  it.each([
    [
      [
        { from: '17:00', to: '22:00', maxPowerKw: 1 },
        { from: '21:00', to: '23:00', maxPowerKw: 1 },
      ],
      'overlap',
    ],
    [
      [
        { from: '22:00', to: '06:00', maxPowerKw: 1 },
        { from: '05:00', to: '07:00', maxPowerKw: 1 },
      ],
      'overlap',
    ],
    [
      [
        { from: '10:00', to: '10:00', maxPowerKw: 1 },
        { from: '05:00', to: '07:00', maxPowerKw: 1 },
      ],
      'overlap',
    ],
    [[{ from: '24:00', to: '06:00', maxPowerKw: 1 }], 'HH:MM'],
    [[{ from: '7:00', to: '08:00', maxPowerKw: 1 }], 'HH:MM'],
    [[{ from: '07:00', to: '08:60', maxPowerKw: 1 }], 'HH:MM'],
    [[{ from: '07:00', to: '08:00', maxPowerKw: -1 }], 'negative'],
  ])('refuses %j (%s)', (schedule, problem) => {
    expect(scheduleProblems(schedule).join()).toContain(problem);
  });
});

describe('time zone names', () => {
  it('knows IANA names and refuses others', () => {
    expect(isTimeZone('Asia/Jakarta')).toBe(true);
    expect(isTimeZone('Asia/Makassar')).toBe(true);
    expect(isTimeZone('Mars/Olympus')).toBe(false);
  });
});
