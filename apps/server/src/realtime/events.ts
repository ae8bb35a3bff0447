import type { RealtimeEventName, ServerToClientEvents } from '@cimorings/contracts';
import type { DomainEvent } from '../domain/events.js';
import type { EventKind } from './rooms.js';

type Payload<E extends RealtimeEventName> = Parameters<ServerToClientEvents[E]>[0];
type EventOf<T extends DomainEvent['type']> = Extract<DomainEvent, { type: T }>;

/** A customer event ready to send: its name, payload, kind and the stations it is about. */
export interface OutgoingEvent<E extends RealtimeEventName = RealtimeEventName> {
  name: E;
  payload: Payload<E>;
  kind: EventKind;
  /** One station, or every station of a site (`site_load_updated`; none for a site without stations). */
  chargePointIds: readonly string[];
}

/**
 * The customer event each domain event becomes, and the kind of the rooms it goes to; null for
 * the domain events clients do not receive (CONTRACT section 5). `site_load_updated` goes to the
 * rooms of every station of its site (CONTRACT section 9), the others to their station's.
 */
const CUSTOMER_EVENTS = {
  TransactionStarted: ['transaction_started', 'transactions'],
  TransactionStopped: ['transaction_stopped', 'transactions'],
  StationStatusChanged: ['station_status_updated', 'stations'],
  ConnectorStatusChanged: ['connector_status_updated', 'stations'],
  MeterValuesReceived: ['meter_values_updated', 'transactions'],
  ReservationCreated: ['reservation_created', 'reservations'],
  ReservationCancelled: ['reservation_cancelled', 'reservations'],
  SiteLoadUpdated: ['site_load_updated', 'stations'],
  StationConnected: null,
  StationDisconnected: null,
  StationBooted: null,
  SiteLimitChanged: null,
  AccessChanged: null,
} as const satisfies Record<DomainEvent['type'], readonly [RealtimeEventName, EventKind] | null>;

/** Exactly the fields of each customer event, in the document's order, separated by spaces. */
const FIELDS = {
  transaction_started: 'chargePointId transactionId connectorId idTag meterStart timestamp',
  transaction_stopped: 'chargePointId transactionId meterStop reason timestamp',
  station_status_updated: 'chargePointId status timestamp',
  connector_status_updated: 'chargePointId connectorId status errorCode timestamp',
  meter_values_updated: 'chargePointId transactionId connectorId energy power soc timestamp',
  reservation_created: 'reservationId chargePointId connectorId idTag expiryDate userName phoneNumber',
  reservation_cancelled: 'reservationId chargePointId connectorId reason',
  site_load_updated: 'siteId limitKw allocatedKw measuredKw timestamp',
} as const satisfies Record<RealtimeEventName, string>;

// Checked when compiling: each list names every field of its payload and no other, and each
// domain event carries every field of the customer event it becomes.
type Words<S extends string> = S extends `${infer Word} ${infer Rest}` ? Word | Words<Rest> : S;
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Sent = {
  [T in keyof typeof CUSTOMER_EVENTS]: (typeof CUSTOMER_EVENTS)[T] extends readonly [infer E, EventKind]
    ? [T, E]
    : never;
}[keyof typeof CUSTOMER_EVENTS];
const fieldsNamePayloads: { [E in RealtimeEventName]: Same<Words<(typeof FIELDS)[E]>, keyof Payload<E>> } = {
  transaction_started: true,
  transaction_stopped: true,
  station_status_updated: true,
  connector_status_updated: true,
  meter_values_updated: true,
  reservation_created: true,
  reservation_cancelled: true,
  site_load_updated: true,
};
type EventsCarryPayloads = {
  [P in Sent as P[0]]: EventOf<P[0]> extends Payload<P[1] & RealtimeEventName> ? true : false;
};
const eventsCarryPayloads: EventsCarryPayloads = {
  TransactionStarted: true,
  TransactionStopped: true,
  StationStatusChanged: true,
  ConnectorStatusChanged: true,
  MeterValuesReceived: true,
  ReservationCreated: true,
  ReservationCancelled: true,
  SiteLoadUpdated: true,
};
void fieldsNamePayloads;
void eventsCarryPayloads;

/**
 * Turns a domain event into the customer's Socket.IO event with exactly the document's fields
 * (CONTRACT section 5); `undefined` for domain events clients do not receive.
 */
export function toRealtimeEvent(event: DomainEvent): OutgoingEvent | undefined {
  const customer: readonly [RealtimeEventName, EventKind] | null = CUSTOMER_EVENTS[event.type];
  if (!customer) return undefined;
  const [name, kind] = customer;
  const source = event as unknown as Record<string, unknown>;
  const payload: Record<string, unknown> = {};
  for (const field of FIELDS[name].split(' ')) payload[field] = source[field];
  return {
    name,
    kind,
    chargePointIds: event.type === 'SiteLoadUpdated' ? event.chargePointIds : [String(payload.chargePointId)],
    payload: payload as unknown as Payload<RealtimeEventName>,
  };
}
