// What the repositories read from a list or a lookup query, the same way each time: a page of
// it with the count of all its rows, its count, its first row, or whether it finds one.
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

/** The first row of a query as `view` turns it; undefined when the query finds none. */
export async function firstOf<R, T>(
  query: { executeTakeFirst(): Promise<R | undefined> },
  view: (row: R) => T,
): Promise<T | undefined> {
  const row = await query.executeTakeFirst();
  return row && view(row);
}

/** Whether a query finds a row. */
export async function hasRow(query: { executeTakeFirst(): Promise<unknown> }): Promise<boolean> {
  return (await query.executeTakeFirst()) !== undefined;
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

/**
 * One page of a list query and the number of rows in all. `rows` is the list, selected and
 * ordered; the count drops its selection and order (see {@link countOf}). `view` turns the rows
 * of the page into items, all at once (a repository may fetch what they hold in one query).
 */
export async function pageOfQuery<DB, TB extends keyof DB, O, T>(
  rows: SelectQueryBuilder<DB, TB, O>,
  page: PageRequest,
  view: (rows: O[]) => T[] | Promise<T[]>,
): Promise<Page<T>> {
  const items = await view(await rows.limit(page.limit).offset(page.offset).execute());
  return { items, total: await countOf(rows) };
}
