import type { v201 } from '@cimorings/ocpp';
import type { LogFn } from '../../options.js';
import type { SimulatorTime } from '../../time.js';
import type { Authorizer } from '../authorization.js';
import type { V2Certificates } from '../certificates.js';
import type { V2Handler } from '../connection.js';
import type { DeviceModel } from '../device-model.js';
import type { TransactionEventQueue } from '../event-queue.js';
import type { EvseBank } from '../evses.js';
import type { CsmsLink, V2Emit } from '../events.js';
import type { TransactionRunner } from '../transactions.js';

/** What the station does beyond its parts: reboot, and the registration messages. */
export interface V2Lifecycle {
  /** Ends the transactions and reboots: the socket closes and the station connects and boots again. */
  reboot(): Promise<void>;
  sendBootNotification(): Promise<void>;
  sendHeartbeat(): Promise<void>;
}

/** Everything a command handler may use. */
export interface V2CommandContext {
  readonly link: CsmsLink;
  readonly bank: EvseBank;
  readonly runner: TransactionRunner;
  readonly queue: TransactionEventQueue;
  readonly authorizer: Authorizer;
  readonly model: DeviceModel;
  readonly certificates: V2Certificates;
  /** The network connection profiles set with SetNetworkProfile, by configuration slot (B09). */
  readonly networkProfiles: Map<number, v201.NetworkConnectionProfileType>;
  readonly lifecycle: V2Lifecycle;
  readonly emit: V2Emit;
  readonly log: LogFn;
  /** Milliseconds per simulated step of a file transfer (firmware, logs). */
  readonly fileTransferStepMs: number;
  /** The clock the meters and charging profiles read. */
  readonly time: SimulatorTime;
}

/** Registers a handler for one CSMS action. */
export type V2Register = <A extends v201.Action>(action: A, handler: V2Handler<NoInfer<A>>) => void;

/**
 * Runs `work` once the answer to the current request is on its way, as OCPP asks for the
 * messages a request causes (a NotifyReport after GetBaseReport, a status after a change).
 */
export function afterAnswer(log: LogFn, work: () => Promise<unknown>): void {
  setTimeout(() => {
    work().catch((error: Error) => log('warn', error.message));
  }, 5);
}
