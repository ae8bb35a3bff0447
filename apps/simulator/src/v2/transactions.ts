import type { v201 } from '@cimorings/ocpp';
import type { V2Response } from './connection.js';
import { randomUUID } from 'node:crypto';
import type { LogFn, ResolvedOptions } from '../options.js';
import type { Authorizer } from './authorization.js';
import type { DeviceModel } from './device-model.js';
import type { TransactionEventQueue } from './event-queue.js';
import type { Evse, EvseBank, RunningTransaction } from './evses.js';
import type { V2Emit } from './events.js';
import { toMeterValue } from './meter-values.js';

type IdToken = v201.IdTokenType;
type Reason = v201.ReasonEnumType;

/** How transactions reach the CSMS: their TransactionEvents, and the Authorize of their tokens. */
export interface TransactionCsms {
  queue: TransactionEventQueue;
  authorizer: Authorizer;
}

/** How a session begins. */
export interface V2StartOptions {
  /** Why: a driver at the station (`Authorized`, the default) or the CSMS (`RemoteStart`). */
  trigger?: 'Authorized' | 'RemoteStart';
  /** The CSMS's RequestStartTransaction id. */
  remoteStartId?: number;
  /** Skip Authorize (a remote start with AuthorizeRemoteStart false, F01.FR.02). */
  preAuthorized?: boolean;
}

/** Why a session did not start. */
export type V2StartRefusal = 'UnknownEvse' | 'Busy' | 'Unavailable' | 'Reserved' | 'NotAuthorized';

export type V2StartResult =
  | { started: true; transactionId: string; meterStart: number }
  | { started: false; reason: V2StartRefusal; status?: v201.AuthorizationStatusEnumType };

export interface V2StopResult {
  transactionId: string;
  meterStop: number;
  delivered: boolean;
}

/** The TransactionEvent trigger that goes with a stop reason. */
const STOP_TRIGGERS: Partial<Record<Reason, v201.TriggerReasonEnumType>> = {
  Local: 'StopAuthorized',
  Remote: 'RemoteStop',
  EVDisconnected: 'EVDeparted',
  ImmediateReset: 'ResetCommand',
  DeAuthorized: 'Deauthorized',
  EnergyLimitReached: 'EnergyLimitReached',
  TimeLimitReached: 'TimeLimitReached',
};

/**
 * Transactions of an OCPP 2.0.1 station (Part 2 E01 to E07, J02): TransactionEvent Started with
 * the Transaction.Begin meter values, Updated on each charging state change and every
 * TxUpdatedInterval seconds with Sample.Periodic values, and Ended with Transaction.End values and
 * the stopped reason; `seqNo` counts each transaction's events from 0. Every event goes through
 * the offline queue, so events made while offline reach the CSMS later, in order.
 */
export class TransactionRunner {
  private readonly timers = new Map<number, NodeJS.Timeout>();
  private readonly idleListeners: (() => void)[] = [];

  private readonly queue: TransactionEventQueue;
  private readonly authorizer: Authorizer;

  constructor(
    private readonly bank: EvseBank,
    csms: TransactionCsms,
    private readonly model: DeviceModel,
    private readonly emit: V2Emit,
    private readonly options: Pick<ResolvedOptions, 'log' | 'initialSoc' | 'time'>,
  ) {
    ({ queue: this.queue, authorizer: this.authorizer } = csms);
  }

  private get log(): LogFn {
    return this.options.log;
  }

  /** Calls `listener` each time the last running transaction ended. */
  onIdle(listener: () => void): void {
    this.idleListeners.push(listener);
  }

  /** Whether any transaction runs. */
  get busy(): boolean {
    return this.bank.all().some((e) => e.transaction);
  }

