/**
 * The REST shapes the dashboard reads (CONTRACT section 3): the types of the server's own
 * schemas in @cimorings/contracts/rest, never written again here. Type-only imports: nothing of
 * the schema library reaches the bundle. Times are ISO 8601 UTC strings; energy in Wh, power in
 * kW, SoC in %.
 */
import type * as rest from '@cimorings/contracts/rest';
import type { Static } from 'typebox';

export type { IdTagStatus, ReservationStatus, StationStatus } from '@cimorings/contracts';
export type {
  ChargingProfile,
  CommandAudit,
  CreatedStation,
  IdTag,
  ImportReport,
  LocalListRequest,
  LocalListResult,
  LimitWindow,
  LoginResponse,
  NewReservation,
  NewRole,
  NewChargingProfile,
  NewSite,
  NewStation,
  NewUser,
  OcppMessage,
  Onboarding,
  PermissionInfo,
  Role,
  RoleChanges,
  SecurityEvent,
  Site,
  StationCertificate,
  StationChanges,
  StationVariable,
  SiteChanges,
  SiteLoad,
  StationChargingProfile,
  Stats,
  UserChanges,
  UserView,
  VariableChanges,
} from '@cimorings/contracts/rest';

/** The operations every station offers whatever its OCPP version, with their bodies (CONTRACT section 7). */
export interface StationOperationBodies {
  'remote-start': rest.RemoteStart;
  'remote-stop': Static<typeof rest.RemoteStopSchema>;
  reset: Static<typeof rest.ResetSchema>;
  unlock: Static<typeof rest.UnlockSchema>;
  availability: Static<typeof rest.AvailabilitySchema>;
}
export type StationOperation = keyof StationOperationBodies;
/** A station's answer to an operation: its `status`, and whatever else it said. */
export type StationAnswer = Static<typeof rest.StationAnswerSchema>;

/** `PATCH /api/stations/{id}/variables`: the station's answer per change, in order. */
export type VariableResults = Static<typeof rest.VariableResultsSchema>;

/** A page of a list: `{ items, total }`. */
export interface Page<T> {
  items: T[];
  total: number;
}

/**
 * A resource the dashboard also builds or updates from a real-time event: the fields the event
 * does not carry are absent until the resource is fetched again.
 */
type FromEvent<T, K extends keyof T> = Omit<T, K> & Partial<Pick<T, K>>;

/** `connector_status_updated` carries no `info` nor `vendorErrorCode`. */
export type Connector = FromEvent<rest.Connector, 'info' | 'vendorErrorCode'>;
export type Station = Omit<rest.Station, 'connectors'> & { connectors: Connector[] };

/** `transaction_started` carries what a running transaction has, not how it ended or was reserved. */
export type Transaction = FromEvent<
  rest.Transaction,
  'reservationId' | 'durationSeconds' | 'closedBy' | 'closedAt' | 'authorizationStatus'
>;
/** `meter_values_updated` carries phase-less totals: no phase, location nor context. */
export type MeterValue = FromEvent<rest.MeterValue, 'phase' | 'location' | 'context'>;
export type TransactionDetail = Transaction & { meterValues: MeterValue[] };

/** `reservation_created` carries neither the parent tag, the author nor the times. */
export type Reservation = FromEvent<
  rest.Reservation,
  'parentIdTag' | 'createdBy' | 'transactionId' | 'createdAt' | 'updatedAt'
>;

/** A list's filters as the dashboard's forms hold them: `''` or `null` for "any" (not sent). */
type FormFilters<T> = { [K in keyof T]?: T[K] | '' | null };

export type StationFilters = FormFilters<rest.StationFilters>;
export type TransactionFilters = FormFilters<rest.TransactionFilters>;

/** What an operator may set on an id tag (`POST` and `PATCH /api/id-tags`). */
export type IdTagFields = rest.IdTagChanges;

export type User = rest.UserView;
