import type { v16 } from '@cimorings/ocpp';
import { FileTransfers } from './commands/firmware-management.js';
import { registerCommands } from './commands/index.js';
import { LocalAuthList } from './commands/local-auth-list.js';
import { ChargingProfiles } from './commands/smart-charging.js';
import type { Lifecycle } from './commands/types.js';
import { Configuration } from './configuration.js';
import { ConnectorBank } from './connectors.js';
import type { CentralSystemLink, ChargePointEventMap } from './events.js';
import { OcppConnection } from './ocpp/connection.js';
import { MeterValueSampler } from './meter-values.js';
import type { ChargePointOptions } from './options.js';
import { RegistrationLoop, type RegistrationProtocol } from './registration.js';
import { SecurityExtension } from './security.js';
import {
  SessionManager,
  type StartSessionOptions,
  type StartSessionResult,
  type StopSessionResult,
} from './sessions.js';
import { StationLifecycle } from './station-lifecycle.js';

/** Options of {@link SimulatedChargePoint.stop}. */
export interface StopOptions {
  /** End running sessions with a StopTransaction first. Default true. */
  stopSessions?: boolean;
  /** Reason sent in those StopTransactions. Default `Other`. */
  reason?: v16.StopReason;
}

/**
 * A simulated OCPP 1.6-J charge point: it connects, boots, sends heartbeats and status
 * notifications, runs charging sessions with realistic meter values, answers every request a
 * central system may send, and reconnects with backoff when the socket drops.
 *
 * ```ts
 * const cp = new SimulatedChargePoint({ id: 'CP001', url: 'ws://localhost:3000/ocpp' });
 * await cp.start();
 * await cp.waitFor('accepted');
 * const session = await cp.startSession(1, 'TAG001');
 * ```
 */
export class SimulatedChargePoint extends StationLifecycle<ChargePointEventMap> implements CentralSystemLink {
  protected readonly connection: OcppConnection;
  protected readonly registration: RegistrationLoop;
  private readonly config: Configuration;
  private readonly bank: ConnectorBank;
  private readonly sampler: MeterValueSampler;
  private readonly sessions: SessionManager;
  private readonly transfers: FileTransfers;
  /** Installed by the central system with SendLocalList. */
  readonly localAuthList = new LocalAuthList();
  /** Installed by the central system with SetChargingProfile. */
  readonly chargingProfiles = new ChargingProfiles();
  /** Certificates and security events (OCPP 1.6 security whitepaper). */
  readonly security: SecurityExtension;

  constructor(options: ChargePointOptions) {
    if (options.protocol !== undefined && options.protocol !== '1.6')
      throw new RangeError(
        `A SimulatedChargePoint speaks OCPP 1.6; use createSimulatedStation for ${options.protocol}`,
      );
    super(options);
    const resolved = this.options;
    const emit = this.emit.bind(this);
    this.config = new Configuration({
      connectors: resolved.connectors,
      heartbeatIntervalS: 300,
      meterIntervalS: Math.ceil(resolved.meterIntervalMs / 1000),
      authorizationKey: resolved.password,
    });
    this.connection = new OcppConnection(
      { ...this.connectionSettings(), tls: resolved.tls },
      this.connectionListener(),
    );
    this.bank = new ConnectorBank(resolved, this, emit, resolved.log);
    this.sampler = new MeterValueSampler(this.bank, this, this.config, emit, resolved);
    this.sessions = new SessionManager(
      { bank: this.bank, sampler: this.sampler },
      this,
      this.config,
      emit,
      resolved,
    );
    this.security = new SecurityExtension(this, this.connection, resolved.id, resolved.log);
    this.transfers = new FileTransfers(this, resolved.id, resolved.fileTransferStepMs, resolved.log);
    const protocol: RegistrationProtocol = {
      bootNotification: () => this.connection.call('BootNotification', resolved.boot),
      heartbeat: () => this.connection.call('Heartbeat', {}),
      heartbeatIntervalS: () => this.config.integer('HeartbeatInterval'),
      setHeartbeatIntervalS: (seconds) => this.config.change('HeartbeatInterval', String(seconds)),
    };
    this.registration = new RegistrationLoop(this.connection, protocol, resolved, this, {
      onAccepted: async () => {
        this.sampler.resume();
        await this.bank.reportAll();
        await this.sessions.flushUndelivered();
      },
    });
    this.on('transactionStopped', ({ connectorId }) => this.chargingProfiles.dropTxProfiles(connectorId));
    // The power each EV draws follows the profiles the charge point accepted.
    for (const connector of this.bank.all()) {
      connector.meter.limitBy((now) =>
        this.chargingProfiles.limitW(
          connector.id,
          now,
          connector.maxPowerW,
          connector.transaction?.startedAt,
        ),
      );
    }
    this.registerCommands();
  }

