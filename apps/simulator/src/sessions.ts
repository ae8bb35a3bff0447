import type { v16 } from '@cimorings/ocpp';
import type { Configuration } from './configuration.js';
import type { Connector, Reservation } from './connector.js';
import type { ConnectorBank } from './connectors.js';
import type { CentralSystemLink, Emit } from './events.js';
import { toMeterValue } from './meter.js';
import type { MeterValueSampler } from './meter-values.js';
import type { LogFn, ResolvedOptions } from './options.js';
import type {
  StartRefusal,
  StartSessionOptions,
  StartSessionResult,
  StopSessionResult,
} from './session-types.js';

export type {
  StartRefusal,
  StartSessionOptions,
  StartSessionResult,
  StopSessionResult,
} from './session-types.js';

type StopRequest = v16.Request<'StopTransaction'>;

/** The connectors sessions run on, and the sampler of their meters. */
export interface SessionConnectors {
  bank: ConnectorBank;
  sampler: MeterValueSampler;
}

/**
 * Charging sessions: Authorize, StartTransaction and StopTransaction (OCPP 1.6 sections 4.1, 4.8,
 * 4.10) and the connector statuses around them.
 * StopTransactions that could not be delivered are kept and sent after the next accepted boot,
 * because the central system must learn how every transaction ended.
 */
export class SessionManager {
  private readonly undelivered: StopRequest[] = [];

  private readonly bank: ConnectorBank;
  private readonly sampler: MeterValueSampler;

  constructor(
    connectors: SessionConnectors,
    private readonly link: CentralSystemLink,
    private readonly config: Configuration,
    private readonly emit: Emit,
    private readonly options: ResolvedOptions,
  ) {
    ({ bank: this.bank, sampler: this.sampler } = connectors);
  }

  private get log(): LogFn {
    return this.options.log;
  }

  /** Sends Authorize and returns the central system's verdict on `idTag`. */
  async authorize(idTag: string): Promise<v16.IdTagInfo> {
    return (await this.link.call('Authorize', { idTag })).idTagInfo;
  }

  /** Why `idTag` cannot start on `connector` right now, or `undefined` when it can try. */
  refusalFor(connector: Connector, idTag: string): StartRefusal | undefined {
    if (connector.busy) return 'Occupied';
    if (connector.status === 'Faulted') return 'Faulted';
    if (connector.status === 'Unavailable') return 'Unavailable';
    if (
      connector.reservation &&
      !connector.reservation.parentIdTag &&
      connector.reservation.idTag !== idTag
    ) {
      return 'Reserved';
    }
    if (connector.status !== 'Available' && connector.status !== 'Preparing' && !connector.reservation) {
      return 'Occupied';
    }
    return undefined;
  }

  /**
   * Starts a session: Preparing, Authorize (unless told not to), StartTransaction, Charging.
   * Refusals come back as `{ started: false, reason }`; a failed or timed-out request rejects.
   */
  async start(
    connectorId: number,
    idTag: string,
    options: StartSessionOptions = {},
  ): Promise<StartSessionResult> {
    const claim = this.claim(connectorId, idTag);
    if (typeof claim === 'string') return { started: false, connectorId, reason: claim };
    return this.proceed(claim, idTag, options);
  }

  /**
   * The synchronous first half of {@link start}: checks the connector and puts it in Preparing,
   * so a command handler can answer before any request of the session goes out.
   */
  claim(connectorId: number, idTag: string): Connector | StartRefusal {
    const connector = this.bank.get(connectorId);
    if (!connector) return 'UnknownConnector';
    if (!this.link.accepted) return 'NotRegistered';
    const refusal = this.refusalFor(connector, idTag);
    if (refusal) return refusal;
    connector.starting = true;
    void this.bank.setStatus(connectorId, 'Preparing');
    return connector;
  }

  /** The second half of {@link start}, on a connector {@link claim} returned. */
  async proceed(
    connector: Connector,
    idTag: string,
    options: StartSessionOptions,
  ): Promise<StartSessionResult> {
    const connectorId = connector.id;
    try {
      let idTagInfo: v16.IdTagInfo | undefined;
      if (options.authorize ?? true) {
        idTagInfo = await this.authorize(idTag);
        if (idTagInfo.status !== 'Accepted')
          return { started: false, connectorId, reason: 'NotAuthorized', idTagInfo };
      }
      let reservationId = options.reservationId;
      if (connector.reservation) {
        if (!reservedFor(connector.reservation, idTag, idTagInfo?.parentIdTag)) {
          return { started: false, connectorId, reason: 'Reserved' };
        }
        // Section 5.13: a transaction started on a reserved connector carries the reservationId.
        reservationId = this.bank.consumeReservation(connector);
      }
      return await this.begin(connector, idTag, reservationId);
    } finally {
      if (connector.starting) {
        connector.starting = false;
        await this.bank.settle(connector);
      }
    }
  }

