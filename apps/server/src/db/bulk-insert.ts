import { CompiledQuery, type Insertable, type Kysely } from 'kysely';
import type { Database } from './schema.js';

/** Rows per statement: far below SQLite's 32,766 and PostgreSQL's 65,535 parameters. */
const ROWS_PER_STATEMENT = 200;

/**
 * A multi-row INSERT into one table with a fixed column list, for the hot batched writes (meter
 * values, the message log). Building a 500-row insert with Kysely's query builder costs more
 * than running it; here the SQL text of each row count is compiled once (in the database's own
 * placeholder syntax) and every batch only flattens its values into the parameters.
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
    if (rows.length <= ROWS_PER_STATEMENT) await this.insert(rows, this.db);
    else await this.db.transaction().execute((trx) => this.insert(rows, trx));
  }

  private async insert(rows: readonly Insertable<Database[T]>[], db: Kysely<Database>): Promise<void> {
    for (let start = 0; start < rows.length; start += ROWS_PER_STATEMENT) {
      const chunk = rows.slice(start, start + ROWS_PER_STATEMENT);
      const parameters: unknown[] = [];
      for (const row of chunk) {
        for (const column of this.columns) parameters.push((row as Record<string, unknown>)[column] ?? null);
      }
      await db.executeQuery(CompiledQuery.raw(this.text(chunk.length), parameters));
    }
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
