import { SESSION_CONNECTOR_STATUSES, type StationStatus } from '@cimorings/contracts';

export { STATION_STATUSES, type StationStatus } from '@cimorings/contracts';

/** An OCPP 2.x `Occupied` connector without a transaction counts like `Preparing` (CONTRACT section 7). */
const OCCUPIED: readonly string[] = [...SESSION_CONNECTOR_STATUSES, 'Occupied'];

/**
 * Derives a station's status from its connectors' statuses, connector 0 (the charge point
 * itself) included: Faulted if any is Faulted; else Occupied if any is in a session state; else
 * Reserved if any is Reserved; else Available if any is Available; else Unavailable. A station
 * that is not connected is Unavailable whatever its connectors last said.
 */
export function deriveStationStatus(connectorStatuses: readonly string[], connected = true): StationStatus {
  if (!connected) return 'Unavailable';
  if (connectorStatuses.includes('Faulted')) return 'Faulted';
  if (connectorStatuses.some((status) => OCCUPIED.includes(status))) return 'Occupied';
  if (connectorStatuses.includes('Reserved')) return 'Reserved';
  if (connectorStatuses.includes('Available')) return 'Available';
  return 'Unavailable';
}
