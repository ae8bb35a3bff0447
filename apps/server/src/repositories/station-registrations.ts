import type { Kysely } from 'kysely';
import { BatchWriter } from '../db/batch-writer.js';
import { BulkInsert } from '../db/bulk-insert.js';
import type { Database } from '../db/schema.js';
import type { StationStatus } from '../domain/station-status.js';
import {
  bootColumns,
  CREDENTIAL_COLUMNS,
  newStationRow,
  toCredentials,
  type BootRecord,
  type NewStation,
  type StationCredentials,
} from './station-rows.js';

/** The row of a charge point that registers itself at its boot: stored connected and booted. */
function registeredRow(station: NewStation, boot: BootRecord & { status: StationStatus }) {
  return { ...newStationRow(station), ...bootColumns(boot), connected: 1, status: boot.status };
}
type RegisteredRow = ReturnType<typeof registeredRow>;
type CredentialRow = Parameters<typeof toCredentials>[0];

/** The columns of registeredRow, in the order the batched INSERT names them. */
const REGISTERED_COLUMNS = [
  'charge_point_id',
  'name',
  'site_id',
  'max_power_kw',
  'location',
  'ocpp_password_hash',
  'security_profile',
  'registration',
  'status',
  'connected',
  'created_at',
  'updated_at',
  'vendor',
  'model',
  'serial_number',
  'charge_box_serial_number',
  'firmware_version',
  'iccid',
  'imsi',
  'meter_type',
  'meter_serial_number',
  'ocpp_protocol',
  'ocpp_version',
  'last_boot_at',
  'last_seen_at',
  'clock_skew_seconds',
] as const satisfies readonly (keyof RegisteredRow)[];

// Fails to compile when registeredRow writes a column the list above does not name.
const EVERY_COLUMN_NAMED: Exclude<keyof RegisteredRow, (typeof REGISTERED_COLUMNS)[number]> extends never
  ? true
  : never = true;
void EVERY_COLUMN_NAMED;

/**
 * Flat rows of REGISTERED_COLUMNS sorted by charge point id: two nodes whose batches hold some
 * of the same ids then wait for each other in the same order on PostgreSQL's unique index,
 * rather than each holding what the other waits for (a deadlock).
 */
function byChargePointId(values: readonly unknown[]): unknown[] {
  const width = REGISTERED_COLUMNS.length;
  const at = REGISTERED_COLUMNS.indexOf('charge_point_id');
  const rows: unknown[][] = [];
  for (let start = 0; start < values.length; start += width) rows.push(values.slice(start, start + width));
  rows.sort((a, b) => (String(a[at]) < String(b[at]) ? -1 : String(a[at]) > String(b[at]) ? 1 : 0));
  return rows.flat();
}

/**
 * New stations, answering their credentials in the same round trip. Charge points registering
 * themselves at their boot (an unknown station under OCPP_UNKNOWN_STATIONS accept or pending) are
 * stored by group commit (BatchWriter): in a boot storm the registrations of one turn are one
 * multi-row INSERT instead of a statement and a commit each, and each boot is answered once the
 * statement holding its row has committed.
 */
export class StationRegistrations {
  private readonly atBoot: BatchWriter<unknown, Map<string, StationCredentials>>;
  /**
   * Charge point ids whose registration waits in `atBoot`: a second connection of the same id in
   * the meantime is not inserted beside it (one statement would store the row once and answer it
   * to both), it waits and is told the id is taken, as a later insert would be (or, when storing
   * the first failed, tries again itself).
   */
  private readonly registering = new Map<string, Promise<unknown>>();

  constructor(private readonly db: Kysely<Database>) {
    const insert = new BulkInsert(db, 'stations', REGISTERED_COLUMNS, {
      skipDuplicates: true,
      skipOn: ['charge_point_id'],
      returning: ['charge_point_id', ...CREDENTIAL_COLUMNS],
    });
    this.atBoot = new BatchWriter(async (values) => {
      const rows = (await insert.insertValues(byChargePointId(values))) as (CredentialRow & {
        charge_point_id: string;
      })[];
      return new Map(rows.map((row) => [row.charge_point_id, toCredentials(row)]));
    });
  }

  /**
   * Stores a new station as StationRepository.create does, answering its credentials;
   * undefined when the id is taken. With `boot`, the station is stored connected (`status`
   * derived from no connector) and booted, as ChargePointService.connected and recordBoot would
   * write it, by group commit with the other registrations of the same turn.
   */
  async create(
    station: NewStation,
    boot?: BootRecord & { status: StationStatus },
  ): Promise<StationCredentials | undefined> {
    if (!boot) {
      const row = await this.db
        .insertInto('stations')
        .values(newStationRow(station))
        .onConflict((oc) => oc.column('charge_point_id').doNothing())
        .returning(CREDENTIAL_COLUMNS)
        .executeTakeFirst();
      return row && toCredentials(row);
    }
    const { chargePointId } = station;
    const earlier = this.registering.get(chargePointId);
    if (earlier) {
      // Taken once the other one is stored; if storing it failed, this one tries on its own.
      const stored = await earlier.then(
        () => true,
        () => false,
      );
      return stored ? undefined : this.create(station, boot);
    }
    const row = registeredRow(station, boot);
    const stored = this.atBoot.add(REGISTERED_COLUMNS.map((column) => row[column]));
    this.registering.set(chargePointId, stored);
    try {
      // A row the table held already (another node, an operator) is not returned: taken.
      return (await stored).get(chargePointId);
    } finally {
      this.registering.delete(chargePointId);
    }
  }

  /** Writes the registrations still pending; call before closing the database. */
  flush(): Promise<void> {
    return this.atBoot.close();
  }
}
