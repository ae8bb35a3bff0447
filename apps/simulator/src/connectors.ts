import type { v16 } from '@cimorings/ocpp';
import type { CentralSystemLink, Emit } from './events.js';
import { Connector } from './connector.js';
import { OutletBank } from './outlet-bank.js';
import type { LogFn, ResolvedOptions } from './options.js';

type ReserveNowStatus = v16.Response<'ReserveNow'>['status'];

/** A status change waiting to be reported, with the time it happened. */
interface HeldReport {
  id: number;
  status: v16.ChargePointStatus;
  errorCode: v16.ChargePointErrorCode;
  timestamp: string;
}

/** Node timers hold at most 2^31-1 ms (about 24.8 days); longer waits are re-armed. */
const MAX_TIMER_MS = 2_147_483_647;

/**
 * The connectors of one charge point and the charge point itself (connector 0): their statuses
 * and the StatusNotifications that report them (OCPP 1.6 section 4.9), availability (section
 * 5.2) and reservations (sections 5.1 and 5.13).
 */
export class ConnectorBank extends OutletBank<Connector> {
  /** Connector 0, the charge point as a whole. */
  readonly station = {
    status: 'Available' as v16.ChargePointStatus,
    errorCode: 'NoError' as v16.ChargePointErrorCode,
  };
  private stationOperative = true;
  private holds = 0;
  private readonly held: (HeldReport & { sent: () => void })[] = [];

  constructor(
    options: ResolvedOptions,
    private readonly link: CentralSystemLink,
    private readonly emit: Emit,
    private readonly log: LogFn,
  ) {
    super(options, Connector);
  }

  /** Whether `id` names the charge point (0) or one of its connectors. */
  exists(id: number): boolean {
    return id === 0 || this.get(id) !== undefined;
  }

  /** The connector running transaction `transactionId`, if any. */
  byTransaction(transactionId: number): Connector | undefined {
    return this.outlets.find((c) => c.transaction?.transactionId === transactionId);
  }

  /** Status of connector `id` (0 = the charge point). */
  statusOf(id: number): v16.ChargePointStatus | undefined {
    return id === 0 ? this.station.status : this.get(id)?.status;
  }

  /**
   * Sets the status of connector `id` (0 = the charge point) and reports it when it changed;
   * resolves once the StatusNotification was answered (or failed, which is logged). While not
   * registered the change is only kept; it is reported after the next accepted boot.
   */
  setStatus(
    id: number,
    status: v16.ChargePointStatus,
    errorCode: v16.ChargePointErrorCode = 'NoError',
  ): Promise<void> {
    const target = id === 0 ? this.station : this.get(id);
    if (!target) throw new RangeError(`No connector ${id}`);
    if (target.status === status && target.errorCode === errorCode) return Promise.resolve();
    target.status = status;
    target.errorCode = errorCode;
    this.emit('status', { connectorId: id, status, errorCode });
    if (!this.link.accepted) return Promise.resolve();
    const report: HeldReport = { id, status, errorCode, timestamp: new Date().toISOString() };
    if (this.holds === 0) return this.send(report);
    return new Promise((resolve) => this.held.push({ ...report, sent: resolve }));
  }

  /**
   * Holds StatusNotifications back while a request from the central system is being answered,
   * so that its confirmation goes out first; {@link releaseReports} sends them in order.
   */
  holdReports(): void {
    this.holds += 1;
  }

  /** Ends one {@link holdReports}; the last release sends what was held. */
  releaseReports(): void {
    this.holds = Math.max(0, this.holds - 1);
    if (this.holds > 0) return;
    for (const report of this.held.splice(0)) void this.send(report).then(report.sent);
  }

  /** Sends the current status of connector `id` (0 = the charge point) in a StatusNotification. */
  async report(id: number): Promise<void> {
    const target = id === 0 ? this.station : this.get(id);
    if (!target) return;
    await this.send({
      id,
      status: target.status,
      errorCode: target.errorCode,
      timestamp: new Date().toISOString(),
    });
  }

  private async send({ id, status, errorCode, timestamp }: HeldReport): Promise<void> {
    try {
      await this.link.call('StatusNotification', { connectorId: id, status, errorCode, timestamp });
    } catch (error) {
      this.log('warn', `StatusNotification ${id} ${status} failed: ${(error as Error).message}`);
    }
  }

  /** Reports the charge point and every connector, as after each accepted boot. */
  async reportAll(): Promise<void> {
    for (let id = 0; id <= this.outlets.length; id += 1) await this.report(id);
  }

