import { SESSION_CONNECTOR_STATUSES, type StationStatus } from '@cimorings/contracts';

export { STATION_STATUSES, type StationStatus } from '@cimorings/contracts';

/** An OCPP 2.x `Occupied` connector without a transaction counts like `Preparing` (CONTRACT section 7). */
const OCCUPIED: readonly string[] = [...SESSION_CONNECTOR_STATUSES, 'Occupied'];

/**
 * In order, the station status a station has when any of its connectors is in one of `connectors`:
 * Faulted if any is Faulted; else Occupied if any is in a session state; else Reserved if any is
 * Reserved; else Available if any is Available; else (no rule) Unavailable. deriveStationStatus
 * reads them, and the database in one statement where the connectors are not read
 * (StationRepository.connect).
 */
export const STATION_STATUS_RULES: readonly { status: StationStatus; connectors: readonly string[] }[] = [
  { status: 'Faulted', connectors: ['Faulted'] },
  { status: 'Occupied', connectors: OCCUPIED },
  { status: 'Reserved', connectors: ['Reserved'] },
  { status: 'Available', connectors: ['Available'] },
];

/** The status of a station no rule of STATION_STATUS_RULES gives another, and of one not connected. */
export const NO_STATION_STATUS: StationStatus = 'Unavailable';

/**
 * Derives a station's status from its connectors' statuses, connector 0 (the charge point
 * itself) included, by STATION_STATUS_RULES. A station that is not connected is Unavailable
 * whatever its connectors last said.
 */
export function deriveStationStatus(connectorStatuses: readonly string[], connected = true): StationStatus {
  if (!connected) return NO_STATION_STATUS;
  const rule = STATION_STATUS_RULES.find(({ connectors }) =>
    connectorStatuses.some((status) => connectors.includes(status)),
  );
  return rule?.status ?? NO_STATION_STATUS;
}
