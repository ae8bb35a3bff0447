import type { v16 } from '@cimorings/ocpp';
import { describe, expect, it } from 'vitest';
import { ChargingProfiles } from '../src/commands/smart-charging.js';
import { ConnectorMeter } from '../src/meter.js';

const HOUR = 3_600_000;
const T0 = Date.parse('2026-01-01T00:00:00.000Z');

function profile(
  fields: Partial<v16.ChargingProfile>,
  periods: v16.ChargingSchedulePeriod[],
  unit: 'A' | 'W' = 'W',
) {
  return {
    chargingProfileId: 1,
    stackLevel: 0,
    chargingProfilePurpose: 'TxDefaultProfile',
    chargingProfileKind: 'Absolute',
    chargingSchedule: {
      startSchedule: new Date(T0).toISOString(),
      chargingRateUnit: unit,
      chargingSchedulePeriod: periods,
    },
    ...fields,
  } as v16.ChargingProfile;
}

describe('the limit a simulated connector follows', () => {
  it('is the station maximum without profiles', () => {
    expect(new ChargingProfiles().limitW(1, T0, 22_000)).toBe(22_000);
  });

  it('follows the period in force of an Absolute profile, and ends with its duration', () => {
    const profiles = new ChargingProfiles();
    const absolute = profile({}, [
      { startPeriod: 0, limit: 11_000 },
      { startPeriod: 600, limit: 7_000 },
    ]);
    absolute.chargingSchedule.duration = 1200;
    profiles.install(1, absolute);
    expect(profiles.limitW(1, T0 + 1000, 22_000)).toBe(11_000);
    expect(profiles.limitW(1, T0 + 600_000, 22_000)).toBe(7_000);
    expect(profiles.limitW(1, T0 + 1_200_000, 22_000)).toBe(22_000);
  });

  it('counts a Relative TxProfile from the session start, converts amperes and lets a TxProfile win', () => {
    const profiles = new ChargingProfiles();
    profiles.install(1, profile({}, [{ startPeriod: 0, limit: 11_000 }]));
    const tx = profile(
      { chargingProfileId: 2, chargingProfilePurpose: 'TxProfile', chargingProfileKind: 'Relative' },
      [
        { startPeriod: 0, limit: 16 },
        { startPeriod: 60, limit: 0 },
      ],
      'A',
    );
    delete tx.chargingSchedule.startSchedule;
    profiles.install(1, tx);
    const start = new Date(T0).toISOString();
    expect(profiles.limitW(1, T0 + 10_000, 22_000, start)).toBeCloseTo(16 * 230 * 3);
    expect(profiles.limitW(1, T0 + 61_000, 22_000, start)).toBe(0);
  });

  it('repeats a Daily Recurring profile and caps every connector at the ChargePointMaxProfile', () => {
    const profiles = new ChargingProfiles();
    const daily = profile({ chargingProfileKind: 'Recurring', recurrencyKind: 'Daily' }, [
      { startPeriod: 0, limit: 20_000 },
      { startPeriod: 17 * 3600, limit: 5_000 },
    ]);
    profiles.install(1, daily);
    expect(profiles.limitW(1, T0 + 3 * 24 * HOUR + 18 * HOUR, 22_000)).toBe(5_000);
    expect(profiles.limitW(1, T0 + 3 * 24 * HOUR + 2 * HOUR, 22_000)).toBe(20_000);
    profiles.install(
      0,
      profile({ chargingProfileId: 3, chargingProfilePurpose: 'ChargePointMaxProfile' }, [
        { startPeriod: 0, limit: 9_000 },
      ]),
    );
    expect(profiles.limitW(1, T0 + 3 * 24 * HOUR + 2 * HOUR, 22_000)).toBe(9_000);
  });

  it('makes the meter draw no more than the limit, and nothing while it is 0', () => {
    let limit = 4_000;
    const meter = new ConnectorMeter(22_000, 100_000, 0);
    meter.limitBy(() => limit);
    meter.startCharging(20, 0);
    expect(meter.read(HOUR)).toMatchObject({ powerW: 4_000, energyWh: 4_000 });
    limit = 0;
    expect(meter.read(2 * HOUR)).toMatchObject({ powerW: 0 });
    expect(meter.read(3 * HOUR).energyWh).toBe(4_000);
  });
});
