import type { v16 } from '@cimorings/ocpp';

/** Schedules work to run once the current confirmation has been sent. */
export type AfterReply = (task: () => Promise<unknown>) => void;

/**
 * Answers one request from the central system. Handlers are synchronous so that the answer
 * always precedes whatever they set in motion; follow-up requests go through `after`.
 */
export type SyncHandler<A extends v16.CentralSystemAction> = (
  request: v16.Request<A>,
  after: AfterReply,
) => v16.Response<A>;

/** Registers the handler of one action. */
export type Register = <A extends v16.CentralSystemAction>(action: A, handler: SyncHandler<A>) => void;

/** What the command handlers may ask of the charge point's own lifecycle. */
export interface Lifecycle {
  /** Stops all sessions, closes the connection and connects and boots again. */
  reboot(type: v16.ResetType): Promise<void>;
  /** Sends a BootNotification now and acts on the answer. */
  sendBootNotification(): Promise<void>;
  /** Sends a Heartbeat now. */
  sendHeartbeat(): Promise<void>;
  /** Applies a configuration value the central system just changed. */
  configurationChanged(key: string, value: string): void;
}
