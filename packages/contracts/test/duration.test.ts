import { describe, expect, it } from 'vitest';
import { parseDurationMs, type DurationSyntax } from '../src/duration.js';

const strict: DurationSyntax = {
  units: ['ms', 's', 'm', 'h'],
  bareUnit: null,
  decimals: true,
  spaced: false,
};
const seconds: DurationSyntax = { units: ['s', 'm', 'h', 'd'], bareUnit: 's', decimals: false, spaced: true };

describe('parseDurationMs', () => {
  it('reads every unit into milliseconds', () => {
    expect(
      ['500ms', '10s', '2m', '1.5h', '7d'].map((text) =>
        parseDurationMs(text, { ...strict, units: ['ms', 's', 'm', 'h', 'd'] }),
      ),
    ).toEqual([500, 10_000, 120_000, 5_400_000, 604_800_000]);
  });

  it('reads a bare number in the syntax’s unit, or only a bare 0 when it has none', () => {
    expect(parseDurationMs('3600', seconds)).toBe(3_600_000);
    expect(parseDurationMs('0', strict)).toBe(0);
    expect(parseDurationMs('10', strict)).toBeNull();
  });

  it('refuses what the syntax does not allow: other units, decimals, a space, signs', () => {
    expect(parseDurationMs('500ms', seconds)).toBeNull();
    expect(parseDurationMs('7d', strict)).toBeNull();
    expect(parseDurationMs('1.5h', seconds)).toBeNull();
    expect(parseDurationMs('8 h', strict)).toBeNull();
    expect(parseDurationMs('8 h', seconds)).toBe(28_800_000);
    expect(parseDurationMs('8 ', seconds)).toBe(8000);
    for (const text of ['-5m', '+5m', 's', '', '5 x', '5S', '1e3s'])
      expect(parseDurationMs(text, seconds)).toBeNull();
  });

  it('refuses a duration too long to count exactly in milliseconds', () => {
    expect(parseDurationMs(`${Number.MAX_SAFE_INTEGER}d`, seconds)).toBeNull();
  });
});
