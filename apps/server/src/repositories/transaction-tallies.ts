import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { countOf } from './paging.js';
import type { StationScope } from './station.repository.js';
import { filterTransactions, type TransactionFilter } from './transaction-query.js';

/**
 * Counts and energy from the tallies the database keeps (migration 013), a few rows per
 * station whatever the length of the history; exact, as the transactions themselves are.
 * Filters the tallies cannot answer (id tag, start times, stuck) count the transactions.
 */

type Db = Kysely<Database>;

/** How many transactions the filter selects (the list's `total`). */
export async function countTransactions(db: Db, filter: TransactionFilter): Promise<number> {
  if (filter.scope !== null && filter.scope.length === 0) return 0;
  const tallied =
    filter.idTag === undefined &&
    filter.from === undefined &&
    filter.to === undefined &&
    filter.silentSince === undefined;
  if (!tallied) return countOf(filterTransactions(db, filter));
  let query = db
    .selectFrom('transaction_counts')
    .innerJoin('stations', 'stations.id', 'transaction_counts.station_id');
  if (filter.scope !== null) query = query.where('stations.charge_point_id', 'in', [...filter.scope]);
  if (filter.chargePointId) query = query.where('stations.charge_point_id', '=', filter.chargePointId);
  if (filter.status) query = query.where('transaction_counts.status', '=', filter.status);
  const row = await query
    .select(sql<number>`cast(coalesce(sum(transaction_counts.total), 0) as integer)`.as('total'))
    .executeTakeFirstOrThrow();
  return Number(row.total);
}

/** The UTC day of a time on a day boundary, else undefined. */
const dayAt = (time: string) =>
  /^\d{4}-\d\d-\d\dT00:00:00(\.0+)?Z$/.test(time) ? time.slice(0, 10) : undefined;

/**
 * Wh delivered by the transactions completed in [from, to) from the kept days when both ends
 * are UTC day boundaries (the statistics' periods); undefined otherwise.
 */
export async function talliedEnergy(
  db: Db,
  scope: StationScope,
  from: string,
  to: string,
): Promise<number | undefined> {
  const [first, end] = [dayAt(from), dayAt(to)];
  if (first === undefined || end === undefined) return undefined;
  if (scope !== null && scope.length === 0) return 0;
  let query = db
    .selectFrom('transaction_energy_days')
    .where('transaction_energy_days.day', '>=', first)
    .where('transaction_energy_days.day', '<', end);
  if (scope !== null) {
    query = query
      .innerJoin('stations', 'stations.id', 'transaction_energy_days.station_id')
      .where('stations.charge_point_id', 'in', [...scope]);
  }
  const row = await query
    .select(sql<number | null>`sum(transaction_energy_days.energy_wh)`.as('energy'))
    .executeTakeFirst();
  return Number(row?.energy ?? 0);
}
