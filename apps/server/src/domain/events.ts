import type {
  ConnectorStatusUpdatedPayload,
  MeterValuesUpdatedPayload,
  OcppVersion,
  ReservationCancelledPayload,
  ReservationCreatedPayload,
  SiteLoadUpdatedPayload,
  StationStatusUpdatedPayload,
  TransactionStartedPayload,
  TransactionStoppedPayload,
} from '@cimorings/contracts';

/**
 * What happened, published on the EventBus by the services: the customer's event payloads
 * (CONTRACT section 5) tagged with a type, plus what only the server needs. The real-time API
 * turns them into the Socket.IO events; times are ISO 8601 UTC, the charge point's own where its
 * message carries one.
 */
export type DomainEvent =
  | ({ type: 'TransactionStarted' } & TransactionStartedPayload)
  | ({ type: 'TransactionStopped'; connectorId: number | null } & TransactionStoppedPayload)
  | ({ type: 'StationStatusChanged' } & StationStatusUpdatedPayload)
  | ({ type: 'ConnectorStatusChanged' } & ConnectorStatusUpdatedPayload)
  | ({ type: 'MeterValuesReceived' } & MeterValuesUpdatedPayload)
  | ({ type: 'ReservationCreated' } & ReservationCreatedPayload)
  | ({ type: 'ReservationCancelled' } & ReservationCancelledPayload)
  | { type: 'StationConnected'; chargePointId: string; timestamp: string }
  | { type: 'StationDisconnected'; chargePointId: string; timestamp: string }
  /**
   * A station's BootNotification was answered Accepted: what it should hold is sent again. With
   * what the boot's write read back (its site, whether charging profiles are kept for it), so
   * that those who act on a boot need not read them again.
   */
  | {
      type: 'StationBooted';
      chargePointId: string;
      ocppVersion: OcppVersion;
      timestamp: string;
      siteId: number | null;
      keepsProfiles: boolean;
    }
  /** A site's limit, schedule or electrical settings changed: its load is shared again. */
  | { type: 'SiteLimitChanged'; siteId: number }
  /** The load manager gave a site's sessions new limits (CONTRACT section 9). */
  | ({ type: 'SiteLoadUpdated'; chargePointIds: string[] } & SiteLoadUpdatedPayload)
  /**
   * What a user may see or whether it may stay connected changed (disabled, deleted, password,
   * roles, station scope); `userId` null when it may have changed for any user (a role changed).
   */
  | { type: 'AccessChanged'; userId: number | null };
