import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import type { OcppVersion } from '@cimorings/contracts';
import { CoalescedReads } from './coalesced-reads.js';

/** A charging session at a site, as the load manager reads it. */
export interface SiteSession {
  transactionId: number;
  chargePointId: string;
  /** The protocol the station spoke at its last connection: its limits are sent in it. */
  ocppVersion: OcppVersion;
  connectorId: number;
  /** A 2.x station's own id of the transaction; null for 1.6. */
  ocppTransactionId: string | null;
  startedAt: string;
  /** The station's configured kW per connector; null: not configured. */
  stationMaxKw: number | null;
  stationConnected: boolean;
}

/** The limit the load manager last gave a session. */
export interface Allocation {
  transactionId: number;
  limitKw: number;
  paused: boolean;
  /** `sent`: the station has it; `pending`: to send (again); `refused`: the station refused profiles. */
  state: 'sent' | 'pending' | 'refused';
}

/** What load management reads and writes. Queries only. */
export class LoadRepository {
  /** The sites of stations asked in the same turn (meter values of many stations), in one statement. */
  private readonly sites = new CoalescedReads(async (chargePointIds) => {
    const rows = await this.db
      .selectFrom('stations')
      .select(['charge_point_id', 'site_id'])
      .where('charge_point_id', 'in', chargePointIds)
      .execute();
    return new Map(rows.map((row) => [row.charge_point_id, row.site_id]));
  });

  constructor(private readonly db: Kysely<Database>) {}

  /** Sites with a limit (or a schedule), and those still holding allocations of an earlier limit. */
  async sitesToManage(): Promise<number[]> {
    const rows = await this.db
      .selectFrom('sites')
      .select('id')
      .where((eb) =>
        eb.or([
          eb('max_power_kw', 'is not', null),
          eb('max_current_a', 'is not', null),
          eb('limit_schedule', 'is not', null),
          eb('id', 'in', eb.selectFrom('load_allocations').select('site_id')),
        ]),
      )
      .orderBy('id')
      .execute();
    return rows.map((row) => row.id);
  }

  /** The site a station belongs to, if any. */
  async siteOf(chargePointId: string): Promise<number | null> {
    return (await this.sites.read(chargePointId)) ?? null;
  }

  /** The charge point ids of a site's stations. */
  async stationsOf(siteId: number): Promise<string[]> {
    const rows = await this.db
      .selectFrom('stations')
      .select('charge_point_id')
      .where('site_id', '=', siteId)
      .orderBy('charge_point_id')
      .execute();
    return rows.map((row) => row.charge_point_id);
  }

  /** The active transactions at the site's stations, in order of arrival. */
  async activeSessions(siteId: number): Promise<SiteSession[]> {
    const rows = await this.db
      .selectFrom('transactions')
      .innerJoin('stations', 'stations.id', 'transactions.station_id')
      .select([
        'transactions.id as transactionId',
        'stations.charge_point_id as chargePointId',
        'stations.ocpp_version as ocppVersion',
        'transactions.connector_id as connectorId',
        'transactions.ocpp_transaction_id as ocppTransactionId',
        'transactions.started_at as startedAt',
        'stations.max_power_kw as stationMaxKw',
        'stations.connected as connected',
      ])
      .where('stations.site_id', '=', siteId)
      .where('transactions.status', '=', 'active')
      .orderBy('transactions.started_at')
      .orderBy('transactions.id')
      .execute();
    return rows.map(({ connected, ocppVersion, ...row }) => ({
      ...row,
      ocppVersion: ocppVersion as OcppVersion,
      stationConnected: connected === 1,
    }));
  }

  /** The highest power measured at each of the stations (kW), for those that have any. */
  async highestPowerKw(chargePointIds: readonly string[]): Promise<Map<string, number>> {
    if (chargePointIds.length === 0) return new Map();
    const rows = await this.db
      .selectFrom('meter_values')
      .innerJoin('stations', 'stations.id', 'meter_values.station_id')
      .select(['stations.charge_point_id as chargePointId'])
      .select((eb) => eb.fn.max('meter_values.value').as('kw'))
      .where('stations.charge_point_id', 'in', [...chargePointIds])
      .where('meter_values.measurand', '=', 'Power.Active.Import')
      .groupBy('stations.charge_point_id')
      .execute();
    return new Map(rows.filter((row) => row.kw !== null).map((row) => [row.chargePointId, Number(row.kw)]));
  }

  async allocations(siteId: number): Promise<Allocation[]> {
    const rows = await this.db
      .selectFrom('load_allocations')
      .selectAll()
      .where('site_id', '=', siteId)
      .execute();
    return rows.map((row) => ({
      transactionId: row.transaction_id,
      limitKw: row.limit_kw,
      paused: row.paused === 1,
      state: row.state as Allocation['state'],
    }));
  }

  /**
   * Stores the allocations that changed, and forgets those of the site's sessions not in
   * `active` (sessions that ended).
   */
  async saveAllocations(
    siteId: number,
    active: readonly number[],
    allocations: readonly Allocation[],
    now: string,
  ): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      let forget = trx.deleteFrom('load_allocations').where('site_id', '=', siteId);
      if (active.length > 0) forget = forget.where('transaction_id', 'not in', [...active]);
      await forget.execute();
      for (const allocation of allocations) {
        const values = {
          limit_kw: allocation.limitKw,
          paused: allocation.paused ? 1 : 0,
          state: allocation.state,
          updated_at: now,
        };
        await trx
          .insertInto('load_allocations')
          .values({ transaction_id: allocation.transactionId, site_id: siteId, ...values })
          .onConflict((oc) => oc.column('transaction_id').doUpdateSet({ site_id: siteId, ...values }))
          .execute();
      }
    });
  }

  /** Marks a station's allocations to be sent again (it booted: its TxProfiles are gone). */
  async resendTo(chargePointId: string): Promise<void> {
    await this.db
      .updateTable('load_allocations')
      .set({ state: 'pending' })
      .where('state', '=', 'sent')
      .where(
        'transaction_id',
        'in',
        this.db
          .selectFrom('transactions')
          .innerJoin('stations', 'stations.id', 'transactions.station_id')
          .select('transactions.id')
          .where('stations.charge_point_id', '=', chargePointId),
      )
      .execute();
  }
}
