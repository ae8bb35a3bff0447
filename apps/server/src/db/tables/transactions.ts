/** Id tags, reservations, transactions and their meter values and 2.x events. */
import type { ColumnType, Generated } from 'kysely';
import type { Flag, IsoTime } from './columns.js';

export interface IdTagsTable {
  id_tag: string;
  /** Accepted, Blocked or Expired. */
  status: string;
  expiry_date: IsoTime | null;
  parent_id_tag: string | null;
  user_id: number | null;
  /** The user who created the tag (migration 004); null when unknown. */
  created_by: number | null;
  /** 1: the tag may hold several active transactions at once. */
  allow_concurrent: Flag;
  /** The OCPP 2.x IdTokenEnumType (migration 007): ISO14443 unless told otherwise. */
  type: Generated<string>;
  created_at: IsoTime;
  updated_at: IsoTime;
}

/** Id tags deleted, so that a differential local list can tell the station to drop them. */
export interface IdTagDeletionsTable {
  id_tag: string;
  deleted_at: IsoTime;
  /** The deleted tag's type, to remove it from 2.x stations' local lists (migration 008). */
  type: Generated<string>;
}

export interface ReservationsTable {
  /** The OCPP reservationId. */
  id: Generated<number>;
  station_id: number;
  connector_id: number;
  id_tag: string;
  parent_id_tag: string | null;
  expiry_date: IsoTime;
  user_name: string | null;
  phone_number: string | null;
  /** active, used, cancelled, expired or refused. */
  status: string;
  transaction_id: number | null;
  created_by: number | null;
  created_at: IsoTime;
  updated_at: IsoTime;
}

export interface TransactionsTable {
  /** The OCPP transactionId. */
  id: Generated<number>;
  station_id: number;
  connector_id: number;
  /** Null for a 2.x transaction started without an id token (cable first) until one arrives. */
  id_tag: string | null;
  /** A 2.x station's own transaction id; null for 1.6, where the id is ours (migration 007). */
  ocpp_transaction_id: string | null;
  reservation_id: number | null;
  /** `active` or `completed`. */
  status: string;
  /** Wh. */
  meter_start: number;
  /** Wh. */
  meter_stop: number | null;
  /** The charge point's own timestamps. */
  started_at: IsoTime;
  stopped_at: IsoTime | null;
  stop_reason: string | null;
  stop_id_tag: string | null;
  /** The operator who closed the transaction for a silent station; null when the station stopped it. */
  closed_by: number | null;
  /** Server time an operator closed it; set only then, and kept when that user is deleted. */
  closed_at: IsoTime | null;
  /** The idTagInfo.status StartTransaction was answered with; only `Accepted` ones are ever active. */
  authorization_status: Generated<string>;
  /** The start time as the charge point sent it (ISO when readable): recognizes a retried start. */
  start_reported_at: string | null;
  created_at: IsoTime;
  updated_at: IsoTime;
}

/** StopTransaction.req for a transactionId we do not know: kept, never dropped (CONTRACT section 4). */
export interface UnmatchedStopsTable {
  id: Generated<number>;
  station_id: number;
  transaction_id: number;
  id_tag: string | null;
  meter_stop: number;
  stopped_at: IsoTime;
  reason: string | null;
  /** The request's transactionData, as JSON text. */
  transaction_data: string | null;
  received_at: IsoTime;
}

/** A 2.x TransactionEvent, kept once per station transaction and seqNo (migration 007). */
export interface TransactionEventsTable {
  id: Generated<number>;
  station_id: number;
  ocpp_transaction_id: string;
  /** Ours, once the transaction exists. */
  transaction_id: number | null;
  seq_no: number;
  /** Started, Updated or Ended. */
  event_type: string;
  trigger_reason: string;
  /** The station's time of the event. */
  timestamp: IsoTime;
  /** 1: sent from the station's offline queue. */
  offline: Flag;
  charging_state: string | null;
  /** idToken.idToken, when the event carries one. */
  id_token: string | null;
  /** Wh: the Transaction.Begin / Transaction.End energy register, the first and last energy reading. */
  energy_begin: number | null;
  energy_end: number | null;
  energy_first: number | null;
  energy_last: number | null;
  received_at: IsoTime;
}

export interface MeterValuesTable {
  id: Generated<number>;
  station_id: number;
  connector_id: number;
  /** -1 for a sample outside any transaction (NOT NULL since 011: the unique key is plain columns). */
  transaction_id: ColumnType<number, number | undefined, number>;
  sampled_at: IsoTime;
  measurand: string;
  /** '' for none (NOT NULL since 011), likewise location, context and unit. */
  phase: ColumnType<string, string | undefined, string>;
  location: ColumnType<string, string | undefined, string>;
  context: ColumnType<string, string | undefined, string>;
  /** The unit after conversion: Wh for energy, kW for power, Percent for SoC. */
  unit: ColumnType<string, string | undefined, string>;
  value: number;
  received_at: IsoTime;
}

/**
 * 15-minute aggregates of a transaction's meter values past METER_VALUES_RETENTION_DAYS, one row
 * per bucket and quantity (011). '' for a phase, location, context or unit the samples had none of.
 */
export interface MeterValueAggregatesTable {
  transaction_id: number;
  /** The bucket's start, on a 15-minute boundary (UTC). */
  bucket_start: IsoTime;
  measurand: string;
  phase: string;
  location: string;
  context: string;
  unit: string;
  samples: number;
  total: number;
  lowest: number;
  highest: number;
  /** The value and time of the bucket's latest sample. */
  last_value: number;
  last_at: IsoTime;
}

/** How many transactions a station has in a status, kept by the database (migration 013). */
export interface TransactionCountsTable {
  station_id: number;
  status: string;
  total: number;
}

/** Wh delivered by a station's transactions completed on a UTC day (`YYYY-MM-DD`), kept likewise. */
export interface TransactionEnergyDaysTable {
  station_id: number;
  day: string;
  energy_wh: number;
}
