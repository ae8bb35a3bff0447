import type { RealtimeEventName, ServerToClientEvents } from '@cimorings/contracts';
import type { DomainEvent } from '../domain/events.js';
import type { EventKind } from './rooms.js';

/** A customer event ready to send: its name, payload, kind and the stations it is about. */
export interface OutgoingEvent<E extends RealtimeEventName = RealtimeEventName> {
  name: E;
  payload: Parameters<ServerToClientEvents[E]>[0];
  kind: EventKind;
  /** One station, or every station of a site (`site_load_updated`; none for a site without stations). */
  chargePointIds: readonly string[];
}

/**
 * Turns a domain event into the customer's Socket.IO event with exactly the document's fields
 * (CONTRACT section 5); `undefined` for domain events clients do not receive.
 */
export function toRealtimeEvent(event: DomainEvent): OutgoingEvent | undefined {
  switch (event.type) {
    case 'TransactionStarted':
      return outgoing(
        'transaction_started',
        'transactions',
        pick(event, ['chargePointId', 'transactionId', 'connectorId', 'idTag', 'meterStart', 'timestamp']),
      );
    case 'TransactionStopped':
      return outgoing(
        'transaction_stopped',
        'transactions',
        pick(event, ['chargePointId', 'transactionId', 'meterStop', 'reason', 'timestamp']),
      );
    case 'StationStatusChanged':
      return outgoing(
        'station_status_updated',
        'stations',
        pick(event, ['chargePointId', 'status', 'timestamp']),
      );
    case 'ConnectorStatusChanged':
      return outgoing(
        'connector_status_updated',
        'stations',
        pick(event, ['chargePointId', 'connectorId', 'status', 'errorCode', 'timestamp']),
      );
    case 'MeterValuesReceived':
      return outgoing(
        'meter_values_updated',
        'transactions',
        pick(event, ['chargePointId', 'transactionId', 'connectorId', 'energy', 'power', 'soc', 'timestamp']),
      );
    case 'ReservationCreated':
      return outgoing(
        'reservation_created',
        'reservations',
        pick(event, [
          'reservationId',
          'chargePointId',
          'connectorId',
          'idTag',
          'expiryDate',
          'userName',
          'phoneNumber',
        ]),
      );
    case 'ReservationCancelled':
      return outgoing(
        'reservation_cancelled',
        'reservations',
        pick(event, ['reservationId', 'chargePointId', 'connectorId', 'reason']),
      );
    case 'SiteLoadUpdated':
      // CONTRACT section 9: room `dashboard` and the station rooms of the site's stations.
      return {
        name: 'site_load_updated',
        kind: 'stations',
        chargePointIds: event.chargePointIds,
        payload: pick(event, ['siteId', 'limitKw', 'allocatedKw', 'measuredKw', 'timestamp']),
      };
    case 'StationConnected':
    case 'StationDisconnected':
    case 'StationBooted':
    case 'SiteLimitChanged':
    case 'AccessChanged':
      return undefined;
  }
}

/** An event to send, to the rooms of the payload's station. */
function outgoing<E extends RealtimeEventName>(
  name: E,
  kind: EventKind,
  payload: OutgoingEvent<E>['payload'] & { chargePointId: string },
): OutgoingEvent<E> {
  return { name, kind, chargePointIds: [payload.chargePointId], payload };
}

/** Exactly the named fields of a domain event, in that order: nothing else reaches the client. */
function pick<T, K extends keyof T>(source: T, keys: readonly K[]): Pick<T, K> {
  const picked = {} as Pick<T, K>;
  for (const key of keys) picked[key] = source[key];
  return picked;
}
