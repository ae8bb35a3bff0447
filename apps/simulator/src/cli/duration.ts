const UNITS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/**
 * Parses a duration like `500ms`, `10s`, `2m`, `1.5h` or `0` into milliseconds. A unit is
 * required for anything but 0, because a bare `10` could mean seconds or milliseconds.
 * Throws a `RangeError` naming the bad text.
 */
export function parseDuration(text: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  const amount = Number(match?.[1]);
  const unit = match?.[2];
  if (!match || (unit === undefined && amount !== 0)) {
    throw new RangeError(`Not a duration: "${text}" (use e.g. 500ms, 10s, 2m, 1h)`);
  }
  return Math.round(amount * (unit ? (UNITS[unit] ?? 1) : 1));
}
