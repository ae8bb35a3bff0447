import { sql, type Kysely, type Selectable } from 'kysely';
import type { Database, TransactionsTable } from '../db/schema.js';
import type { AuthorizationStatus } from '../domain/id-tag.js';
import { MAX_ENERGY_REGISTER_WH } from '../domain/ocpp-ranges.js';
import {
  durationSeconds,
  energyDelivered,
  registerOrNull,
  type SortOrder,
  type Transaction,
  type TransactionSort,
  type TransactionStatus,
} from '../domain/transaction.js';
import type { StationScope } from './station.repository.js';

/** The reading of transactions that lists, exports and statistics share. Queries only. */

export interface TransactionFilter {
  scope: StationScope;
  status?: TransactionStatus;
  chargePointId?: string;
  idTag?: string;
  /** ISO times bounding startedAt. */
  from?: string;
  to?: string;
  /**
   * Only active transactions silent since this ISO time: started before it, with no meter
   * value of theirs received and no heartbeat of their station since.
   */
  silentSince?: string;
}

export interface TransactionOrder {
  sort: TransactionSort;
  order: SortOrder;
}

/** Whether a register column holds a plausible reading: false for NaN, ±Infinity and null too. */
const plausible = (column: string) =>
  sql`(${sql.ref(column)} >= 0 and ${sql.ref(column)} <= ${sql.lit(MAX_ENERGY_REGISTER_WH)})`;

/**
 * energyDelivered (domain/transaction.ts) in SQL: null without a stop or with an implausible
 * register, never negative. Subtracting unchecked registers would overflow on PostgreSQL.
 */
export const ENERGY_DELIVERED_SQL = sql<
  number | null
>`case when ${plausible('transactions.meter_start')} and ${plausible('transactions.meter_stop')} then case when transactions.meter_stop > transactions.meter_start then transactions.meter_stop - transactions.meter_start else 0 end end`;

/** What each sort orders by: `energyDelivered` is null while a transaction runs. */
export const SORT_KEYS = {
  startedAt: sql`transactions.started_at`,
  stoppedAt: sql`transactions.stopped_at`,
  energyDelivered: ENERGY_DELIVERED_SQL,
} as const;

/** Transactions with their station's charge point id. */
export function selectTransactions(db: Kysely<Database>) {
  return db
    .selectFrom('transactions')
    .innerJoin('stations', 'stations.id', 'transactions.station_id')
    .selectAll('transactions')
    .select('stations.charge_point_id');
}

/** The transactions a filter selects; an empty scope must be answered by the caller (`in ()`). */
export function filterTransactions(db: Kysely<Database>, filter: TransactionFilter) {
  let query = selectTransactions(db);
  if (filter.scope !== null) query = query.where('stations.charge_point_id', 'in', [...filter.scope]);
  if (filter.status) query = query.where('transactions.status', '=', filter.status);
  if (filter.chargePointId) query = query.where('stations.charge_point_id', '=', filter.chargePointId);
  if (filter.idTag) query = query.where('transactions.id_tag', '=', filter.idTag);
  if (filter.from) query = query.where('transactions.started_at', '>=', filter.from);
  if (filter.to) query = query.where('transactions.started_at', '<', filter.to);
  const since = filter.silentSince;
  if (since !== undefined) {
    query = query
      .where('transactions.status', '=', 'active')
      .where('transactions.created_at', '<', since)
      .where((eb) =>
        eb.or([eb('stations.last_heartbeat', 'is', null), eb('stations.last_heartbeat', '<', since)]),
      )
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom('meter_values')
              .select('meter_values.id')
              .whereRef('meter_values.transaction_id', '=', 'transactions.id')
              .where('meter_values.received_at', '>=', since),
          ),
        ),
      );
  }
  return query;
}

/**
 * Every transaction of the filter, a batch at a time: in transaction id order, or, with a
 * start time bound (from/to), in start order (then id), the order of the index that serves
 * the bound: sorting the period for every batch would grow with its square (issue 17). Each
 * batch is its own query after the last row seen (keyset paging), so that neither memory nor a
 * database connection is held for the whole export. The first batch is small (the download
 * starts at once); each next one twice as large, up to `largest`.
 */
export async function* transactionBatches(
  db: Kysely<Database>,
  filter: TransactionFilter,
  first = 200,
  largest = 1000,
): AsyncGenerator<Transaction[]> {
  if (filter.scope !== null && filter.scope.length === 0) return;
  const byStart = filter.from !== undefined || filter.to !== undefined;
  let after: { id: number; started_at: string } | undefined;
  for (let batchSize = first; ; batchSize = Math.min(batchSize * 2, largest)) {
    let query = filterTransactions(db, filter);
    if (after && byStart) {
      const last = after;
      query = query
        .where('transactions.started_at', '>=', last.started_at)
        .where((eb) =>
          eb.or([eb('transactions.started_at', '>', last.started_at), eb('transactions.id', '>', last.id)]),
        );
    } else if (after) {
      query = query.where('transactions.id', '>', after.id);
    }
    const ordered = byStart ? query.orderBy('transactions.started_at') : query;
    const rows = await ordered.orderBy('transactions.id').limit(batchSize).execute();
    after = rows.at(-1);
    if (!after) return;
    yield rows.map(toTransaction);
    if (rows.length < batchSize) return;
  }
}

export function toTransaction(row: Selectable<TransactionsTable> & { charge_point_id: string }): Transaction {
  return {
    transactionId: row.id,
    chargePointId: row.charge_point_id,
    connectorId: row.connector_id,
    idTag: row.id_tag,
    ocppTransactionId: row.ocpp_transaction_id,
    reservationId: row.reservation_id,
    status: row.status as TransactionStatus,
    meterStart: registerOrNull(row.meter_start),
    meterStop: registerOrNull(row.meter_stop),
    startedAt: row.started_at,
    stoppedAt: row.stopped_at,
    stopReason: row.stop_reason,
    energyDelivered: energyDelivered(row.meter_start, row.meter_stop),
    durationSeconds: durationSeconds(row.started_at, row.stopped_at),
    closedBy: row.closed_by,
    closedAt: row.closed_at,
    authorizationStatus: row.authorization_status as AuthorizationStatus,
  };
}
