import type { v201 } from '@cimorings/ocpp';
import type { ConnectorMeter } from '../meter.js';
import { OutletBank } from '../outlet-bank.js';
import type { LogFn, ResolvedOptions } from '../options.js';
import type { DeviceModel } from './device-model.js';
import type { CsmsLink, V2Emit } from './events.js';

type ConnectorStatus = v201.ConnectorStatusEnumType;

/** A transaction running on an EVSE. */
export interface RunningTransaction {
  /** The station's transaction id (a UUID). */
  transactionId: string;
  /** Next `seqNo` of this transaction's TransactionEvents, from 0 (E01). */
  seqNo: number;
  idToken: v201.IdTokenType | undefined;
  chargingState: v201.ChargingStateEnumType;
  meterStart: number;
  startedAt: number;
  reservationId?: number;
  remoteStartId?: number;
}

/** A reservation held by the station (H01). */
export interface HeldReservation {
  id: number;
  idToken: v201.IdTokenType;
  groupIdToken?: v201.IdTokenType;
  /** The EVSE it holds, absent for a reservation of any EVSE. */
  evseId: number | undefined;
  timer: NodeJS.Timeout;
}

/** One EVSE with its single connector (connector 1), its meter and what happens on it. */
export class Evse {
  faulted = false;
  operative = true;
  /** Set when ChangeAvailability Inoperative arrived during a transaction: applied when it ends (G03.FR.05). */
  inoperativeAfterTransaction = false;
  plugged = false;
  transaction: RunningTransaction | undefined;
  reservation: HeldReservation | undefined;
  /** The status last reported. */
  reported: ConnectorStatus = 'Available';

  constructor(
    readonly id: number,
    readonly maxPowerW: number,
    readonly meter: ConnectorMeter,
  ) {}

  /** The connector status the EVSE's state makes (Part 2 G01: Faulted over Occupied over Unavailable over Reserved). */
  get status(): ConnectorStatus {
    if (this.faulted) return 'Faulted';
    if (this.plugged || this.transaction) return 'Occupied';
    if (!this.operative) return 'Unavailable';
    if (this.reservation) return 'Reserved';
    return 'Available';
  }
}

/**
 * The EVSEs of a station and the StatusNotifications that report them (Part 2 G01): every change
 * of an EVSE's state is followed by `refresh`, which reports the status when it changed. While
 * not registered the change is only kept, and `reportAll` sends every status after the boot.
 */
export class EvseBank extends OutletBank<Evse> {
  constructor(
    options: ResolvedOptions,
    private readonly link: CsmsLink,
    private readonly model: DeviceModel,
    private readonly emit: V2Emit,
    private readonly log: LogFn,
  ) {
    super(options, Evse);
  }

  /** EVSE `id`; throws a `RangeError` for an unknown one. */
  require(id: number): Evse {
    const evse = this.get(id);
    if (!evse) throw new RangeError(`No EVSE ${id}`);
    return evse;
  }

  /** The EVSE running the transaction with the station id `transactionId`. */
  byTransaction(transactionId: string): Evse | undefined {
    return this.outlets.find((e) => e.transaction?.transactionId === transactionId);
  }

  /** Reports the EVSE's status when it differs from the last reported one; resolves once answered. */
  async refresh(evse: Evse): Promise<void> {
    const status = evse.status;
    this.model.update('EVSE', 'AvailabilityState', status, evse.id);
    this.model.update('Connector', 'AvailabilityState', status, evse.id, 1);
    if (status === evse.reported) return;
    evse.reported = status;
    await this.report(evse);
  }

  /** Sends every EVSE's status, as after a boot (B01.FR.05). */
  async reportAll(): Promise<void> {
    for (const evse of this.outlets) {
      evse.reported = evse.status;
      await this.report(evse);
    }
  }

  /** Sends the StatusNotification of one EVSE now (also on TriggerMessage). */
  async report(evse: Evse): Promise<void> {
    const status = evse.reported;
    this.emit('status', { evseId: evse.id, connectorId: 1, status });
    if (!this.link.accepted) return;
    try {
      await this.link.call('StatusNotification', {
        timestamp: new Date().toISOString(),
        connectorStatus: status,
        evseId: evse.id,
        connectorId: 1,
      });
    } catch (error) {
      this.log('warn', `StatusNotification failed: ${(error as Error).message}`);
    }
  }

  /** Clears the reservation timers. */
  dispose(): void {
    for (const evse of this.outlets) clearTimeout(evse.reservation?.timer);
  }
}
