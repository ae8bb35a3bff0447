import { sql, type Kysely, type RawBuilder } from 'kysely';
import { BatchWriter } from '../db/batch-writer.js';
import { BulkInsert } from '../db/bulk-insert.js';
import type { Database } from '../db/schema.js';
import { ENERGY, type Sample } from '../domain/meter.js';
import { MAX_ENERGY_REGISTER_WH } from '../domain/ocpp-ranges.js';
import type { MeterValue } from '../domain/transaction.js';
import { fromStored, NO_TRANSACTION, SAMPLE_FIELDS, toStored } from './meter-value-columns.js';

export interface StoredSample extends Sample {
  timestamp: string;
}

/** The columns of a sample as add() flattens them, in this order. */
const COLUMNS = ['station_id', 'connector_id', ...SAMPLE_FIELDS, 'received_at'] as const;

/**
 * Meter values, written by group commit (see BatchWriter): the samples of every MeterValues and
 * StopTransaction handled in one turn of the event loop go to the database in one statement,
 * and each caller's promise resolves once they are committed, so that a CallResult still means
 * "stored". One commit per message was the largest database cost of ingest in the bench's
 * profile. A transaction's samples past the retention are kept as 15-minute aggregates
 * (MeterValueRetentionRepository); the reads here join both. Queries only.
 */
export class MeterValueRepository {
  /** The parameters of the pending rows, flat: no object per sample on the hot path. */
  private readonly samples: BatchWriter<unknown>;

  constructor(private readonly db: Kysely<Database>) {
    // A sample already stored (a retried message, on any node) is skipped: see 011_meter_values_plain_key.
    const insert = new BulkInsert(db, 'meter_values', COLUMNS, { skipDuplicates: true });
    this.samples = new BatchWriter(async (values) => {
      await insert.insertValues(values);
    });
  }

  /** Resolves once the samples are committed, with the other samples of the same turn. */
  async add(
    stationId: number,
    connectorId: number,
    transactionId: number | null,
    samples: readonly StoredSample[],
    now: string,
  ): Promise<void> {
    const values: unknown[] = [];
    const transaction = transactionId ?? NO_TRANSACTION;
    for (const sample of samples) {
      values.push(
        stationId,
        connectorId,
        transaction,
        sample.timestamp,
        sample.measurand,
        toStored(sample.phase),
        toStored(sample.location),
        toStored(sample.context),
        toStored(sample.unit),
        sample.value,
        now,
      );
    }
    await this.samples.add(values);
  }

  /** Writes the samples still pending; call before closing the database. */
  flush(): Promise<void> {
    return this.samples.close();
  }

  /**
   * The transaction's meter values in time order: its 15-minute aggregates where the raw samples
   * are past the retention (a register's last value, any other quantity's mean, at the bucket's
   * last sample time), then the raw samples.
   */
  async ofTransaction(transactionId: number): Promise<MeterValue[]> {
    const [aggregates, rows] = await Promise.all([
      this.db
        .selectFrom('meter_value_aggregates')
        .selectAll()
        .where('transaction_id', '=', transactionId)
        .orderBy('bucket_start')
        .orderBy('measurand')
        .orderBy('phase')
        .execute(),
      this.db
        .selectFrom('meter_values')
        .selectAll()
        .where('transaction_id', '=', transactionId)
        .orderBy('sampled_at')
        .orderBy('id')
        .execute(),
    ]);
    const condensed = aggregates.map((row) => ({
      timestamp: row.last_at,
      measurand: row.measurand,
      value: finite(row.measurand.endsWith('.Register') ? row.last_value : row.total / row.samples),
      unit: fromStored(row.unit),
      phase: fromStored(row.phase),
      location: fromStored(row.location),
      context: fromStored(row.context),
    }));
    const raw = rows.map((row) => ({
      timestamp: row.sampled_at,
      measurand: row.measurand,
      value: finite(row.value),
      unit: fromStored(row.unit),
      phase: fromStored(row.phase),
      location: fromStored(row.location),
      context: fromStored(row.context),
    }));
    return condensed.length === 0 ? raw : [...condensed, ...raw].sort(byTime);
  }

  /**
   * The highest plausible energy register (Wh) the transaction's meter values reached, raw or
   * aggregated; null without any. Older rows may hold Infinity or NaN (NaN sorts above every
   * number on PostgreSQL).
   */
  async highestEnergyRegister(transactionId: number): Promise<number | null> {
    const found = await Promise.all([
      this.highest(sql.table('meter_values'), sql.ref('value'), transactionId),
      this.highest(sql.table('meter_value_aggregates'), sql.ref('highest'), transactionId),
    ]);
    const values = found.filter((value) => value !== null);
    return values.length === 0 ? null : Math.max(...values);
  }

  /** The highest plausible whole-meter energy register of `column` in `table` for the transaction. */
  private async highest(table: RawBuilder<unknown>, column: RawBuilder<unknown>, transactionId: number) {
    const { rows } = await sql<{ highest: number | null }>`
      SELECT MAX(${column}) AS highest FROM ${table}
      WHERE transaction_id = ${transactionId} AND measurand = ${ENERGY} AND phase = ''
        AND ${column} >= 0 AND ${column} <= ${MAX_ENERGY_REGISTER_WH}`.execute(this.db);
    const highest = rows[0]?.highest;
    return typeof highest === 'number' ? highest : null;
  }
}

/** Older rows may hold Infinity or NaN, which JSON cannot carry. */
function finite(value: number): number | null {
  return Number.isFinite(value) ? value : null;
}

function byTime(a: MeterValue, b: MeterValue): number {
  return a.timestamp < b.timestamp ? -1 : a.timestamp > b.timestamp ? 1 : 0;
}