  private async begin(
    connector: Connector,
    idTag: string,
    reservationId: number | undefined,
  ): Promise<StartSessionResult> {
    const now = this.options.time.now();
    const timestamp = new Date(now).toISOString();
    const meterStart = connector.meter.registerWh(now);
    const conf = await this.link.call('StartTransaction', {
      connectorId: connector.id,
      idTag,
      meterStart,
      timestamp,
      ...(reservationId === undefined ? {} : { reservationId }),
    });
    const { transactionId, idTagInfo } = conf;
    connector.meter.startCharging(this.options.initialSoc, now);
    const begin = toMeterValue(
      connector.meter.read(now),
      'Transaction.Begin',
      timestamp,
      this.config.sampledMeasurands,
    );
    connector.transaction = { transactionId, idTag, meterStart, startedAt: timestamp, samples: [begin] };
    connector.starting = false;

    if (idTagInfo.status !== 'Accepted') {
      // Section 4.8: the central system refused the tag after the fact.
      if (this.config.flag('StopTransactionOnInvalidId')) {
        await this.stop(connector.id, 'DeAuthorized');
      } else {
        connector.meter.stopCharging(this.options.time.now());
        await this.bank.setStatus(connector.id, 'SuspendedEVSE');
      }
      return { started: false, connectorId: connector.id, reason: 'DeAuthorized', idTagInfo, transactionId };
    }
    await this.bank.setStatus(connector.id, 'Charging');
    this.emit('transactionStarted', {
      connectorId: connector.id,
      transactionId,
      idTag,
      meterStart,
      timestamp,
      ...(reservationId === undefined ? {} : { reservationId }),
    });
    this.sampler.arm(connector);
    return { started: true, connectorId: connector.id, transactionId };
  }

  /**
   * Stops the session on a connector: Finishing, StopTransaction with the final register and the
   * kept samples as transactionData, then the connector settles (usually Available). Resolves
   * `undefined` when no transaction runs there. `idTag` is who stopped it; omit it when the
   * charge point or the central system did.
   */
  async stop(
    connectorId: number,
    reason: v16.StopReason,
    idTag?: string,
  ): Promise<StopSessionResult | undefined> {
    const connector = this.bank.get(connectorId);
    const transaction = connector?.transaction;
    if (!connector || !transaction) return undefined;
    connector.transaction = undefined;
    this.sampler.disarm(connector);

    const now = this.options.time.now();
    const timestamp = new Date(now).toISOString();
    const end = toMeterValue(
      connector.meter.read(now),
      'Transaction.End',
      timestamp,
      this.config.sampledMeasurands,
    );
    const meterStop = Math.round(connector.meter.stopCharging(now).energyWh);
    const request: StopRequest = {
      transactionId: transaction.transactionId,
      meterStop,
      timestamp,
      reason,
      ...(idTag === undefined ? {} : { idTag }),
      transactionData: [...transaction.samples, end],
    };
    void this.bank.setStatus(connectorId, 'Finishing');
    const delivered = await this.deliverStop(request);
    await this.bank.settle(connector);
    this.emit('transactionStopped', {
      connectorId,
      transactionId: transaction.transactionId,
      meterStop,
      reason,
      timestamp,
      delivered,
    });
    return { transactionId: transaction.transactionId, meterStop, delivered };
  }

  /** Stops every running session with the same reason, one after the other. */
  async stopAll(reason: v16.StopReason): Promise<void> {
    for (const connector of this.bank.all()) await this.stop(connector.id, reason);
  }

  private async deliverStop(request: StopRequest): Promise<boolean> {
    if (this.link.accepted) {
      try {
        await this.link.call('StopTransaction', request);
        return true;
      } catch (error) {
        // A CallError means the central system read it and refused; sending it again would not help.
        if ('rpcErrorCode' in (error as object)) {
          this.log('error', `StopTransaction ${request.transactionId} refused: ${(error as Error).message}`);
          return false;
        }
      }
    }
    this.undelivered.push(request);
    this.log('warn', `StopTransaction ${request.transactionId} kept until the connection is back`);
    return false;
  }

  /** Sends the StopTransactions kept while offline, oldest first; keeps those that fail again. */
  async flushUndelivered(): Promise<void> {
    while (this.undelivered.length > 0 && this.link.accepted) {
      const [request] = this.undelivered;
      if (!request) return;
      try {
        await this.link.call('StopTransaction', request);
      } catch (error) {
        if (!('rpcErrorCode' in (error as object))) return;
      }
      this.undelivered.shift();
    }
  }
}

/** Section 5.13: only the reserved id tag, or one with the same parent id tag, may use the connector. */
function reservedFor(reservation: Reservation, idTag: string, parentIdTag: string | undefined): boolean {
  if (reservation.idTag === idTag) return true;
  return reservation.parentIdTag !== undefined && reservation.parentIdTag === parentIdTag;
}