  /** The configuration keys as GetConfiguration would return them. */
  get configuration(): Configuration {
    return this.config;
  }

  /** Status of connector `connectorId` (0 = the charge point). */
  status(connectorId: number): v16.ChargePointStatus {
    const status = this.bank.statusOf(connectorId);
    if (!status) throw new RangeError(`No connector ${connectorId}`);
    return status;
  }

  /** The id of the transaction running on a connector, if any. */
  transactionId(connectorId: number): number | undefined {
    return this.bank.get(connectorId)?.transaction?.transactionId;
  }

  /** The reservation held on a connector, if any. */
  reservationId(connectorId: number): number | undefined {
    return this.bank.get(connectorId)?.reservation?.reservationId;
  }

  /** Stops the charge point: ends sessions (unless told not to), then closes the socket for good. */
  async stop({ stopSessions = true, reason = 'Other' }: StopOptions = {}): Promise<void> {
    if (stopSessions && this.accepted) await this.sessions.stopAll(reason);
    this.sampler.dispose();
    this.bank.dispose();
    this.transfers.dispose();
    await this.registration.stop();
  }

  /** Sends any request to the central system and resolves with its confirmation. */
  call<A extends v16.ChargePointAction>(action: A, request: v16.Request<A>): Promise<v16.Response<A>> {
    return this.reported(action, this.connection.call(action, request));
  }

  /** Sends Authorize and returns the central system's verdict on `idTag`. */
  authorize(idTag: string = this.options.idTag): Promise<v16.IdTagInfo> {
    return this.sessions.authorize(idTag);
  }

  /**
   * Plugs in an EV and starts a session: Preparing, Authorize, StartTransaction, Charging.
   * Resolves `{ started: false, reason }` when the connector or the id tag does not allow it.
   */
  startSession(
    connectorId: number,
    idTag: string = this.options.idTag,
    options: StartSessionOptions = {},
  ): Promise<StartSessionResult> {
    return this.sessions.start(connectorId, idTag, options);
  }

  /**
   * Ends the session on a connector: StopTransaction (meterStop, timestamp, reason and the last
   * samples), Finishing, Available. Resolves `undefined` when no transaction runs there.
   */
  stopSession(
    connectorId: number,
    reason: v16.StopReason = 'Local',
    idTag?: string,
  ): Promise<StopSessionResult | undefined> {
    return this.sessions.stop(
      connectorId,
      reason,
      idTag ?? (reason === 'Local' ? this.idTagOf(connectorId) : undefined),
    );
  }

  /** Sends the current meter reading of a connector in MeterValues now. */
  sendMeterValues(connectorId: number): Promise<void> {
    return this.sampler.send(connectorId);
  }

  /**
   * Sets a connector's status (0 = the charge point) as a hardware event would, e.g. `Faulted`;
   * resolves once the StatusNotification was answered.
   */
  setConnectorStatus(
    connectorId: number,
    status: v16.ChargePointStatus,
    errorCode: v16.ChargePointErrorCode = 'NoError',
  ): Promise<void> {
    return this.bank.setStatus(connectorId, status, errorCode);
  }

  private idTagOf(connectorId: number): string | undefined {
    return this.bank.get(connectorId)?.transaction?.idTag;
  }

  private registerCommands(): void {
    const lifecycle: Lifecycle = {
      reboot: async (type) => {
        await this.sessions.stopAll(type === 'Hard' ? 'HardReset' : 'SoftReset');
        await this.registration.reboot();
      },
      sendBootNotification: () => this.registration.boot(),
      sendHeartbeat: () => this.registration.sendHeartbeat(),
      configurationChanged: (key, value) => {
        if (key === 'HeartbeatInterval') this.registration.armHeartbeat();
        if (key === 'MeterValueSampleInterval') this.sampler.setInterval(Number(value) * 1000);
        if (key === 'AuthorizationKey') this.registration.setPassword(value);
      },
    };
    registerCommands(this.connection, {
      bank: this.bank,
      sessions: this.sessions,
      sampler: this.sampler,
      config: this.config,
      transfers: this.transfers,
      localAuthList: this.localAuthList,
      chargingProfiles: this.chargingProfiles,
      lifecycle,
      security: { security: this.security, link: this, stepMs: this.options.fileTransferStepMs },
      emit: this.emit.bind(this),
      log: this.options.log,
      time: this.options.time,
    });
  }
}
