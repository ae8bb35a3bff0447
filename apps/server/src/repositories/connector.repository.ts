import type { Kysely } from 'kysely';
import { BatchWriter } from '../db/batch-writer.js';
import { BulkInsert } from '../db/bulk-insert.js';
import type { Database } from '../db/schema.js';
import type { Connector } from '../domain/station.js';
import type { StationStatus } from '../domain/station-status.js';

/** The columns of a connector's row, in the order storeBatched() flattens them. */
const CONNECTOR_COLUMNS = [
  'station_id',
  'connector_id',
  'status',
  'error_code',
  'info',
  'vendor_id',
  'vendor_error_code',
  'status_at',
  'updated_at',
] as const;

/** The connectors of the stations: their last status notification each. */
export class ConnectorRepository {
  /** Connector statuses by group commit (storeBatched). */
  private readonly batch: BatchWriter<unknown>;

  constructor(private readonly db: Kysely<Database>) {
    const upsert = new BulkInsert(db, 'connectors', CONNECTOR_COLUMNS, {
      replaceOn: ['station_id', 'connector_id'],
    });
    this.batch = new BatchWriter(async (values) => {
      await upsert.insertValues(values);
    });
  }

  /**
   * Stores a connector's status (inserted, or replacing the row it has) by group commit with the
   * connectors of the same turn (see BatchWriter). One call per connector at a time (a statement
   * may not name a connector twice).
   */
  storeBatched(stationId: number, connector: Connector, now: string): Promise<void> {
    return this.batch.add([
      stationId,
      connector.connectorId,
      connector.status,
      connector.errorCode,
      connector.info,
      connector.vendorId,
      connector.vendorErrorCode,
      connector.timestamp,
      now,
    ]);
  }

  /**
   * In one read, what a new status of `connectorId` is derived with: the station's stored status
   * (undefined for no such station) and the statuses of its other connectors.
   */
  async statusesBesides(
    stationId: number,
    connectorId: number,
  ): Promise<{ station: StationStatus | undefined; others: string[] }> {
    const rows = await this.db
      .selectFrom('stations as s')
      .leftJoin('connectors as c', (join) =>
        join.onRef('c.station_id', '=', 's.id').on('c.connector_id', '!=', connectorId),
      )
      .select(['s.status as station', 'c.status as connector'])
      .where('s.id', '=', stationId)
      .execute();
    return {
      station: rows[0]?.station as StationStatus | undefined,
      others: rows.flatMap((row) => (row.connector === null ? [] : [row.connector])),
    };
  }

  /** Writes the statuses still pending; call before closing the database. */
  flush(): Promise<void> {
    return this.batch.close();
  }
}
