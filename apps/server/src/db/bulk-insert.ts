import { CompiledQuery, type Insertable, type Kysely } from 'kysely';
import type { Database } from './schema.js';

/** Rows per statement: far below SQLite's 32,766 and PostgreSQL's 65,535 parameters. */
const ROWS_PER_STATEMENT = 200;

/**
 * A multi-row INSERT into one table with a fixed column list, for the hot batched writes (meter
 * values, the message log). Building a 500-row insert with Kysely's query builder costs more
 * than running it; here the SQL text of each row count is compiled once (in the database's own
 * placeholder syntax) and every batch only hands its values over as the parameters.
 */
export class BulkInsert<T extends keyof Database> {
  private readonly texts = new Map<number, string>();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly table: T,
    private readonly columns: readonly (keyof Insertable<Database[T]> & string)[],
    /** Skip a row that a unique key already holds (ON CONFLICT DO NOTHING), instead of failing. */
    private readonly skipDuplicates = false,
  ) {}

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
  async insertValues(values: readonly unknown[]): Promise<void> {
    const width = this.columns.length;
    const perStatement = ROWS_PER_STATEMENT * width;
    if (values.length <= perStatement) {
      if (values.length > 0) await this.run(values, this.db);
      return;
    }
    await this.db.transaction().execute(async (trx) => {
      for (let start = 0; start < values.length; start += perStatement) {
        await this.run(values.slice(start, start + perStatement), trx);
      }
    });
  }

  private async run(values: readonly unknown[], db: Kysely<Database>): Promise<void> {
    await db.executeQuery(
      CompiledQuery.raw(this.text(values.length / this.columns.length), values as unknown[]),
    );
  }

  private text(count: number): string {
    let text = this.texts.get(count);
    if (text === undefined) {
      const placeholder = Object.fromEntries(this.columns.map((column) => [column, null]));
      const rows = Array.from({ length: count }, () => placeholder) as Insertable<Database[T]>[];
      const insert = this.db.insertInto(this.table).values(rows as never);
      text = (this.skipDuplicates ? insert.onConflict((conflict) => conflict.doNothing()) : insert).compile()
        .sql;
      this.texts.set(count, text);
    }
    return text;
  }
}
