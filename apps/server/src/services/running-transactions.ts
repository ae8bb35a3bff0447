import type { DomainEvent } from '../domain/events.js';
import type { Transaction } from '../domain/transaction.js';
import type { ChargePointSession } from './charge-point.service.js';

/** Running transactions remembered before the memory is emptied and refilled. */
const REMEMBERED = 100_000;
/**
 * How long an entry is believed: a stop told on another node (an operator closing the
 * transaction there) is not heard here, so the transaction is read back at least this often.
 */
const BELIEVED_MS = 60_000;

/** What the events of a running 2.x transaction told so far, as its station's connection saw them. */
export interface RunningTransaction {
  /** The connection (session) that saw them: another connection reads them again. */
  session: ChargePointSession;
  transaction: Transaction;
  /** The highest seqNo kept. */
  lastSeqNo: number;
  /** Where the transaction's meterStart comes from: a Transaction.Begin register, the first reading, or none yet. */
  meterStart: 'begin' | 'first' | null;
  /** Whether any event had the EV charging (or suspended while charging). */
  charged: boolean;
  /** When the transaction was last read (ms since the epoch); set by remember(). */
  readAt?: number;
}

/**
 * The running 2.x transactions of this node's connections, so that a station's periodic
 * TransactionEvent Updated, in seqNo order, is taken without reading the transaction and all its
 * events back (TransactionEventService). An entry counts only for the connection that made it:
 * its calls are handled one at a time, in order, and while it is open no other node hears from
 * its station. A stop told on this node forgets the transaction; one told on another node is
 * seen when the entry is read again (BELIEVED_MS).
 */
export class RunningTransactions {
  private readonly byKey = new Map<string, RunningTransaction>();
  private readonly keyOf = new Map<number, string>();
  /** The keys each open connection made, so that its entries go when it closes. */
  private readonly keysOf = new Map<ChargePointSession, Set<string>>();
  /** Connections that closed: an event of theirs still being recorded remembers nothing. */
  private readonly closed = new WeakSet<ChargePointSession>();

  /** How many entries are kept. */
  get size(): number {
    return this.byKey.size;
  }

  /** The entry of the session's station transaction id, when this very connection made it. */
  find(session: ChargePointSession, ocppTransactionId: string): RunningTransaction | undefined {
    const running = this.byKey.get(key(session.stationId, ocppTransactionId));
    if (running?.session !== session) return undefined;
    return Date.now() - (running.readAt ?? 0) <= BELIEVED_MS ? running : undefined;
  }

  remember(running: RunningTransaction): void {
    const { session } = running;
    if (this.closed.has(session)) return;
    // A last guard only: a connection's entries go when it closes, and a transaction's when it ends.
    if (this.byKey.size >= REMEMBERED) {
      this.byKey.clear();
      this.keyOf.clear();
      this.keysOf.clear();
    }
    const entry = key(session.stationId, running.transaction.ocppTransactionId ?? '');
    running.readAt = Date.now();
    this.byKey.set(entry, running);
    this.keyOf.set(running.transaction.transactionId, entry);
    const keys = this.keysOf.get(session);
    if (keys) keys.add(entry);
    else this.keysOf.set(session, new Set([entry]));
  }

  forget(transactionId: number): void {
    const entry = this.keyOf.get(transactionId);
    if (entry === undefined) return;
    this.keyOf.delete(transactionId);
    const running = this.byKey.get(entry);
    this.byKey.delete(entry);
    if (!running) return;
    const keys = this.keysOf.get(running.session);
    keys?.delete(entry);
    if (keys?.size === 0) this.keysOf.delete(running.session);
  }

  /** Forgets the transaction an Ended event of the station ends, before it is recorded. */
  ending(session: ChargePointSession, ocppTransactionId: string): void {
    const running = this.byKey.get(key(session.stationId, ocppTransactionId));
    if (running) this.forget(running.transaction.transactionId);
  }

  /** Forgets what a connection told, once it closed (whichever way, replaced too). */
  connectionClosed(session: ChargePointSession): void {
    this.closed.add(session);
    for (const entry of this.keysOf.get(session) ?? []) {
      const running = this.byKey.get(entry);
      if (running?.session !== session) continue;
      this.byKey.delete(entry);
      this.keyOf.delete(running.transaction.transactionId);
    }
    this.keysOf.delete(session);
  }

  /** Forgets a transaction once anyone tells its stop (subscribe it to the EventBus). */
  readonly onEvent = (event: DomainEvent): void => {
    if (event.type === 'TransactionStopped') this.forget(event.transactionId);
  };
}

function key(stationId: number, ocppTransactionId: string): string {
  return `${stationId}\n${ocppTransactionId}`;
}
