import { sql, type SelectQueryBuilder } from 'kysely';

export interface PageRequest {
  limit: number;
  offset: number;
}

/** A list answer: `{ items, total }` (CONTRACT section 3). */
export interface Page<T> {
  items: T[];
  total: number;
}

/** The page with each item turned by `view`. */
export function mapPage<T, U>(page: Page<T>, view: (item: T) => U): Page<U> {
  return { items: page.items.map(view), total: page.total };
}

/**
 * Counts the rows of a query. The cast keeps the count a number on PostgreSQL, where
 * `count(*)` is a bigint that `pg` would return as a string.
 */
export async function countOf<DB, TB extends keyof DB, O>(
  query: SelectQueryBuilder<DB, TB, O>,
): Promise<number> {
  const row: { count: number } = await query
    .clearSelect()
    .clearOrderBy()
    .select(sql<number>`cast(count(*) as integer)`.as('count'))
    .$castTo<{ count: number }>()
    .executeTakeFirstOrThrow();
  return Number(row.count);
}
