/**
 * The columns of an update patch: the entries whose value is not `undefined` (a field the caller
 * left out, so the column keeps its value). `null`, `0`, `''` and `false` are values and are
 * written. Use: `.set({ updated_at: now, ...given({ name: changes.name, site_id: changes.siteId }) })`,
 * the mapping from field to column staying in the query.
 */
export function given<T extends Record<string, unknown>>(
  columns: T,
): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(columns).filter(([, value]) => value !== undefined)) as {
    [K in keyof T]?: Exclude<T[K], undefined>;
  };
}

/** A 0/1 flag column for a boolean field; `undefined` (left out of a patch) when the field is. */
export function flagOf(value: boolean | undefined): 0 | 1 | undefined {
  return value === undefined ? undefined : value ? 1 : 0;
}
