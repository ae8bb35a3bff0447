import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decideIdTag, type IdTagRecord } from '../../src/domain/id-tag.js';
import { normalizeSample, summarize } from '../../src/domain/meter.js';
import { energyDelivered } from '../../src/domain/transaction.js';
import { deriveStationStatus } from '../../src/domain/station-status.js';

describe('station status from connector statuses', () => {
  it.each([
    [['Available', 'Available', 'Faulted'], 'Faulted'],
    [['Faulted', 'Charging'], 'Faulted'],
    [['Available', 'Charging'], 'Occupied'],
    [['Available', 'Preparing'], 'Occupied'],
    [['Available', 'SuspendedEV'], 'Occupied'],
    [['Available', 'SuspendedEVSE'], 'Occupied'],
    [['Available', 'Finishing'], 'Occupied'],
    [['Reserved', 'Available'], 'Reserved'],
    [['Reserved', 'Charging'], 'Occupied'],
    [['Unavailable', 'Available'], 'Available'],
    [['Unavailable', 'Unavailable'], 'Unavailable'],
    [[], 'Unavailable'],
  ])('%j gives %s', (statuses, expected) => {
    expect(deriveStationStatus(statuses)).toBe(expected);
  });

  it('is Unavailable while the station is not connected', () => {
    expect(deriveStationStatus(['Charging'], false)).toBe('Unavailable');
  });
});

describe('meter value units', () => {
  it.each([
    [{ value: '12.5', unit: 'kWh' }, 'Energy.Active.Import.Register', 12500, 'Wh'],
    [{ value: '12500' }, 'Energy.Active.Import.Register', 12500, 'Wh'],
    [
      { value: '0.1', unit: 'kWh', measurand: 'Energy.Active.Import.Register' },
      'Energy.Active.Import.Register',
      100,
      'Wh',
    ],
    [{ value: '7400', unit: 'W', measurand: 'Power.Active.Import' }, 'Power.Active.Import', 7.4, 'kW'],
    [{ value: '22', unit: 'kW', measurand: 'Power.Active.Import' }, 'Power.Active.Import', 22, 'kW'],
    [{ value: '80', unit: 'Percent', measurand: 'SoC' }, 'SoC', 80, 'Percent'],
    [{ value: '230.1', unit: 'V', measurand: 'Voltage' }, 'Voltage', 230.1, 'V'],
  ])('normalizes %j', (input, measurand, value, unit) => {
    expect(normalizeSample(input)).toMatchObject({ measurand, value, unit });
  });

  it('skips signed values and refuses values that are not numbers', () => {
    expect(normalizeSample({ value: 'AB12CD', format: 'SignedData' })).toBeNull();
    expect(() => normalizeSample({ value: 'many' })).toThrow(RangeError);
    expect(() => normalizeSample({ value: '' })).toThrow(RangeError);
  });

  it.each([
    { value: '1e308', unit: 'kWh' },
    { value: 'Infinity' },
    { value: '0x1F' },
    { value: '-1' },
    { value: '250', measurand: 'SoC', unit: 'Percent' },
    { value: '-99999', measurand: 'Power.Active.Import', unit: 'kW' },
    { value: '1.5', measurand: 'Power.Factor' },
    { value: '-300', measurand: 'Temperature', unit: 'Celsius' },
  ])('refuses the physically implausible %j', (input) => {
    expect(() => normalizeSample(input)).toThrow(RangeError);
  });

  it('reads any value as a finite, plausible number or refuses it with a RangeError', () => {
    const measurands = [
      'Energy.Active.Import.Register',
      'Power.Active.Import',
      'SoC',
      'Current.Import',
      'Voltage',
    ];
    const units = [undefined, 'Wh', 'kWh', 'W', 'kW', 'A', 'V', 'Percent'];
    const value = fc.oneof(
      fc.string(),
      fc.double().map(String),
      fc.constantFrom('1e308', '-1e308', 'Infinity', 'NaN', '0x10', '1e-400', '-0'),
    );
    fc.assert(
      fc.property(
        value,
        fc.constantFrom(...measurands),
        fc.constantFrom(...units),
        (raw, measurand, unit) => {
          let sample: ReturnType<typeof normalizeSample>;
          try {
            sample = normalizeSample({ value: raw, measurand, ...(unit && { unit }) });
          } catch (error) {
            expect(error).toBeInstanceOf(RangeError);
            return;
          }
          if (sample === null) return;
          expect(Number.isFinite(sample.value)).toBe(true);
          expect(Math.abs(sample.value)).toBeLessThanOrEqual(1e12);
        },
      ),
      { seed: 7, numRuns: 1000 },
    );
  });

  it.each([
    [null, null, null],
    [100, null, null],
    [100, 350, 250],
    [5000, 1200, 0],
    [-1.7e308, 1.7e308, null],
    [0, Infinity, null],
    [Number.NaN, 10, null],
  ])('derives energyDelivered from meterStart %d and meterStop %d as %d', (start, stop, expected) => {
    expect(energyDelivered(start, stop)).toBe(expected);
  });

  it('summarizes energy, power and SoC, summing per-phase power and leaving absent ones null', () => {
    const samples = [
      normalizeSample({ value: '5', unit: 'kWh' }),
      normalizeSample({ value: '3000', unit: 'W', measurand: 'Power.Active.Import', phase: 'L1' }),
      normalizeSample({ value: '3000', unit: 'W', measurand: 'Power.Active.Import', phase: 'L2' }),
    ].filter((s) => s !== null);
    expect(summarize(samples)).toEqual({ energy: 5000, power: 6, soc: null });
    expect(summarize([])).toEqual({ energy: null, power: null, soc: null });
    const fromEv = [
      normalizeSample({ value: '64', unit: 'Percent', measurand: 'SoC', location: 'EV' }),
      normalizeSample({ value: '900', unit: 'Wh', location: 'Inlet' }),
      normalizeSample({ value: '800', unit: 'Wh', location: 'Outlet' }),
    ].filter((s) => s !== null);
    expect(summarize(fromEv)).toEqual({ energy: 800, power: null, soc: 64 });
  });
});

