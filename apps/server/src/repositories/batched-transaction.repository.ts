import type { Insertable, Kysely } from 'kysely';
import { BatchWriter } from '../db/batch-writer.js';
import type { Database, MeterValuesTable } from '../db/schema.js';
import { TransactionRepository, type StoredSample } from './transaction.repository.js';

type MeterValueRow = Insertable<MeterValuesTable>;

/** Rows per INSERT statement: 11 parameters a row stays far below SQLite's 32,766. */
const ROWS_PER_STATEMENT = 500;

/**
 * The transaction repository with meter values written by group commit (see BatchWriter):
 * the samples of every MeterValues and StopTransaction handled in one turn of the event loop
 * go to the database in one statement, and each caller's promise resolves once they are
 * committed, so that a CallResult still means "stored". Per-message commits were the largest
 * cost of ingest (bench: the SQLite commit of every MeterValues).
 */
export class BatchedTransactionRepository extends TransactionRepository {
  private readonly samples: BatchWriter<MeterValueRow>;

  constructor(db: Kysely<Database>) {
    super(db);
    this.samples = new BatchWriter((rows) => insertMeterValues(db, rows));
  }

  override async addMeterValues(
    stationId: number,
    connectorId: number,
    transactionId: number | null,
    samples: readonly StoredSample[],
    now: string,
  ): Promise<void> {
    await this.samples.add(
      samples.map((sample) => ({
        station_id: stationId,
        connector_id: connectorId,
        transaction_id: transactionId,
        sampled_at: sample.timestamp,
        measurand: sample.measurand,
        phase: sample.phase,
        location: sample.location,
        context: sample.context,
        unit: sample.unit,
        value: sample.value,
        received_at: now,
      })),
    );
  }

  /** Writes the samples still pending; call before closing the database. */
  flushMeterValues(): Promise<void> {
    return this.samples.close();
  }
}

async function insertMeterValues(db: Kysely<Database>, rows: readonly MeterValueRow[]): Promise<void> {
  if (rows.length <= ROWS_PER_STATEMENT) {
    await db
      .insertInto('meter_values')
      .values([...rows])
      .execute();
    return;
  }
  await db.transaction().execute(async (trx) => {
    for (let start = 0; start < rows.length; start += ROWS_PER_STATEMENT) {
      await trx
        .insertInto('meter_values')
        .values(rows.slice(start, start + ROWS_PER_STATEMENT))
        .execute();
    }
  });
}
