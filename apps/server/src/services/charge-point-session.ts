/**
 * The shapes of an admitted charge point's session, as the services and the OCPP transport pass
 * it between them (ChargePointService re-exports them), and the event a stored connector status
 * makes of it.
 */
import type { OcppVersion } from '@cimorings/contracts';
import type { UnknownStationPolicy } from '../config.js';
import type { DomainEvent } from '../domain/events.js';
import type { ConnectorReport, Registration } from '../domain/station.js';

/** What the OCPP transport keeps about an admitted charge point for its connection. */
export interface ChargePointSession {
  stationId: number;
  chargePointId: string;
  registration: Registration;
}

/**
 * A charge point let through the WebSocket upgrade. `station` is its registered session, or
 * null for an unknown charge point until its first valid BootNotification registers it: no
 * station row exists for a charge point that has only opened a socket (issue 10, item 4).
 */
export interface Admission {
  chargePointId: string;
  /** The OCPP version of this connection (its subprotocol). */
  ocppVersion: OcppVersion;
  station: ChargePointSession | null;
}

export interface ChargePointSettings {
  unknownStations: UnknownStationPolicy;
  /** Seconds, sent in BootNotification.conf. */
  heartbeatInterval: number;
  /** Most stations awaiting approval; past it, unknown charge points are refused. */
  pendingStationsMax: number;
}

/** What BootNotification.conf answers (OCPP 1.6 §6.4). */
export interface BootAnswer {
  status: 'Accepted' | 'Pending' | 'Rejected';
  interval: number;
  currentTime: string;
}

/** What a stored connector status tells others. */
export function connectorChangedOf(
  session: ChargePointSession,
  report: ConnectorReport & { timestamp: string },
): DomainEvent {
  return {
    type: 'ConnectorStatusChanged',
    chargePointId: session.chargePointId,
    connectorId: report.connectorId,
    status: report.status,
    errorCode: report.errorCode,
    timestamp: report.timestamp,
  };
}