  /** An EV plugs in at `evseId` and charges for `idToken`. */
  async start(evseId: number, idToken: IdToken, options: V2StartOptions = {}): Promise<V2StartResult> {
    const evse = this.bank.get(evseId);
    if (!evse) return { started: false, reason: 'UnknownEvse' };
    if (evse.transaction) return { started: false, reason: 'Busy' };
    if (evse.faulted || !evse.operative) return { started: false, reason: 'Unavailable' };
    if (evse.reservation && evse.reservation.idToken.idToken !== idToken.idToken)
      return { started: false, reason: 'Reserved' };
    if (!options.preAuthorized) {
      const { status } = await this.authorizer.authorize(idToken);
      if (status !== 'Accepted') return { started: false, reason: 'NotAuthorized', status };
    }
    if (evse.transaction) return { started: false, reason: 'Busy' };
    const now = this.options.time.now();
    const transaction: RunningTransaction = {
      transactionId: randomUUID(),
      seqNo: 0,
      idToken,
      chargingState: 'EVConnected',
      meterStart: evse.meter.registerWh(now),
      startedAt: now,
      ...(evse.reservation ? { reservationId: evse.reservation.id } : {}),
      ...(options.remoteStartId === undefined ? {} : { remoteStartId: options.remoteStartId }),
    };
    if (evse.reservation) clearTimeout(evse.reservation.timer);
    evse.reservation = undefined;
    evse.plugged = true;
    evse.transaction = transaction;
    await this.bank.refresh(evse);
    const timestamp = new Date(now).toISOString();
    const answer = await this.event(evse, 'Started', options.trigger ?? 'Authorized', {
      idToken,
      ...(transaction.reservationId === undefined ? {} : { reservationId: transaction.reservationId }),
      ...this.meterValue(evse, 'Transaction.Begin', 'TxStartedMeasurands'),
    });
    this.emit('transactionStarted', {
      evseId,
      transactionId: transaction.transactionId,
      idToken: idToken.idToken,
      meterStart: transaction.meterStart,
      timestamp,
      ...(transaction.reservationId === undefined ? {} : { reservationId: transaction.reservationId }),
      ...(transaction.remoteStartId === undefined ? {} : { remoteStartId: transaction.remoteStartId }),
    });
    const verdict = answer?.idTokenInfo?.status ?? 'Accepted';
    if (verdict !== 'Accepted' && this.model.flag('TxCtrlr', 'StopTxOnInvalidId')) {
      await this.stop(evseId, 'DeAuthorized');
      return { started: false, reason: 'NotAuthorized', status: verdict };
    }
    evse.meter.startCharging(this.options.initialSoc, this.options.time.now());
    await this.changeState(evse, 'Charging');
    this.arm(evse);
    return { started: true, transactionId: transaction.transactionId, meterStart: transaction.meterStart };
  }

  /** Ends the transaction on `evseId` and unplugs the EV; `undefined` when none runs there. */
  async stop(evseId: number, reason: Reason = 'Local'): Promise<V2StopResult | undefined> {
    const evse = this.bank.get(evseId);
    const transaction = evse?.transaction;
    if (!evse || !transaction) return undefined;
    this.options.time.clearInterval(this.timers.get(evseId));
    this.timers.delete(evseId);
    const reading = evse.meter.stopCharging(this.options.time.now());
    const meterStop = Math.round(reading.energyWh);
    const timestamp = new Date(this.options.time.now()).toISOString();
    transaction.chargingState = reason === 'EVDisconnected' ? 'Idle' : 'EVConnected';
    await this.event(
      evse,
      'Ended',
      STOP_TRIGGERS[reason] ?? 'AbnormalCondition',
      {
        ...this.meterValue(evse, 'Transaction.End', 'TxEndedMeasurands'),
      },
      reason,
    );
    const delivered = !this.queue.holds(transaction.transactionId);
    evse.transaction = undefined;
    evse.plugged = false;
    if (evse.inoperativeAfterTransaction) evse.operative = false;
    evse.inoperativeAfterTransaction = false;
    await this.bank.refresh(evse);
    this.emit('transactionStopped', {
      evseId,
      transactionId: transaction.transactionId,
      meterStop,
      reason,
      timestamp,
      delivered,
    });
    if (!this.busy) for (const listener of this.idleListeners) listener();
    return { transactionId: transaction.transactionId, meterStop, delivered };
  }

