import type { RealtimeEventName, ServerToClientEvents } from '@cimorings/contracts';
import type { DomainEvent } from '../domain/events.js';
import type { EventKind } from './rooms.js';

/** A customer event ready to send: its name, payload, kind and station. */
export interface OutgoingEvent<E extends RealtimeEventName = RealtimeEventName> {
  name: E;
  payload: Parameters<ServerToClientEvents[E]>[0];
  kind: EventKind;
  chargePointId: string;
}

/**
 * Turns a domain event into the customer's Socket.IO event with exactly the document's fields
 * (CONTRACT section 5); `undefined` for domain events clients do not receive.
 */
export function toRealtimeEvent(event: DomainEvent): OutgoingEvent | undefined {
  switch (event.type) {
    case 'TransactionStarted':
      return {
        name: 'transaction_started',
        kind: 'transactions',
        chargePointId: event.chargePointId,
        payload: {
          chargePointId: event.chargePointId,
          transactionId: event.transactionId,
          connectorId: event.connectorId,
          idTag: event.idTag,
          meterStart: event.meterStart,
          timestamp: event.timestamp,
        },
      };
    case 'TransactionStopped':
      return {
        name: 'transaction_stopped',
        kind: 'transactions',
        chargePointId: event.chargePointId,
        payload: {
          chargePointId: event.chargePointId,
          transactionId: event.transactionId,
          meterStop: event.meterStop,
          reason: event.reason,
          timestamp: event.timestamp,
        },
      };
    case 'StationStatusChanged':
      return {
        name: 'station_status_updated',
        kind: 'stations',
        chargePointId: event.chargePointId,
        payload: { chargePointId: event.chargePointId, status: event.status, timestamp: event.timestamp },
      };
    case 'ConnectorStatusChanged':
      return {
        name: 'connector_status_updated',
        kind: 'stations',
        chargePointId: event.chargePointId,
        payload: {
          chargePointId: event.chargePointId,
          connectorId: event.connectorId,
          status: event.status,
          errorCode: event.errorCode,
          timestamp: event.timestamp,
        },
      };
    case 'MeterValuesReceived':
      return {
        name: 'meter_values_updated',
        kind: 'transactions',
        chargePointId: event.chargePointId,
        payload: {
          chargePointId: event.chargePointId,
          transactionId: event.transactionId,
          connectorId: event.connectorId,
          energy: event.energy,
          power: event.power,
          soc: event.soc,
          timestamp: event.timestamp,
        },
      };
    case 'ReservationCreated':
      return {
        name: 'reservation_created',
        kind: 'reservations',
        chargePointId: event.chargePointId,
        payload: {
          reservationId: event.reservationId,
          chargePointId: event.chargePointId,
          connectorId: event.connectorId,
          idTag: event.idTag,
          expiryDate: event.expiryDate,
          userName: event.userName,
          phoneNumber: event.phoneNumber,
        },
      };
    case 'ReservationCancelled':
      return {
        name: 'reservation_cancelled',
        kind: 'reservations',
        chargePointId: event.chargePointId,
        payload: {
          reservationId: event.reservationId,
          chargePointId: event.chargePointId,
          connectorId: event.connectorId,
          reason: event.reason,
        },
      };
    case 'StationConnected':
    case 'StationDisconnected':
    case 'AccessChanged':
      return undefined;
  }
}
