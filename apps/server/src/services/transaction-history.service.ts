import type { EventBus } from '../cluster/event-bus.js';
import { type Clock, isoNow, isoTime } from '../domain/clock.js';
import { closingMeterStop, type MeterValue, type Transaction } from '../domain/transaction.js';
import { canSeeStation, type Actor } from '../domain/user.js';
import { AppError } from '../errors.js';
import type { Page, PageRequest } from '../repositories/paging.js';
import type {
  TransactionFilter,
  TransactionOrder,
  TransactionRepository,
} from '../repositories/transaction.repository.js';

export interface TransactionListFilter extends Omit<TransactionFilter, 'scope' | 'silentSince'> {
  /** Only stuck transactions: active, with no meter value or heartbeat for the configured time. */
  stuck?: boolean;
}

export interface TransactionHistorySettings {
  /** Minutes of silence after which an active transaction is stuck (TRANSACTION_STUCK_AFTER_MINUTES). */
  stuckAfterMinutes: number;
}

/**
 * OCPP 1.6 Reason (§7.36) of the transaction_stopped event when an operator closes a
 * transaction: the charge point reported none, and the operator's own words are kept as the
 * transaction's stopReason.
 */
const OPERATOR_CLOSE_REASON = 'Other';

/**
 * Transactions as operators read and mend them, always within the caller's station scope:
 * lists, details, exports, and closing those stuck at a silent station.
 */
export class TransactionHistoryService {
  constructor(
    private readonly transactions: TransactionRepository,
    private readonly events: EventBus,
    private readonly clock: Clock,
    private readonly settings: TransactionHistorySettings,
  ) {}

  list(
    actor: Actor,
    page: PageRequest,
    filter: TransactionListFilter,
    order?: TransactionOrder,
  ): Promise<Page<Transaction>> {
    return this.transactions.list(page, this.scoped(actor, filter), order);
  }

  /**
   * A transaction with its meter values, by its integer id or by an OCPP 2.x station's own id
   * (CONTRACT section 7): digits are our id first; a station's id, unique per station, names the
   * newest such transaction among the stations the caller sees. NOT_FOUND also when its station
   * is outside the scope; VALIDATION_ERROR for digits beyond 2^53−1 that no station sent.
   */
  async get(actor: Actor, key: string): Promise<Transaction & { meterValues: MeterValue[] }> {
    const id = /^\d{1,16}$/.test(key) ? Number(key) : undefined;
    const byId =
      id !== undefined && id >= 1 && Number.isSafeInteger(id) ? await this.transactions.find(id) : undefined;
    const transaction =
      byId && canSeeStation(actor.stationScope, byId.chargePointId)
        ? byId
        : await this.transactions.findByOcppId(key, actor.stationScope);
    if (!transaction) {
      if (/^\d+$/.test(key) && !(id !== undefined && Number.isSafeInteger(id))) {
        throw new AppError('VALIDATION_ERROR', `transactionId ${key} is beyond 2^53−1`, {
          fields: ['transactionId'],
        });
      }
      throw new AppError('NOT_FOUND', `No transaction ${key}`);
    }
    return { ...transaction, meterValues: await this.transactions.meterValues(transaction.transactionId) };
  }

  /** Every transaction of the filter, a batch at a time, in id order (in start order with from/to). */
  export(actor: Actor, filter: TransactionListFilter): AsyncIterable<Transaction[]> {
    return this.transactions.inBatches(this.scoped(actor, filter));
  }

  /**
   * Completes an active transaction whose station went silent or offline, for an operator:
   * meterStop is the highest energy register it reported (else meterStart), stoppedAt now,
   * stopReason the operator's reason, and who closed it is recorded. Publishes
   * TransactionStopped as a StopTransaction would.
   * @throws AppError NOT_FOUND; CONFLICT when it is not active, or its station is connected and
   * has not been silent for the stuck time (stop it with RemoteStopTransaction then).
   */
  async close(actor: Actor, transactionId: number, reason: string): Promise<Transaction> {
    const transaction = await this.find(actor, transactionId);
    if (transaction.status !== 'active') {
      throw new AppError('CONFLICT', `Transaction ${transactionId} is not active`, {
        status: transaction.status,
      });
    }
    const activity = await this.transactions.activity(transactionId, this.stuckSince());
    if (activity.connected && !activity.silent) {
      throw new AppError(
        'CONFLICT',
        `Station ${transaction.chargePointId} is connected and reporting: stop the transaction with RemoteStopTransaction`,
        { connected: true },
      );
    }
    const highest = await this.transactions.highestEnergyRegister(transactionId);
    const meterStop = closingMeterStop(transaction.meterStart, highest);
    const now = isoNow(this.clock);
    if (!(await this.transactions.close(transactionId, { meterStop, reason, userId: actor.id, now }))) {
      throw new AppError('CONFLICT', `Transaction ${transactionId} stopped meanwhile`);
    }
    this.events.publish({
      type: 'TransactionStopped',
      chargePointId: transaction.chargePointId,
      transactionId,
      connectorId: transaction.connectorId,
      // The event promises a number; null is only possible for an older row with no plausible register.
      meterStop: meterStop ?? 0,
      reason: OPERATOR_CLOSE_REASON,
      timestamp: now,
    });
    return this.find(actor, transactionId);
  }

  private async find(actor: Actor, transactionId: number): Promise<Transaction> {
    const transaction = await this.transactions.find(transactionId);
    if (!transaction || !canSeeStation(actor.stationScope, transaction.chargePointId)) {
      throw new AppError('NOT_FOUND', `No transaction ${transactionId}`);
    }
    return transaction;
  }

  private scoped(actor: Actor, { stuck, ...filter }: TransactionListFilter): TransactionFilter {
    return { ...filter, scope: actor.stationScope, ...(stuck && { silentSince: this.stuckSince() }) };
  }

  /** The time before which silence makes an active transaction stuck. */
  private stuckSince(): string {
    return isoTime(new Date(this.clock.now().getTime() - this.settings.stuckAfterMinutes * 60_000));
  }
}
