import type { v16 } from '@cimorings/ocpp';
import { EventEmitter } from 'node:events';
import type { ConnectionListener, ConnectionSettings, RpcConnection } from './ocpp/rpc-connection.js';
import { type ChargePointOptions, type ResolvedOptions, resolveOptions } from './options.js';
import type { RegistrationLoop } from './registration.js';
import { waitForEvent } from './wait-for.js';

/**
 * What a simulated station is whatever its OCPP version: its options, its connection kept open
 * and registered by a {@link RegistrationLoop} (connect, reconnect with backoff, boot, heartbeat),
 * and the getters and calls on that lifecycle. The protocol's station (1.6 `SimulatedChargePoint`,
 * 2.x `SimulatedChargingStation`) builds the connection and the registration in its constructor
 * and keeps only what differs: its messages, sessions and answers.
 */
export abstract class StationLifecycle<M extends Record<keyof M, [unknown]>> extends EventEmitter<M> {
  protected readonly options: ResolvedOptions;
  protected abstract readonly connection: RpcConnection;
  protected abstract readonly registration: RegistrationLoop;

  constructor(options: ChargePointOptions) {
    super();
    const given = resolveOptions(options);
    // Every part logs through this, so each line names the station it comes from.
    this.options = { ...given, log: (level, message) => given.log(level, `${given.id} ${message}`) };
  }

  /** The station identity (`chargePointId`). */
  get id(): string {
    return this.options.id;
  }

  /** Number of connectors (1.6) or EVSEs (2.x, each with one connector), numbered from 1. */
  get connectorCount(): number {
    return this.options.connectors;
  }

  /** True while connected and accepted by the central system. */
  get accepted(): boolean {
    return this.connection.isOpen && this.registration.status === 'Accepted';
  }

  /** Whether the WebSocket is open. */
  get connected(): boolean {
    return this.connection.isOpen;
  }

  /** The last BootNotification answer on this connection, `undefined` before one. */
  get registrationStatus(): v16.RegistrationStatus | undefined {
    return this.registration.status;
  }

  /**
   * Connects, and keeps reconnecting (with backoff) until stopped. Resolves once the first
   * attempt settled, opened or failed; await `waitFor('accepted')` for the boot.
   */
  start(): Promise<void> {
    return this.registration.start();
  }

  /** Sends a Heartbeat now. */
  async sendHeartbeat(): Promise<void> {
    await this.registration.sendHeartbeat();
  }

  /**
   * Resolves with the next `event` whose payload satisfies `predicate`; rejects after
   * `timeoutMs` (default 10 s) so a test fails instead of hanging.
   */
  waitFor<K extends keyof M & string>(
    event: K,
    predicate: (payload: M[K][0]) => boolean = () => true,
    timeoutMs = 10_000,
  ): Promise<M[K][0]> {
    return waitForEvent(this, this.id, event, predicate, timeoutMs);
  }

  /** Where and how the connection reaches the central system (no TLS settings). */
  protected connectionSettings(): ConnectionSettings {
    const { url, id, callTimeoutMs, pingIntervalMs } = this.options;
    return { endpoint: url, identity: id, callTimeoutMs, pingIntervalMs };
  }

  /** Disconnects go to the registration loop (which reconnects), warnings to the log. */
  protected connectionListener(): ConnectionListener {
    return {
      onDisconnect: (code, reason) => this.registration.onDisconnect(code, reason),
      onWarning: (message) => this.options.log('warn', message),
    };
  }

  /** Resolves with `answer`; when the call failed, emits `callFailed` first and rejects with its error. */
  protected async reported<T>(action: string, answer: Promise<T>): Promise<T> {
    try {
      return await answer;
    } catch (error) {
      // `M` is the station's event map, which has `callFailed: [{ action, error }]`.
      (this as EventEmitter).emit('callFailed', { action, error: error as Error });
      throw error;
    }
  }
}
