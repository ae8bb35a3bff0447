import type { v16 } from '@cimorings/ocpp';
import { Backoff } from './backoff.js';
import type { ChargePointEventMap } from './events.js';
import type { ResolvedOptions } from './options.js';
import type { EventEmitter } from 'node:events';

/** What happens once the central system accepted the charge point. */
export interface RegistrationHooks {
  onAccepted(): Promise<void>;
}

/** The station's connection as registration drives it, whatever the OCPP version. */
export interface RegistrationLink {
  readonly isOpen: boolean;
  /** Set while Rejected: requests from the central system then get no answer. */
  silent: boolean;
  open(password: string | undefined): Promise<void>;
  close(code: number, reason: string): Promise<void>;
}

/**
 * The messages and the setting registration needs, in the station's OCPP version. The status
 * values and the answers' fields read here are spelled alike in 1.6, 2.0.1 and 2.1.
 */
export interface RegistrationProtocol {
  /** Sends the station's BootNotification. */
  bootNotification(): Promise<{ status: v16.RegistrationStatus; interval: number }>;
  heartbeat(): Promise<{ currentTime: string }>;
  /** The heartbeat interval in seconds (a configuration key or a device model variable). */
  heartbeatIntervalS(): number;
  setHeartbeatIntervalS(seconds: number): void;
}

/** Where the registration events go: the station itself, 1.6 or 2.x. */
export type RegistrationEvents = Pick<
  ChargePointEventMap,
  'connected' | 'connectionFailed' | 'disconnected' | 'boot' | 'accepted' | 'heartbeat'
>;

/**
 * Keeps a charge point connected and registered: connect (with backoff), BootNotification until
 * Accepted (OCPP 1.6 section 4.2), Heartbeat at the interval the central system gave (section
 * 4.6), and the same again after every reconnect or reset.
 */
export class RegistrationLoop {
  /** The last BootNotification answer on the current connection. */
  status: v16.RegistrationStatus | undefined;
  private running = false;
  private password: string | undefined;
  private readonly backoff: Backoff;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private bootTimer: NodeJS.Timeout | undefined;
  private heartbeatTimer: NodeJS.Timeout | undefined;
  private firstAttempt: Promise<void> | undefined;
  private settleFirstAttempt: (() => void) | undefined;

  constructor(
    private readonly connection: RegistrationLink,
    private readonly protocol: RegistrationProtocol,
    private readonly options: Pick<
      ResolvedOptions,
      'id' | 'url' | 'password' | 'reconnect' | 'bootRetryMs' | 'log'
    >,
    private readonly events: Pick<EventEmitter<RegistrationEvents>, 'emit'>,
    private readonly hooks: RegistrationHooks,
  ) {
    this.password = options.password;
    this.backoff = new Backoff(options.reconnect);
  }

  /**
   * Starts connecting. Resolves once the first attempt settled, opened or failed; a failed one
   * is retried in the background and reported as `connectionFailed`.
   */
  start(): Promise<void> {
    if (this.running && this.firstAttempt) return this.firstAttempt;
    this.running = true;
    this.firstAttempt = new Promise((resolve) => (this.settleFirstAttempt = resolve));
    void this.connect();
    return this.firstAttempt;
  }

  /** Stops for good: no more reconnects, timers cleared, socket closed. */
  async stop(): Promise<void> {
    this.running = false;
    this.clearTimers();
    clearTimeout(this.reconnectTimer);
    await this.connection.close(1000, 'Charge point stopped');
    this.settleFirstAttempt?.();
  }

  /** The password for the next connection (ChangeConfiguration of AuthorizationKey). */
  setPassword(password: string): void {
    this.password = password;
  }

  /** Closes the connection as a reset does; the disconnect handler connects and boots again. */
  async reboot(): Promise<void> {
    this.log('info', 'rebooting');
    this.clearTimers();
    this.status = undefined;
    await this.connection.close(1012, 'Reset');
  }

  /** Called by the connection when its socket closed. */
  onDisconnect(code: number, reason: string): void {
    this.clearTimers();
    this.status = undefined;
    this.connection.silent = false;
    const willReconnect = this.running;
    this.log('info', `disconnected (${code}${reason ? ` ${reason}` : ''})`);
    this.events.emit('disconnected', { code, reason, willReconnect });
    if (willReconnect) this.scheduleConnect(this.backoff.next());
  }

  private scheduleConnect(delayMs: number): void {
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = setTimeout(() => void this.connect(), delayMs);
  }

  private async connect(): Promise<void> {
    this.reconnectTimer = undefined;
    if (!this.running) return;
    try {
      await this.connection.open(this.password);
    } catch (error) {
      this.settleFirstAttempt?.();
      if (!this.running) return;
      const retryInMs = this.backoff.next();
      this.log('warn', `connection failed: ${(error as Error).message}; retrying in ${retryInMs} ms`);
      this.events.emit('connectionFailed', { error: error as Error, retryInMs });
      this.scheduleConnect(retryInMs);
      return;
    }
    if (!this.running) return;
    this.backoff.reset();
    this.log('info', 'connected');
    this.events.emit('connected', { url: `${this.options.url}/${this.options.id}` });
    this.settleFirstAttempt?.();
    await this.boot();
  }

  /**
   * Sends BootNotification and acts on the answer. Not accepted: try again after the interval
   * the central system gave, or `bootRetryMs` when it gave 0 or did not answer (section 4.2).
   */
  async boot(): Promise<void> {
    clearTimeout(this.bootTimer);
    if (!this.connection.isOpen) return;
    let answer;
    try {
      answer = await this.protocol.bootNotification();
    } catch (error) {
      this.log('warn', `BootNotification failed: ${(error as Error).message}`);
      if (this.connection.isOpen)
        this.bootTimer = setTimeout(() => void this.boot(), this.options.bootRetryMs);
      return;
    }
    const { status, interval } = answer;
    this.status = status;
    this.connection.silent = status === 'Rejected';
    this.log('info', `BootNotification ${status} (interval ${interval} s)`);
    this.events.emit('boot', { status, interval });
    if (status !== 'Accepted') {
      const waitMs = interval > 0 ? interval * 1000 : this.options.bootRetryMs;
      this.bootTimer = setTimeout(() => void this.boot(), waitMs);
      return;
    }
    if (interval > 0) this.protocol.setHeartbeatIntervalS(interval);
    this.armHeartbeat();
    await this.hooks.onAccepted();
    this.events.emit('accepted', { heartbeatIntervalS: this.protocol.heartbeatIntervalS() });
  }

  /** (Re)starts periodic heartbeats at HeartbeatInterval seconds; none while not accepted or at 0. */
  armHeartbeat(): void {
    clearInterval(this.heartbeatTimer);
    this.heartbeatTimer = undefined;
    const seconds = this.protocol.heartbeatIntervalS();
    if (this.status !== 'Accepted' || seconds <= 0) return;
    this.heartbeatTimer = setInterval(() => {
      this.sendHeartbeat().catch((error: Error) => this.log('warn', `Heartbeat failed: ${error.message}`));
    }, seconds * 1000);
  }

  /** Sends a Heartbeat now; rejects when it fails. */
  async sendHeartbeat(): Promise<void> {
    const { currentTime } = await this.protocol.heartbeat();
    this.events.emit('heartbeat', { currentTime });
  }

  private clearTimers(): void {
    clearTimeout(this.bootTimer);
    clearInterval(this.heartbeatTimer);
    this.bootTimer = undefined;
    this.heartbeatTimer = undefined;
  }

  private log(level: 'info' | 'warn', message: string): void {
    this.options.log(level, message);
  }
}
