import { CompiledQuery, sql, type Insertable, type Kysely } from 'kysely';
import type { Database } from './schema.js';

/** Rows per statement: far below SQLite's 32,766 and PostgreSQL's 65,535 parameters. */
const ROWS_PER_STATEMENT = 200;

/** What a BulkInsert does with rows a unique key already holds, and what it reads back. */
export interface BulkInsertConflicts<T extends keyof Database> {
  /** Skip a row that a unique key already holds (ON CONFLICT DO NOTHING), instead of failing. */
  skipDuplicates?: boolean;
  /**
   * With skipDuplicates: the one unique key whose rows are skipped (ON CONFLICT (key) DO
   * NOTHING); a row that breaks any other fails. Without it, every unique key skips.
   */
  skipOn?: readonly (keyof Database[T] & string)[];
  /** Columns of each inserted row to read back (RETURNING): with skipDuplicates, the rows that were new. */
  returning?: readonly (keyof Database[T] & string)[];
  /**
   * A unique key: a row that it holds already takes the new row's other columns (ON CONFLICT
   * ... DO UPDATE) instead of failing. A statement must not name one key twice (PostgreSQL).
   */
  replaceOn?: readonly (keyof Database[T] & string)[];
}

/**
 * A multi-row INSERT into one table with a fixed column list, for the hot batched writes (meter
 * values, the message log). Building a 500-row insert with Kysely's query builder costs more
 * than running it; here the SQL text of each row count is compiled once (in the database's own
 * placeholder syntax) and every batch only hands its values over as the parameters.
 */
export class BulkInsert<T extends keyof Database> {
  private readonly texts = new Map<number, string>();

  private readonly skipDuplicates: boolean;
  private readonly skipOn: readonly (keyof Database[T] & string)[];
  private readonly returning: readonly (keyof Database[T] & string)[];
  private readonly replaceOn: readonly (keyof Database[T] & string)[];

  constructor(
    private readonly db: Kysely<Database>,
    private readonly table: T,
    private readonly columns: readonly (keyof Insertable<Database[T]> & string)[],
    conflicts: BulkInsertConflicts<T> = {},
  ) {
    this.skipDuplicates = conflicts.skipDuplicates ?? false;
    this.skipOn = conflicts.skipOn ?? [];
    this.returning = conflicts.returning ?? [];
    this.replaceOn = conflicts.replaceOn ?? [];
  }

  /** Inserts `rows` atomically: in one statement, or in one transaction when they need several. */
  async insertAll(rows: readonly Insertable<Database[T]>[]): Promise<void> {
    const values: unknown[] = [];
    for (const row of rows) {
      for (const column of this.columns) values.push((row as Record<string, unknown>)[column] ?? null);
    }
    await this.insertValues(values);
  }

  /**
   * Inserts rows given as one flat list of values, row after row in the order of `columns`
   * (no object per row on the hot path), atomically like insertAll.
   */
  async insertValues(values: readonly unknown[]): Promise<Record<string, unknown>[]> {
    const width = this.columns.length;
    const perStatement = ROWS_PER_STATEMENT * width;
    if (values.length <= perStatement) {
      return values.length > 0 ? this.run(values, this.db) : [];
    }
    return this.db.transaction().execute(async (trx) => {
      const rows: Record<string, unknown>[] = [];
      for (let start = 0; start < values.length; start += perStatement) {
        rows.push(...(await this.run(values.slice(start, start + perStatement), trx)));
      }
      return rows;
    });
  }

  private async run(values: readonly unknown[], db: Kysely<Database>): Promise<Record<string, unknown>[]> {
    const { rows } = await db.executeQuery<Record<string, unknown>>(
      CompiledQuery.raw(this.text(values.length / this.columns.length), values as unknown[]),
    );
    return rows;
  }

  private text(count: number): string {
    let text = this.texts.get(count);
    if (text === undefined) {
      const placeholder = Object.fromEntries(this.columns.map((column) => [column, null]));
      const rows = Array.from({ length: count }, () => placeholder) as Insertable<Database[T]>[];
      const insert = this.db.insertInto(this.table).values(rows as never);
      const others = this.columns.filter((column) => !this.replaceOn.includes(column as never));
      const conflicting =
        this.replaceOn.length > 0
          ? insert.onConflict((conflict) =>
              conflict
                .columns(this.replaceOn as never)
                .doUpdateSet(
                  Object.fromEntries(
                    others.map((column) => [column, sql.ref(`excluded.${column}`)]),
                  ) as never,
                ),
            )
          : this.skipDuplicates
            ? insert.onConflict((conflict) =>
                (this.skipOn.length > 0 ? conflict.columns(this.skipOn as never) : conflict).doNothing(),
              )
            : insert;
      const returning =
        this.returning.length > 0 ? conflicting.returning(this.returning as never) : conflicting;
      text = returning.compile().sql;
      this.texts.set(count, text);
    }
    return text;
  }
}
