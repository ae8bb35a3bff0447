import { AppError } from '../errors.js';
import type { StationPresence } from './station-presence.js';

/**
 * Delivers a command to the node that holds the charge point's socket and brings the answer
 * back. In memory: the station must be connected to this node.
 */
export interface CommandRouter {
  /**
   * @throws AppError STATION_OFFLINE when no node holds the station; otherwise whatever the
   * connection's call rejects with (a CallError, a timeout).
   */
  call(chargePointId: string, action: string, payload: unknown, timeoutMs: number): Promise<unknown>;
}

/**
 * How services reach live charge points: the connections this node holds, calls to a station
 * on any node, and how long such a call waits for its answer.
 */
export interface StationLinks {
  presence: StationPresence;
  router: CommandRouter;
  /** Ms a call waits for the charge point's answer (OCPP_CALL_TIMEOUT_MS). */
  callTimeoutMs: number;
}

export class LocalCommandRouter implements CommandRouter {
  constructor(private readonly presence: StationPresence) {}

  call(chargePointId: string, action: string, payload: unknown, timeoutMs: number): Promise<unknown> {
    const connection = this.presence.get(chargePointId);
    if (!connection) {
      return Promise.reject(new AppError('STATION_OFFLINE', `Station ${chargePointId} is not connected`));
    }
    return connection.call(action, payload, timeoutMs);
  }
}
