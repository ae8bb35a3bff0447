import { ENERGY, type MeterReading, type Sample } from './meter.js';

/** Started, Updated or Ended (OCPP 2.0.1 TransactionEventEnumType). */
export type TransactionEventType = 'Started' | 'Updated' | 'Ended';

/**
 * One TransactionEvent of an OCPP 2.x station as a domain input: the station's own transaction
 * id, the event's place in the transaction (`seqNo`), and what it tells.
 */
export interface TransactionEventInput {
  ocppTransactionId: string;
  eventType: TransactionEventType;
  seqNo: number;
  /** The station's time of the event, as it sent it. */
  timestamp: string;
  triggerReason: string;
  /** Sent from the station's offline queue. */
  offline: boolean;
  /** The EVSE (a connector of the station object), when the event names it. */
  connectorId?: number;
  /** idToken.idToken, when the event carries one. */
  idTag?: string;
  chargingState?: string;
  stoppedReason?: string;
  reservationId?: number;
  readings: readonly MeterReading[];
}

/** The energy registers one event tells (Wh), null where it tells none. */
export interface EnergyMarks {
  /** Of a Transaction.Begin sample. */
  begin: number | null;
  /** Of a Transaction.End sample. */
  end: number | null;
  first: number | null;
  last: number | null;
}

/** The energy register readings of an event's samples, in the order sent. */
export function energyMarks(samples: readonly Sample[]): EnergyMarks {
  const registers = samples.filter(
    (s) => s.measurand === ENERGY && s.phase === null && (s.location ?? 'Outlet') === 'Outlet',
  );
  const withContext = (context: string) => registers.find((s) => s.context === context)?.value ?? null;
  return {
    begin: withContext('Transaction.Begin'),
    end: withContext('Transaction.End'),
    first: registers[0]?.value ?? null,
    last: registers.at(-1)?.value ?? null,
  };
}

/**
 * The connector status a transaction's charging state shows (CONTRACT section 7): EVConnected
 * is Preparing, Charging, SuspendedEV and SuspendedEVSE are themselves, Idle is Finishing once
 * the transaction has charged; undefined when the state says nothing new (Idle before charging).
 */
export function statusOfChargingState(state: string, charged: boolean): string | undefined {
  switch (state) {
    case 'EVConnected':
      return 'Preparing';
    case 'Charging':
    case 'SuspendedEV':
    case 'SuspendedEVSE':
      return state;
    case 'Idle':
      return charged ? 'Finishing' : undefined;
    default:
      return undefined;
  }
}

/** The charging states after which an Idle transaction is finishing. */
export const CHARGED_STATES: readonly string[] = ['Charging', 'SuspendedEV', 'SuspendedEVSE'];

/**
 * A 2.x connector's status while a transaction runs on it: `Occupied` refined by the
 * transaction's latest charging state, any other status as the station sent it.
 */
export function refineConnectorStatus(
  connectorStatus: string,
  running: { chargingState: string | null; charged: boolean } | undefined,
): string {
  if (connectorStatus !== 'Occupied' || !running?.chargingState) return connectorStatus;
  return statusOfChargingState(running.chargingState, running.charged) ?? connectorStatus;
}
