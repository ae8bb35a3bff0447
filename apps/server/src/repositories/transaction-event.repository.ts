import type { Kysely } from 'kysely';
import { BatchWriter } from '../db/batch-writer.js';
import { BulkInsert } from '../db/bulk-insert.js';
import type { Database } from '../db/schema.js';
import type { Transaction } from '../domain/transaction.js';
import type { EnergyMarks, TransactionEventInput } from '../domain/transaction-event.js';
import { CHARGED_STATES } from '../domain/transaction-event.js';
import { selectTransactions, toTransaction } from './transaction-query.js';
import { activeRow } from './transaction.repository.js';
import { given } from './patch.js';

type Db = Kysely<Database>;

/** A transaction first heard of from a 2.x station's TransactionEvent. */
export interface NewStationTransaction {
  stationId: number;
  ocppTransactionId: string;
  connectorId: number;
  idTag: string | null;
  meterStart: number;
  startedAt: string;
  reservationId: number | null;
  now: string;
}

/** What the events of one transaction say, taken in seqNo order. */
export interface EventSummary {
  /** Wh: the Transaction.Begin register, else the first reading; null when none was sent. */
  meterStart: number | null;
  /** Wh: the Transaction.End register, else the last reading; null when none was sent. */
  meterStop: number | null;
  /** The charging state of the event with the highest seqNo that told one. */
  chargingState: string | null;
  /** The seqNo of that event. */
  chargingStateSeqNo: number | null;
  /** Whether any event had the EV charging (or suspended while charging). */
  charged: boolean;
  /** Whether meterStart is a Transaction.Begin register (not merely the first reading). */
  meterStartIsBegin: boolean;
  /** The highest seqNo kept. */
  lastSeqNo: number | null;
}

/** The columns of an event as recordOfKnown() flattens them, in this order. */
const EVENT_COLUMNS = [
  'station_id',
  'ocpp_transaction_id',
  'transaction_id',
  'seq_no',
  'event_type',
  'trigger_reason',
  'timestamp',
  'offline',
  'charging_state',
  'id_token',
  'energy_begin',
  'energy_end',
  'energy_first',
  'energy_last',
  'received_at',
] as const;

/** The stored row of an event. */
function eventRow(
  stationId: number,
  transactionId: number | null,
  event: TransactionEventInput,
  timestamp: string,
  energy: EnergyMarks,
  now: string,
) {
  return {
    station_id: stationId,
    ocpp_transaction_id: event.ocppTransactionId,
    transaction_id: transactionId,
    seq_no: event.seqNo,
    event_type: event.eventType,
    trigger_reason: event.triggerReason,
    timestamp,
    offline: event.offline ? 1 : 0,
    charging_state: event.chargingState ?? null,
    id_token: event.idTag ?? null,
    energy_begin: energy.begin,
    energy_end: energy.end,
    energy_first: energy.first,
    energy_last: energy.last,
    received_at: now,
  };
}

/** The key of one event: an event is kept once per station, station transaction id and seqNo. */
function eventKey(stationId: unknown, ocppTransactionId: unknown, seqNo: unknown): string {
  return `${String(stationId)}\n${String(ocppTransactionId)}\n${String(seqNo)}`;
}

/**
 * The TransactionEvents of 2.x stations (migration 007) and the transactions they make, found by
 * the station's own transaction id. Queries only.
 */
export class TransactionEventRepository {
  /** The events of known transactions, by group commit: each write tells the keys of the new rows. */
  private readonly known: BatchWriter<unknown, Set<string>>;

  constructor(private readonly db: Db) {
    const insert = new BulkInsert(db, 'transaction_events', EVENT_COLUMNS, {
      skipDuplicates: true,
      returning: ['station_id', 'ocpp_transaction_id', 'seq_no'],
    });
    this.known = new BatchWriter(async (values) => {
      const rows = await insert.insertValues(values);
      return new Set(rows.map((row) => eventKey(row.station_id, row.ocpp_transaction_id, row.seq_no)));
    });
  }

  /**
   * Keeps an event of a transaction that exists already, linked to it, by group commit with the
   * events of the same turn (see BatchWriter); false when one with its seqNo was kept already.
   */
  async recordOfKnown(
    stationId: number,
    transactionId: number,
    event: TransactionEventInput,
    timestamp: string,
    energy: EnergyMarks,
    now: string,
  ): Promise<boolean> {
    const row = eventRow(stationId, transactionId, event, timestamp, energy, now);
    const inserted = await this.known.add(EVENT_COLUMNS.map((column) => row[column]));
    return inserted.has(eventKey(stationId, event.ocppTransactionId, event.seqNo));
  }

  /** Writes the events still pending; call before closing the database. */
  flush(): Promise<void> {
    return this.known.close();
  }

