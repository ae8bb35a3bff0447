import type { Insertable, Kysely } from 'kysely';
import { BatchWriter } from '../db/batch-writer.js';
import { BulkInsert } from '../db/bulk-insert.js';
import type { Database, MeterValuesTable } from '../db/schema.js';
import { meterValueRows, TransactionRepository, type StoredSample } from './transaction.repository.js';

type MeterValueRow = Insertable<MeterValuesTable>;

/**
 * The transaction repository with meter values written by group commit (see BatchWriter):
 * the samples of every MeterValues and StopTransaction handled in one turn of the event loop
 * go to the database in one statement, and each caller's promise resolves once they are
 * committed, so that a CallResult still means "stored". One commit per message was the
 * largest database cost of ingest in the bench's profile.
 */
export class BatchedTransactionRepository extends TransactionRepository {
  private readonly samples: BatchWriter<MeterValueRow>;

  constructor(db: Kysely<Database>) {
    super(db);
    const insert = new BulkInsert(db, 'meter_values', [
      'station_id',
      'connector_id',
      'transaction_id',
      'sampled_at',
      'measurand',
      'phase',
      'location',
      'context',
      'unit',
      'value',
      'received_at',
    ]);
    this.samples = new BatchWriter((rows) => insert.insertAll(rows));
  }

  override async addMeterValues(
    stationId: number,
    connectorId: number,
    transactionId: number | null,
    samples: readonly StoredSample[],
    now: string,
  ): Promise<void> {
    await this.samples.add(meterValueRows(stationId, connectorId, transactionId, samples, now));
  }

  /** Writes the samples still pending; call before closing the database. */
  flushMeterValues(): Promise<void> {
    return this.samples.close();
  }
}
