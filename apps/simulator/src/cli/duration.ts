import { parseDurationMs, type DurationSyntax } from '@cimorings/contracts';

/** `500ms`, `10s`, `2m`, `1.5h` or `0`: a unit is required for anything but 0. */
const CLI_DURATION: DurationSyntax = {
  units: ['ms', 's', 'm', 'h'],
  bareUnit: null,
  decimals: true,
  spaced: false,
};

/**
 * Parses a command-line duration like `500ms`, `10s`, `2m`, `1.5h` or `0` into milliseconds. A
 * unit is required for anything but 0, because a bare `10` could mean seconds or milliseconds.
 * Throws a `RangeError` naming the bad text.
 */
export function parseCliDuration(text: string): number {
  const ms = parseDurationMs(text, CLI_DURATION);
  if (ms === null) throw new RangeError(`Not a duration: "${text}" (use e.g. 500ms, 10s, 2m, 1h)`);
  return ms;
}
