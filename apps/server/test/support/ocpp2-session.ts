import type { TestChargePoint } from './ocpp-client.js';

/** The moment the 2.x session tests start at. */
export const T0 = '2026-01-11T14:30:00.000Z';

/** The time `minutes` after {@link T0}, ISO 8601 UTC. */
export const at = (minutes: number): string => new Date(Date.parse(T0) + minutes * 60_000).toISOString();

/** The eventType of a TransactionEvent. */
export type EventType = 'Started' | 'Updated' | 'Ended';

/** What a TransactionEvent of a test carries besides its type, id and seqNo. */
export interface EventFields {
  triggerReason?: string;
  timestamp?: string;
  chargingState?: string;
  stoppedReason?: string;
  idToken?: string;
  evseId?: number;
  offline?: boolean;
  reservationId?: number;
  /** Energy registers (Wh), each a sampled value with the given context. */
  energy?: { wh: number; context?: string; timestamp?: string }[];
  meterValue?: unknown[];
}

/** A TransactionEventRequest as a 2.0.1 station sends it. */
export function transactionEvent(
  eventType: EventType,
  transactionId: string,
  seqNo: number,
  fields: EventFields = {},
): Record<string, unknown> {
  const timestamp = fields.timestamp ?? new Date().toISOString();
  const meterValue =
    fields.meterValue ??
    fields.energy?.map((e) => ({
      timestamp: e.timestamp ?? timestamp,
      sampledValue: [
        {
          value: e.wh,
          measurand: 'Energy.Active.Import.Register',
          ...(e.context && { context: e.context }),
        },
      ],
    }));
  return {
    eventType,
    timestamp,
    triggerReason: fields.triggerReason ?? (eventType === 'Started' ? 'Authorized' : 'MeterValuePeriodic'),
    seqNo,
    transactionInfo: {
      transactionId,
      ...(fields.chargingState && { chargingState: fields.chargingState }),
      ...(fields.stoppedReason && { stoppedReason: fields.stoppedReason }),
    },
    ...(fields.offline !== undefined && { offline: fields.offline }),
    ...(fields.reservationId !== undefined && { reservationId: fields.reservationId }),
    ...(fields.evseId !== undefined && { evse: { id: fields.evseId, connectorId: 1 } }),
    ...(fields.idToken && { idToken: { idToken: fields.idToken, type: 'ISO14443' } }),
    ...(meterValue && meterValue.length > 0 && { meterValue }),
  };
}

/** Sends a TransactionEvent and answers the station's view of the answer. */
export async function sendEvent(
  cs: TestChargePoint,
  ...args: Parameters<typeof transactionEvent>
): Promise<{ idTokenInfo?: { status: string; groupIdToken?: { idToken: string; type: string } } }> {
  return (await cs.call('TransactionEvent', transactionEvent(...args))) as never;
}

/**
 * Sends the Updated event of a transaction whose charging state changed to `chargingState`
 * (triggerReason ChargingStateChanged), at `timestamp` or now.
 */
export function sendChargingState(
  cs: TestChargePoint,
  transactionId: string,
  seqNo: number,
  chargingState: string,
  timestamp?: string,
): ReturnType<typeof sendEvent> {
  return sendEvent(cs, 'Updated', transactionId, seqNo, {
    triggerReason: 'ChargingStateChanged',
    chargingState,
    ...(timestamp !== undefined && { timestamp }),
  });
}

/** Sends a StatusNotification for connector 1 of an EVSE. */
export async function sendStatus(
  cs: TestChargePoint,
  evseId: number,
  connectorStatus: string,
  timestamp: string,
): Promise<void> {
  await cs.call('StatusNotification', { timestamp, connectorStatus, evseId, connectorId: 1 });
}