  /** Ends every running transaction. */
  async stopAll(reason: Reason): Promise<void> {
    for (const evse of this.bank.all()) await this.stop(evse.id, reason);
  }

  /** Sends a TransactionEvent Updated with the current meter values now (periodic, or TriggerMessage). */
  async sample(evseId: number, trigger: v201.TriggerReasonEnumType = 'MeterValuePeriodic'): Promise<void> {
    const evse = this.bank.get(evseId);
    if (!evse?.transaction) return;
    const reading = evse.meter.read(this.options.time.now());
    const timestamp = new Date(this.options.time.now()).toISOString();
    this.emit('meterValues', {
      evseId,
      transactionId: evse.transaction.transactionId,
      ...reading,
      timestamp,
    });
    const context = trigger === 'MeterValuePeriodic' ? 'Sample.Periodic' : 'Trigger';
    await this.event(evse, 'Updated', trigger, this.meterValue(evse, context, 'TxUpdatedMeasurands'));
    if (evse.meter.isFull && evse.transaction?.chargingState === 'Charging')
      await this.changeState(evse, 'SuspendedEV');
  }

  /** Restarts the periodic samples at TxUpdatedInterval (after SetVariables changed it). */
  rearm(): void {
    for (const evse of this.bank.all()) if (evse.transaction) this.arm(evse);
  }

  dispose(): void {
    for (const timer of this.timers.values()) this.options.time.clearInterval(timer);
    this.timers.clear();
  }

  private arm(evse: Evse): void {
    this.options.time.clearInterval(this.timers.get(evse.id));
    const seconds = Number(this.model.value('SampledDataCtrlr', 'TxUpdatedInterval'));
    if (!(seconds > 0)) return;
    const timer = this.options.time.setInterval(() => {
      this.sample(evse.id).catch((error: Error) => this.log('warn', `sample failed: ${error.message}`));
    }, seconds * 1000);
    this.timers.set(evse.id, timer);
  }

  private async changeState(evse: Evse, state: v201.ChargingStateEnumType): Promise<void> {
    if (!evse.transaction) return;
    evse.transaction.chargingState = state;
    await this.event(evse, 'Updated', 'ChargingStateChanged', {});
  }

  private meterValue(
    evse: Evse,
    context: v201.ReadingContextEnumType,
    list: string,
  ): Pick<v201.TransactionEventRequest, 'meterValue'> {
    const reading = evse.meter.read(this.options.time.now());
    const value = toMeterValue(
      reading,
      context,
      new Date(this.options.time.now()).toISOString(),
      this.model.value('SampledDataCtrlr', list),
      evse.maxPowerW,
    );
    return value ? { meterValue: [value] } : {};
  }

  private event(
    evse: Evse,
    eventType: v201.TransactionEventEnumType,
    triggerReason: v201.TriggerReasonEnumType,
    extra: Partial<v201.TransactionEventRequest>,
    stoppedReason?: Reason,
  ): Promise<V2Response<'TransactionEvent'> | undefined> {
    const transaction = evse.transaction;
    if (!transaction) return Promise.resolve(undefined);
    const request: v201.Request<'TransactionEvent'> = {
      eventType,
      timestamp: new Date(this.options.time.now()).toISOString(),
      triggerReason,
      seqNo: transaction.seqNo++,
      transactionInfo: {
        transactionId: transaction.transactionId,
        chargingState: transaction.chargingState,
        ...(stoppedReason === undefined ? {} : { stoppedReason }),
        // The CSMS links a remote start to its transaction by the first event only (F01.FR.26).
        ...(eventType === 'Started' && transaction.remoteStartId !== undefined
          ? { remoteStartId: transaction.remoteStartId }
          : {}),
        ...(eventType === 'Ended'
          ? { timeSpentCharging: Math.round((this.options.time.now() - transaction.startedAt) / 1000) }
          : {}),
      },
      ...(eventType === 'Started' ? { evse: { id: evse.id, connectorId: 1 } } : {}),
      ...extra,
    };
    return this.queue.send(request);
  }
}