  /**
   * Puts an idle connector in the status it rests in: its scheduled availability applied, then
   * Unavailable, Reserved or Available. A Faulted connector stays Faulted until told otherwise.
   */
  settle(connector: Connector): Promise<void> {
    if (connector.busy) return Promise.resolve();
    if (connector.scheduledOperative !== undefined) {
      connector.operative = connector.scheduledOperative;
      connector.scheduledOperative = undefined;
    }
    if (connector.status === 'Faulted') return Promise.resolve();
    let status: v16.ChargePointStatus = 'Available';
    if (!connector.operative || !this.stationOperative) status = 'Unavailable';
    else if (connector.reservation) status = 'Reserved';
    return this.setStatus(connector.id, status);
  }

  /**
   * ChangeAvailability (OCPP 1.6 section 5.2): connector 0 means the charge point and all its
   * connectors; a connector with a transaction changes after it ends (`Scheduled`).
   */
  changeAvailability(id: number, operative: boolean): v16.Response<'ChangeAvailability'>['status'] {
    if (id === 0) {
      this.stationOperative = operative;
      if (this.station.status !== 'Faulted') void this.setStatus(0, operative ? 'Available' : 'Unavailable');
      let scheduled = false;
      for (const connector of this.outlets)
        scheduled = this.applyAvailability(connector, operative) || scheduled;
      return scheduled ? 'Scheduled' : 'Accepted';
    }
    const connector = this.get(id);
    if (!connector) return 'Rejected';
    return this.applyAvailability(connector, operative) ? 'Scheduled' : 'Accepted';
  }

  /** Returns true when the change had to be scheduled. */
  private applyAvailability(connector: Connector, operative: boolean): boolean {
    if (connector.busy && connector.operative !== operative) {
      connector.scheduledOperative = operative;
      return true;
    }
    connector.scheduledOperative = undefined;
    connector.operative = operative;
    void this.settle(connector);
    return false;
  }

  /**
   * ReserveNow (OCPP 1.6 section 5.13). A known reservationId replaces that reservation.
   * Connector 0 is refused because ReserveConnectorZeroSupported is false.
   */
  reserve(request: v16.Request<'ReserveNow'>): ReserveNowStatus {
    const replaced = this.outlets.find((c) => c.reservation?.reservationId === request.reservationId);
    if (replaced) this.dropReservation(replaced);
    const connector = this.get(request.connectorId);
    const status = connector ? this.reservationRefusal(connector, request.expiryDate) : 'Rejected';
    if (connector && status === 'Accepted') {
      connector.reservation = {
        reservationId: request.reservationId,
        idTag: request.idTag,
        parentIdTag: request.parentIdTag,
        expiresAt: Date.parse(request.expiryDate),
      };
      this.armExpiry(connector);
      void this.setStatus(connector.id, 'Reserved');
    }
    if (replaced && (replaced !== connector || status !== 'Accepted')) void this.settle(replaced);
    return status;
  }

  private reservationRefusal(connector: Connector, expiryDate: string): ReserveNowStatus {
    if (!(Date.parse(expiryDate) > Date.now())) return 'Rejected';
    if (connector.status === 'Faulted') return 'Faulted';
    if (!connector.operative || !this.stationOperative) return 'Unavailable';
    if (connector.busy || connector.reservation) return 'Occupied';
    // Still Reserved here only when the reservation it held is the one being replaced.
    if (connector.status !== 'Available' && connector.status !== 'Reserved') return 'Occupied';
    return 'Accepted';
  }

  /** CancelReservation (OCPP 1.6 section 5.1): true when the reservation existed. */
  cancelReservation(reservationId: number): boolean {
    const connector = this.outlets.find((c) => c.reservation?.reservationId === reservationId);
    if (!connector) return false;
    this.dropReservation(connector);
    void this.settle(connector);
    return true;
  }

  /** Ends the reservation of a connector because a session is using it; returns its id. */
  consumeReservation(connector: Connector): number | undefined {
    const id = connector.reservation?.reservationId;
    this.dropReservation(connector);
    return id;
  }

  private dropReservation(connector: Connector): void {
    clearTimeout(connector.reservationTimer);
    connector.reservationTimer = undefined;
    connector.reservation = undefined;
  }

  private armExpiry(connector: Connector): void {
    const reservation = connector.reservation;
    if (!reservation) return;
    const wait = Math.min(MAX_TIMER_MS, Math.max(0, reservation.expiresAt - Date.now()));
    connector.reservationTimer = setTimeout(() => {
      if (Date.now() < reservation.expiresAt) return this.armExpiry(connector);
      this.log('info', `reservation ${reservation.reservationId} on connector ${connector.id} expired`);
      this.dropReservation(connector);
      void this.settle(connector);
    }, wait);
  }

  /** Clears every timer this bank armed. */
  dispose(): void {
    for (const connector of this.outlets) clearTimeout(connector.reservationTimer);
  }
}
