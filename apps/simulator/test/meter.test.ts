import { describe, expect, it } from 'vitest';
import { ConnectorMeter, toMeterValue } from '../src/meter.js';

const HOUR = 3_600_000;

describe('ConnectorMeter', () => {
  it('adds power × time to the register and raises the SoC by the share of the battery filled', () => {
    const meter = new ConnectorMeter(11_000, 55_000, 1000);
    meter.startCharging(20, 0);
    const reading = meter.read(HOUR);

    expect(reading.energyWh).toBeCloseTo(1000 + 11_000, 6);
    expect(reading.soc).toBeCloseTo(40, 6);
    expect(reading.powerW).toBe(11_000);
  });

  it('draws less power above 80 % and stops at exactly 100 % without overshooting the register', () => {
    const meter = new ConnectorMeter(100_000, 10_000, 0);
    meter.startCharging(79, 0);
    meter.read(HOUR / 1000);
    const tapering = meter.read(HOUR / 1000 + 1);
    expect(tapering.soc).toBeGreaterThan(80);
    expect(tapering.powerW).toBeLessThan(100_000);

    const full = meter.read(10 * HOUR);
    expect(full.soc).toBe(100);
    expect(full.powerW).toBe(0);
    expect(full.energyWh).toBeCloseTo(2100, 6);
    expect(meter.isFull).toBe(true);
  });

  it('keeps the register between sessions and forgets the EV when it is unplugged', () => {
    const meter = new ConnectorMeter(7200, 50_000, 0);
    meter.startCharging(50, 0);
    const end = meter.stopCharging(HOUR / 2);

    expect(end.energyWh).toBeCloseTo(3600, 6);
    expect(end.powerW).toBe(0);
    expect(meter.read(HOUR)).toEqual({ energyWh: end.energyWh, powerW: 0, soc: undefined });
    expect(meter.registerWh(HOUR)).toBe(3600);
  });

  it('turns a reading into sampled values with units, context and location', () => {
    const value = toMeterValue({ energyWh: 1234.6, powerW: 7399.7, soc: 55.55 }, 'Sample.Periodic', 'T', [
      'Energy.Active.Import.Register',
      'Power.Active.Import',
      'SoC',
    ]);
    expect(value).toEqual({
      timestamp: 'T',
      sampledValue: [
        {
          value: '1235',
          context: 'Sample.Periodic',
          measurand: 'Energy.Active.Import.Register',
          location: 'Outlet',
          unit: 'Wh',
        },
        {
          value: '7400',
          context: 'Sample.Periodic',
          measurand: 'Power.Active.Import',
          location: 'Outlet',
          unit: 'W',
        },
        { value: '55.6', context: 'Sample.Periodic', measurand: 'SoC', location: 'EV', unit: 'Percent' },
      ],
    });
    expect(
      toMeterValue({ energyWh: 1, powerW: 0, soc: undefined }, 'Trigger', 'T', ['SoC']).sampledValue,
    ).toEqual([]);
  });
});
