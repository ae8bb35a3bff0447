/**
 * How meter value rows spell "none" since 011: the key columns are NOT NULL, so that the unique
 * key is a plain column index; '' stands for no phase, location, context or unit, and -1 for a
 * sample outside any transaction. The repositories translate at their edge: callers see null.
 */
export const NO_TRANSACTION = -1;

export function toStored(value: string | null): string {
  return value ?? '';
}

export function fromStored(value: string): string | null {
  return value === '' ? null : value;
}

/** What a stored sample holds beyond where and when it was received (the retention reads these). */
export const SAMPLE_FIELDS = [
  'transaction_id',
  'sampled_at',
  'measurand',
  'phase',
  'location',
  'context',
  'unit',
  'value',
] as const;
