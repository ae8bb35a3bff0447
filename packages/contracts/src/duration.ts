/** The units a duration may name, in milliseconds. */
export const DURATION_UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

export type DurationUnit = keyof typeof DURATION_UNIT_MS;

/** What one reader of durations accepts (each keeps the syntax its users know). */
export interface DurationSyntax {
  /** The units the text may name. */
  units: readonly DurationUnit[];
  /** The unit of a number written without one; `null`: only a bare 0 is read (`10` is ambiguous). */
  bareUnit: DurationUnit | null;
  /** Whether the amount may have decimals (`1.5h`). */
  decimals: boolean;
  /** Whether a space may stand between the amount and its unit (`8 h`). */
  spaced: boolean;
}

/**
 * Reads a duration such as `500ms`, `90s`, `30m`, `1.5h` or `7d` into milliseconds (rounded to
 * whole ones); `null` when the text does not follow `syntax` or the result is not a safe integer.
 * Amounts are never negative; surrounding whitespace is ignored.
 */
export function parseDurationMs(text: string, syntax: DurationSyntax): number | null {
  const match = /^(\d+(?:\.\d+)?)(\s*)([a-z]*)$/.exec(text.trim());
  if (!match) return null;
  const [, amountText = '', space = '', unitText = ''] = match;
  if (!syntax.decimals && amountText.includes('.')) return null;
  if (space !== '' && (!syntax.spaced || unitText === '')) return null;
  const amount = Number(amountText);
  let unit: DurationUnit;
  if (unitText === '') {
    if (syntax.bareUnit === null) return amount === 0 ? 0 : null;
    unit = syntax.bareUnit;
  } else if ((syntax.units as readonly string[]).includes(unitText)) {
    unit = unitText as DurationUnit;
  } else {
    return null;
  }
  const ms = Math.round(amount * DURATION_UNIT_MS[unit]);
  return Number.isSafeInteger(ms) ? ms : null;
}
