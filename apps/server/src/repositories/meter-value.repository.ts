import type { Insertable, Kysely } from 'kysely';
import { BatchWriter } from '../db/batch-writer.js';
import { BulkInsert } from '../db/bulk-insert.js';
import type { Database, MeterValuesTable } from '../db/schema.js';
import { ENERGY, type Sample } from '../domain/meter.js';
import { MAX_ENERGY_REGISTER_WH } from '../domain/ocpp-ranges.js';
import type { MeterValue } from '../domain/transaction.js';

export interface StoredSample extends Sample {
  timestamp: string;
}

type MeterValueRow = Insertable<MeterValuesTable>;

/**
 * Meter values, written by group commit (see BatchWriter): the samples of every MeterValues and
 * StopTransaction handled in one turn of the event loop go to the database in one statement,
 * and each caller's promise resolves once they are committed, so that a CallResult still means
 * "stored". One commit per message was the largest database cost of ingest in the bench's
 * profile. Queries only.
 */
export class MeterValueRepository {
  private readonly samples: BatchWriter<MeterValueRow>;

  constructor(private readonly db: Kysely<Database>) {
    // A sample already stored (a retried message, on any node) is skipped: see 006_meter_values_unique.
    const insert = new BulkInsert(
      db,
      'meter_values',
      [
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
      ],
      true,
    );
    this.samples = new BatchWriter((rows) => insert.insertAll(rows));
  }

  /** Resolves once the samples are committed, with the other samples of the same turn. */
  async add(
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
  flush(): Promise<void> {
    return this.samples.close();
  }

  async ofTransaction(transactionId: number): Promise<MeterValue[]> {
    const rows = await this.db
      .selectFrom('meter_values')
      .selectAll()
      .where('transaction_id', '=', transactionId)
      .orderBy('sampled_at')
      .orderBy('id')
      .execute();
    return rows.map((row) => ({
      timestamp: row.sampled_at,
      measurand: row.measurand,
      // Older rows may hold Infinity or NaN, which JSON cannot carry.
      value: Number.isFinite(row.value) ? row.value : null,
      unit: row.unit,
      phase: row.phase,
      location: row.location,
      context: row.context,
    }));
  }

  /**
   * The highest plausible energy register (Wh) the transaction's meter values reached; null
   * without any. Older rows may hold Infinity or NaN (NaN sorts above every number on PostgreSQL).
   */
  async highestEnergyRegister(transactionId: number): Promise<number | null> {
    const row = await this.db
      .selectFrom('meter_values')
      .select((eb) => eb.fn.max('value').as('highest'))
      .where('transaction_id', '=', transactionId)
      .where('measurand', '=', ENERGY)
      .where('phase', 'is', null)
      .where('value', '>=', 0)
      .where('value', '<=', MAX_ENERGY_REGISTER_WH)
      .executeTakeFirst();
    return row?.highest ?? null;
  }
}