  /** Keeps an event; false when one with its seqNo was kept already (a repeat). */
  async record(
    stationId: number,
    event: TransactionEventInput,
    timestamp: string,
    energy: EnergyMarks,
    now: string,
  ): Promise<boolean> {
    const inserted = await this.db
      .insertInto('transaction_events')
      .values(eventRow(stationId, null, event, timestamp, energy, now))
      .onConflict((oc) => oc.columns(['station_id', 'ocpp_transaction_id', 'seq_no']).doNothing())
      .returning('id')
      .executeTakeFirst();
    return inserted !== undefined;
  }

  async find(stationId: number, ocppTransactionId: string): Promise<Transaction | undefined> {
    const row = await selectTransactions(this.db)
      .where('transactions.station_id', '=', stationId)
      .where('transactions.ocpp_transaction_id', '=', ocppTransactionId)
      .executeTakeFirst();
    return row && toTransaction(row);
  }

  /** Creates the transaction of a station transaction id, or finds the one created before. */
  async create(start: NewStationTransaction): Promise<{ transaction: Transaction; created: boolean }> {
    const inserted = await this.db
      .insertInto('transactions')
      // The 1.6 retry key (migration 003, start_reported_at) is not this transaction's: its id is the station's.
      .values({ ...activeRow(start), ocpp_transaction_id: start.ocppTransactionId, start_reported_at: null })
      .onConflict((oc) => oc.columns(['station_id', 'ocpp_transaction_id']).doNothing())
      .returning('id')
      .executeTakeFirst();
    const transaction = await this.find(start.stationId, start.ocppTransactionId);
    if (!transaction) throw new Error(`transaction ${start.ocppTransactionId} vanished`);
    return { transaction, created: inserted !== undefined };
  }

  /** Points the transaction's events at it. */
  async link(stationId: number, ocppTransactionId: string, transactionId: number): Promise<void> {
    await this.db
      .updateTable('transaction_events')
      .set({ transaction_id: transactionId })
      .where('station_id', '=', stationId)
      .where('ocpp_transaction_id', '=', ocppTransactionId)
      .where('transaction_id', 'is', null)
      .execute();
  }

  async summary(stationId: number, ocppTransactionId: string): Promise<EventSummary> {
    const events = await this.db
      .selectFrom('transaction_events')
      .select(['seq_no', 'charging_state', 'energy_begin', 'energy_end', 'energy_first', 'energy_last'])
      .where('station_id', '=', stationId)
      .where('ocpp_transaction_id', '=', ocppTransactionId)
      .orderBy('seq_no')
      .execute();
    const first = events.find((e) => e.energy_first !== null)?.energy_first ?? null;
    const last = events.findLast((e) => e.energy_last !== null)?.energy_last ?? null;
    const state = events.findLast((e) => e.charging_state !== null);
    const begin = events.find((e) => e.energy_begin !== null)?.energy_begin ?? null;
    const lastSeqNo = events.at(-1)?.seq_no;
    return {
      meterStart: begin ?? first,
      meterStartIsBegin: begin !== null,
      lastSeqNo: lastSeqNo === undefined ? null : Number(lastSeqNo),
      meterStop: events.findLast((e) => e.energy_end !== null)?.energy_end ?? last,
      chargingState: state?.charging_state ?? null,
      chargingStateSeqNo: state ? Number(state.seq_no) : null,
      charged: events.some((e) => e.charging_state !== null && CHARGED_STATES.includes(e.charging_state)),
    };
  }

  /** Changes what later events tell of a transaction: its tag, start, registers, connector. */
  async amend(
    transactionId: number,
    changes: {
      idTag?: string;
      startedAt?: string;
      meterStart?: number;
      meterStop?: number;
      connectorId?: number;
    },
    now: string,
  ): Promise<void> {
    const set = given({
      id_tag: changes.idTag,
      started_at: changes.startedAt,
      meter_start: changes.meterStart,
      connector_id: changes.connectorId,
    });
    if (Object.keys(set).length > 0) {
      await this.db
        .updateTable('transactions')
        .set({ ...set, updated_at: now })
        .where('id', '=', transactionId)
        .execute();
    }
    if (changes.meterStop !== undefined) {
      // Only once stopped: a running transaction has no meterStop yet.
      await this.db
        .updateTable('transactions')
        .set({ meter_stop: changes.meterStop, updated_at: now })
        .where('id', '=', transactionId)
        .where('stopped_at', 'is not', null)
        .execute();
    }
  }

  /** The 2.x transaction running on a station's connector (EVSE), if any, newest first. */
  async running(stationId: number, connectorId: number): Promise<Transaction | undefined> {
    const row = await selectTransactions(this.db)
      .where('transactions.station_id', '=', stationId)
      .where('transactions.connector_id', '=', connectorId)
      .where('transactions.status', '=', 'active')
      .where('transactions.ocpp_transaction_id', 'is not', null)
      .orderBy('transactions.id', 'desc')
      .executeTakeFirst();
    return row && toTransaction(row);
  }
}
