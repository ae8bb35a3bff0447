import type { Kysely, Selectable } from 'kysely';
import type { Database, TransactionsTable } from '../db/schema.js';
import type { Sample } from '../domain/meter.js';
import type { MeterValue, Transaction, TransactionStatus } from '../domain/transaction.js';
import { countOf, type Page, type PageRequest } from './paging.js';
import type { StationScope } from './station.repository.js';

type Db = Kysely<Database>;

export interface NewTransaction {
  stationId: number;
  connectorId: number;
  idTag: string;
  meterStart: number;
  startedAt: string;
  reservationId: number | null;
  now: string;
}

export interface TransactionStop {
  meterStop: number;
  stoppedAt: string;
  reason: string;
  idTag: string | null;
  now: string;
}

export interface TransactionFilter {
  scope: StationScope;
  status?: TransactionStatus;
  chargePointId?: string;
  idTag?: string;
  /** ISO times bounding startedAt. */
  from?: string;
  to?: string;
}

export interface StoredSample extends Sample {
  timestamp: string;
}

/** Transactions, their meter values and stops for unknown transactions. Queries only. */
export class TransactionRepository {
  constructor(private readonly db: Db) {}

  /**
   * Starts a transaction, or finds the one a retried StartTransaction.req (same station,
   * connector, tag, meter value and time) already started. `created` tells which.
   */
  async start(start: NewTransaction): Promise<{ transaction: Transaction; created: boolean }> {
    const inserted = await this.db
      .insertInto('transactions')
      .values({
        station_id: start.stationId,
        connector_id: start.connectorId,
        id_tag: start.idTag,
        reservation_id: start.reservationId,
        status: 'active',
        meter_start: start.meterStart,
        started_at: start.startedAt,
        created_at: start.now,
        updated_at: start.now,
      })
      .onConflict((oc) =>
        oc.columns(['station_id', 'connector_id', 'id_tag', 'meter_start', 'started_at']).doNothing(),
      )
      .returning('id')
      .executeTakeFirst();
    const id =
      inserted?.id ??
      (
        await this.db
          .selectFrom('transactions')
          .select('id')
          .where('station_id', '=', start.stationId)
          .where('connector_id', '=', start.connectorId)
          .where('id_tag', '=', start.idTag)
          .where('meter_start', '=', start.meterStart)
          .where('started_at', '=', start.startedAt)
          .executeTakeFirstOrThrow()
      ).id;
    const transaction = await this.find(id);
    if (!transaction) throw new Error(`transaction ${id} vanished`);
    return { transaction, created: inserted !== undefined };
  }

  async find(transactionId: number): Promise<Transaction | undefined> {
    const row = await this.selectWithStation()
      .where('transactions.id', '=', transactionId)
      .executeTakeFirst();
    return row && toTransaction(row);
  }

  /** The station's transaction, if `transactionId` is one of that station's. */
  async findAtStation(stationId: number, transactionId: number): Promise<Transaction | undefined> {
    const row = await this.selectWithStation()
      .where('transactions.id', '=', transactionId)
      .where('transactions.station_id', '=', stationId)
      .executeTakeFirst();
    return row && toTransaction(row);
  }

  async countActiveForTag(idTag: string): Promise<number> {
    return countOf(
      this.db.selectFrom('transactions').where('id_tag', '=', idTag).where('status', '=', 'active'),
    );
  }

  /** Completes an active transaction; `false` when it was not active (already stopped). */
  async stop(transactionId: number, stop: TransactionStop): Promise<boolean> {
    const result = await this.db
      .updateTable('transactions')
      .set({
        status: 'completed',
        meter_stop: stop.meterStop,
        stopped_at: stop.stoppedAt,
        stop_reason: stop.reason,
        stop_id_tag: stop.idTag,
        updated_at: stop.now,
      })
      .where('id', '=', transactionId)
      .where('status', '=', 'active')
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  async recordUnmatchedStop(row: {
    stationId: number;
    transactionId: number;
    idTag: string | null;
    meterStop: number;
    stoppedAt: string;
    reason: string;
    transactionData: unknown;
    now: string;
  }): Promise<void> {
    await this.db
      .insertInto('unmatched_stops')
      .values({
        station_id: row.stationId,
        transaction_id: row.transactionId,
        id_tag: row.idTag,
        meter_stop: row.meterStop,
        stopped_at: row.stoppedAt,
        reason: row.reason,
        transaction_data: row.transactionData === undefined ? null : JSON.stringify(row.transactionData),
        received_at: row.now,
      })
      .execute();
  }

  async addMeterValues(
    stationId: number,
    connectorId: number,
    transactionId: number | null,
    samples: readonly StoredSample[],
    now: string,
  ): Promise<void> {
    if (samples.length === 0) return;
    await this.db
      .insertInto('meter_values')
      .values(
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
      )
      .execute();
  }

  async meterValues(transactionId: number): Promise<MeterValue[]> {
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
      value: row.value,
      unit: row.unit,
      phase: row.phase,
      location: row.location,
      context: row.context,
    }));
  }

  async list(page: PageRequest, filter: TransactionFilter): Promise<Page<Transaction>> {
    let query = this.selectWithStation();
    if (filter.scope !== null) {
      if (filter.scope.length === 0) return { items: [], total: 0 };
      query = query.where('stations.charge_point_id', 'in', [...filter.scope]);
    }
    if (filter.status) query = query.where('transactions.status', '=', filter.status);
    if (filter.chargePointId) query = query.where('stations.charge_point_id', '=', filter.chargePointId);
    if (filter.idTag) query = query.where('transactions.id_tag', '=', filter.idTag);
    if (filter.from) query = query.where('transactions.started_at', '>=', filter.from);
    if (filter.to) query = query.where('transactions.started_at', '<', filter.to);
    const rows = await query
      .orderBy('transactions.started_at', 'desc')
      .orderBy('transactions.id', 'desc')
      .limit(page.limit)
      .offset(page.offset)
      .execute();
    return { items: rows.map(toTransaction), total: await countOf(query) };
  }

  private selectWithStation() {
    return this.db
      .selectFrom('transactions')
      .innerJoin('stations', 'stations.id', 'transactions.station_id')
      .selectAll('transactions')
      .select('stations.charge_point_id');
  }
}

function toTransaction(row: Selectable<TransactionsTable> & { charge_point_id: string }): Transaction {
  return {
    transactionId: row.id,
    chargePointId: row.charge_point_id,
    connectorId: row.connector_id,
    idTag: row.id_tag,
    reservationId: row.reservation_id,
    status: row.status as TransactionStatus,
    meterStart: row.meter_start,
    meterStop: row.meter_stop,
    startedAt: row.started_at,
    stoppedAt: row.stopped_at,
    stopReason: row.stop_reason,
    energyDelivered: row.meter_stop === null ? null : row.meter_stop - row.meter_start,
  };
}
