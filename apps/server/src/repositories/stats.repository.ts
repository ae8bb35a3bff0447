import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import type { StationScope } from './station.repository.js';
import { ENERGY_DELIVERED_SQL } from './transaction-query.js';
import { countTransactions, talliedEnergy } from './transaction-tallies.js';

export interface StationTally {
  status: string;
  connected: boolean;
  pending: boolean;
  count: number;
}

/** The figures of the dashboard, always within a station scope. Queries only. */
export class StatsRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** Stations grouped by status, connection and registration. */
  async stations(scope: StationScope): Promise<StationTally[]> {
    if (scope !== null && scope.length === 0) return [];
    let query = this.db.selectFrom('stations');
    if (scope !== null) query = query.where('charge_point_id', 'in', [...scope]);
    const rows = await query
      .select(['status', 'connected', 'registration', sql<number>`cast(count(*) as integer)`.as('count')])
      .groupBy(['status', 'connected', 'registration'])
      .execute();
    return rows.map((row) => ({
      status: row.status,
      connected: row.connected === 1,
      pending: row.registration === 'pending',
      count: Number(row.count),
    }));
  }

  async activeTransactions(scope: StationScope): Promise<number> {
    return countTransactions(this.db, { scope, status: 'active' });
  }

  /**
   * Wh delivered by the transactions completed (by their stoppedAt) in [from, to); those with an
   * implausible register (older rows) count as unknown, not as Infinity or an overflow. Whole UTC
   * days are read from the kept tallies.
   */
  async energyDelivered(scope: StationScope, from: string, to: string): Promise<number> {
    const tallied = await talliedEnergy(this.db, scope, from, to);
    if (tallied !== undefined) return tallied;
    if (scope !== null && scope.length === 0) return 0;
    let query = this.db
      .selectFrom('transactions')
      .innerJoin('stations', 'stations.id', 'transactions.station_id')
      .where('transactions.status', '=', 'completed')
      .where('transactions.stopped_at', '>=', from)
      .where('transactions.stopped_at', '<', to);
    if (scope !== null) query = query.where('stations.charge_point_id', 'in', [...scope]);
    const row = await query
      .select(sql<number | null>`sum(${ENERGY_DELIVERED_SQL})`.as('energy'))
      .executeTakeFirst();
    return Number(row?.energy ?? 0);
  }
}