describe('id tag decisions', () => {
  const now = new Date('2026-01-11T14:30:00.000Z');
  const tag = (fields: Partial<IdTagRecord>): IdTagRecord => ({
    idTag: 'T',
    status: 'Accepted',
    expiryDate: null,
    parentIdTag: null,
    allowConcurrent: false,
    ...fields,
  });

  it.each([
    ['unknown', undefined, 0, true, 'Invalid'],
    ['accepted', tag({}), 0, true, 'Accepted'],
    ['blocked', tag({ status: 'Blocked' }), 0, true, 'Blocked'],
    ['marked expired', tag({ status: 'Expired' }), 0, true, 'Expired'],
    ['past its expiry', tag({ expiryDate: '2026-01-11T14:29:59.000Z' }), 0, true, 'Expired'],
    ['before its expiry', tag({ expiryDate: '2026-01-11T14:30:01.000Z' }), 0, true, 'Accepted'],
    ['busy, starting', tag({}), 1, true, 'ConcurrentTx'],
    ['busy, authorizing', tag({}), 1, false, 'Accepted'],
    ['busy but allowed several', tag({ allowConcurrent: true }), 3, true, 'Accepted'],
    ['blocked and busy', tag({ status: 'Blocked' }), 1, true, 'Blocked'],
  ])('a tag %s gets %s', (_case, record, active, starting, expected) => {
    expect(decideIdTag(record, now, active, starting).status).toBe(expected);
  });

  it('carries the expiry date and parent tag', () => {
    expect(
      decideIdTag(tag({ parentIdTag: 'P', expiryDate: '2030-01-01T00:00:00.000Z' }), now, 0, true),
    ).toEqual({
      status: 'Accepted',
      parentIdTag: 'P',
      expiryDate: '2030-01-01T00:00:00.000Z',
    });
  });
});
