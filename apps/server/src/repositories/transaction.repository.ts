import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import type { AuthorizationStatus } from '../domain/id-tag.js';
import type { MeterValue, Transaction } from '../domain/transaction.js';
import type { MeterValueRepository } from './meter-value.repository.js';
import { countOf, firstOf, type Page, type PageRequest } from './paging.js';
import {
  filterTransactions,
  selectTransactions,
  transactionBatches,
  SORT_KEYS,
  toTransaction,
  type TransactionFilter,
  type TransactionOrder,
} from './transaction-query.js';
import { countTransactions } from './transaction-tallies.js';

export type { TransactionFilter, TransactionOrder } from './transaction-query.js';
export type { StoredSample } from './meter-value.repository.js';

type Db = Kysely<Database>;

export interface NewTransaction {
  stationId: number;
  connectorId: number;
  idTag: string;
  meterStart: number;
  startedAt: string;
  /** The start time as the charge point sent it (startedAt may be the receipt time instead). */
  startReportedAt: string;
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

/** A transaction an operator closes for a silent station. */
export interface TransactionClose {
  /** Null when no plausible register is known (an older row). */
  meterStop: number | null;
  reason: string;
  userId: number;
  now: string;
}

/** The columns a transaction's completion sets, whether its station stopped it or an operator closed it. */
function completion(meterStop: number | null, stoppedAt: string, reason: string, now: string) {
  return {
    status: 'completed' as const,
    meter_stop: meterStop,
    stopped_at: stoppedAt,
    stop_reason: reason,
    updated_at: now,
  };
}

/** The row of a transaction that starts, whichever protocol told of it. */
export function activeRow(
  start: Omit<NewTransaction, 'idTag' | 'startReportedAt'> & { idTag: string | null },
) {
  return {
    station_id: start.stationId,
    connector_id: start.connectorId,
    id_tag: start.idTag,
    reservation_id: start.reservationId,
    status: 'active',
    meter_start: start.meterStart,
    started_at: start.startedAt,
    created_at: start.now,
    updated_at: start.now,
  };
}

/** Transactions, their meter values and stops for unknown transactions. Queries only. */
export class TransactionRepository {
  constructor(
    private readonly db: Db,
    private readonly meterValueRows: MeterValueRepository,
  ) {}

  /**
   * Starts a transaction, or finds the one a retried StartTransaction.req (same station,
   * connector, tag, meter value and reported time) already started. `created` tells which.
   */
  async start(start: NewTransaction): Promise<{ transaction: Transaction; created: boolean }> {
    const inserted = await this.db
      .insertInto('transactions')
      .values({ ...activeRow(start), start_reported_at: start.startReportedAt })
      // Either unique key: the reported start time (migration 003), or started_at for older rows.
      .onConflict((oc) => oc.doNothing())
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
          .where((eb) =>
            eb.or([
              eb('start_reported_at', '=', start.startReportedAt),
              eb('started_at', '=', start.startedAt),
            ]),
          )
          .orderBy('id')
          .executeTakeFirstOrThrow()
      ).id;
    const transaction = await this.find(id);
    if (!transaction) throw new Error(`transaction ${id} vanished`);
    return { transaction, created: inserted !== undefined };
  }

  async find(transactionId: number): Promise<Transaction | undefined> {
    return firstOf(selectTransactions(this.db).where('transactions.id', '=', transactionId), toTransaction);
  }

  /** The newest transaction an OCPP 2.x station names `ocppTransactionId`, among `scope`'s stations. */
  async findByOcppId(
    ocppTransactionId: string,
    scope: readonly string[] | null,
  ): Promise<Transaction | undefined> {
    if (scope !== null && scope.length === 0) return undefined;
    let query = selectTransactions(this.db).where('transactions.ocpp_transaction_id', '=', ocppTransactionId);
    if (scope !== null) query = query.where('stations.charge_point_id', 'in', [...scope]);
    return firstOf(query.orderBy('transactions.id', 'desc'), toTransaction);
  }

  /** The station's transaction, if `transactionId` is one of that station's. */
  async findAtStation(stationId: number, transactionId: number): Promise<Transaction | undefined> {
    const atStation = selectTransactions(this.db)
      .where('transactions.id', '=', transactionId)
      .where('transactions.station_id', '=', stationId);
    return firstOf(atStation, toTransaction);
  }

