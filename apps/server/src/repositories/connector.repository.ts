import type { Kysely } from 'kysely';
import { BatchWriter } from '../db/batch-writer.js';
import { BulkInsert } from '../db/bulk-insert.js';
import type { Database } from '../db/schema.js';
import type { Connector } from '../domain/station.js';

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

  async upsert(stationId: number, connector: Connector, now: string): Promise<void> {
    const values = {
      status: connector.status,
      error_code: connector.errorCode,
      info: connector.info,
      vendor_id: connector.vendorId,
      vendor_error_code: connector.vendorErrorCode,
      status_at: connector.timestamp,
      updated_at: now,
    };
    await this.db
      .insertInto('connectors')
      .values({ station_id: stationId, connector_id: connector.connectorId, ...values })
      .onConflict((oc) => oc.columns(['station_id', 'connector_id']).doUpdateSet(values))
      .execute();
  }

  /**
   * What upsert() does, by group commit with the connectors of the same turn (see BatchWriter):
   * for a status told again, as a 2.x station's periodic TransactionEvent does. One call per
   * connector at a time (a statement may not name a connector twice).
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

  /** The statuses of a station's connectors. */
  async statuses(stationId: number): Promise<string[]> {
    const rows = await this.db
      .selectFrom('connectors')
      .select('status')
      .where('station_id', '=', stationId)
      .execute();
    return rows.map((row) => row.status);
  }

  /** Writes the statuses still pending; call before closing the database. */
  flush(): Promise<void> {
    return this.batch.close();
  }
}