  async countActiveForTag(idTag: string): Promise<number> {
    return countOf(
      this.db.selectFrom('transactions').where('id_tag', '=', idTag).where('status', '=', 'active'),
    );
  }

  /**
   * Marks a just-started transaction refused: completed at once, never active, with the status
   * its StartTransaction was answered with; its stop fields wait for the StopTransaction.
   */
  async refuse(transactionId: number, status: AuthorizationStatus, now: string): Promise<void> {
    await this.db
      .updateTable('transactions')
      .set({ status: 'completed', authorization_status: status, updated_at: now })
      .where('id', '=', transactionId)
      .where('status', '=', 'active')
      .execute();
  }

  /**
   * Records the StopTransaction of an active transaction, or of a refused one that has not had
   * its stop yet; `false` when it had (a repeated stop).
   */
  async stop(transactionId: number, stop: TransactionStop): Promise<boolean> {
    const result = await this.db
      .updateTable('transactions')
      .set({ ...completion(stop.meterStop, stop.stoppedAt, stop.reason, stop.now), stop_id_tag: stop.idTag })
      .where('id', '=', transactionId)
      .where((eb) =>
        eb.or([
          eb('status', '=', 'active'),
          eb.and([eb('authorization_status', '<>', 'Accepted'), eb('stopped_at', 'is', null)]),
        ]),
      )
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

  /** Meter values are kept by MeterValueRepository; these pass through to it. */
  addMeterValues(...reading: Parameters<MeterValueRepository['add']>): Promise<void> {
    return this.meterValueRows.add(...reading);
  }

  meterValues(transactionId: number): Promise<MeterValue[]> {
    return this.meterValueRows.ofTransaction(transactionId);
  }

  /** Newest start first unless `order` says otherwise; nulls last either way. */
  async list(
    page: PageRequest,
    filter: TransactionFilter,
    order: TransactionOrder = { sort: 'startedAt', order: 'desc' },
  ): Promise<Page<Transaction>> {
    if (filter.scope !== null && filter.scope.length === 0) return { items: [], total: 0 };
    const query = filterTransactions(this.db, filter);
    const key = SORT_KEYS[order.sort];
    // Nulls last; started_at is never null, and without the term the index on it serves the
    // first page of a long history at once instead of sorting every transaction (issue 17).
    const ordered =
      order.sort === 'startedAt' ? query : query.orderBy(sql`case when ${key} is null then 1 else 0 end`);
    const rows = await ordered
      .orderBy(key, order.order)
      .orderBy('transactions.id', order.order)
      .limit(page.limit)
      .offset(page.offset)
      .execute();
    return { items: rows.map(toTransaction), total: await countTransactions(this.db, filter) };
  }

  /** Every transaction of the filter, a batch at a time (see transactionBatches). */
  inBatches(filter: TransactionFilter, first?: number, largest?: number): AsyncGenerator<Transaction[]> {
    return transactionBatches(this.db, filter, first, largest);
  }

  /** Whether the transaction's station is marked connected, and whether it is silent since `since`. */
  async activity(transactionId: number, since: string): Promise<{ connected: boolean; silent: boolean }> {
    const row = await selectTransactions(this.db)
      .select('stations.connected')
      .where('transactions.id', '=', transactionId)
      .executeTakeFirst();
    const silent = await countOf(
      filterTransactions(this.db, { scope: null, silentSince: since }).where(
        'transactions.id',
        '=',
        transactionId,
      ),
    );
    return { connected: row?.connected === 1, silent: silent > 0 };
  }

  highestEnergyRegister(transactionId: number): Promise<number | null> {
    return this.meterValueRows.highestEnergyRegister(transactionId);
  }

  /** Completes an active transaction for an operator; `false` when it was not active. */
  async close(transactionId: number, close: TransactionClose): Promise<boolean> {
    const result = await this.db
      .updateTable('transactions')
      .set({
        ...completion(close.meterStop, close.now, close.reason, close.now),
        closed_by: close.userId,
        closed_at: close.now,
      })
      .where('id', '=', transactionId)
      .where('status', '=', 'active')
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }
}
