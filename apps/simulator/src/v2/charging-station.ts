import type { v201 } from '@cimorings/ocpp';
import type { ChargePointOptions } from '../options.js';
import { RegistrationLoop } from '../registration.js';
import { StationLifecycle } from '../station-lifecycle.js';
import { Authorizer } from './authorization.js';
import { V2Certificates } from './certificates.js';
import { registerV2Commands } from './commands/index.js';
import { type V2Protocol, type V2Response, V2Connection } from './connection.js';
import { catalogueSettings, deviceModelCatalogue } from './device-model-catalogue.js';
import { DeviceModel } from './device-model.js';
import { TransactionEventQueue } from './event-queue.js';
import { EvseBank } from './evses.js';
import type { ChargingStationEventMap, CsmsLink } from './events.js';
import {
  TransactionRunner,
  type V2StartOptions,
  type V2StartResult,
  type V2StopResult,
} from './transactions.js';

/** Options of a 2.x station: those of the 1.6 charge point, with `connectors` counting EVSEs. */
export interface ChargingStationOptions extends ChargePointOptions {
  /** The OCPP version offered to the CSMS. */
  protocol: V2Protocol;
  /** Type of the id tokens the station's drivers present. Default `ISO14443` (an RFID card). */
  idTokenType?: v201.IdTokenEnumType;
}

/**
 * A simulated OCPP 2.0.1 or 2.1 charging station, the 2.x twin of the 1.6 `SimulatedChargePoint`:
 * it connects (Basic auth when given a password), boots, reports its device model, sends
 * heartbeats and status notifications, authorizes, runs transactions with TransactionEvent and
 * realistic meter values, answers every CSMS request schema-valid, reconnects with backoff, and
 * keeps the TransactionEvents of an offline period to send them with `offline: true` once back.
 *
 * ```ts
 * const cs = new SimulatedChargingStation({ id: 'CS001', url: 'ws://localhost:3000/ocpp', protocol: '2.0.1' });
 * await cs.start();
 * await cs.waitFor('accepted');
 * const session = await cs.startSession(1, 'TAG001');
 * ```
 */
export class SimulatedChargingStation extends StationLifecycle<ChargingStationEventMap> implements CsmsLink {
  readonly protocol: V2Protocol;
  /** The device model, read and changed by GetVariables / SetVariables and the reports. */
  readonly deviceModel: DeviceModel;
  protected readonly connection: V2Connection;
  protected readonly registration: RegistrationLoop;
  private readonly idTokenType: v201.IdTokenEnumType;
  private readonly bank: EvseBank;
  private readonly queue: TransactionEventQueue;
  private readonly authorizer: Authorizer;
  private readonly runner: TransactionRunner;
  private readonly certificates: V2Certificates;
  /** SetNetworkProfile's connection profiles by slot; the first of NetworkConfigurationPriority is used from the next boot. */
  private readonly networkProfiles = new Map<number, v201.NetworkConnectionProfileType>();
  private bootReason: v201.BootReasonEnumType = 'PowerUp';

  constructor(options: ChargingStationOptions) {
    super(options);
    const resolved = this.options;
    this.protocol = options.protocol;
    this.idTokenType = options.idTokenType ?? 'ISO14443';
    const emit = this.emit.bind(this);
    this.deviceModel = new DeviceModel(deviceModelCatalogue(catalogueSettings(resolved)));
    this.connection = new V2Connection(
      { ...this.connectionSettings(), tls: resolved.tls },
      this.protocol,
      this.connectionListener(),
    );
    const { cert, key } = resolved.tls;
    this.certificates = new V2Certificates(
      resolved.id,
      cert !== undefined && key !== undefined ? { cert, key } : null,
    );
    this.bank = new EvseBank(resolved, this, this.deviceModel, emit, resolved.log);
    this.queue = new TransactionEventQueue(this, emit, resolved.log);
    this.authorizer = new Authorizer(this, this.deviceModel);
    this.runner = new TransactionRunner(
      this.bank,
      { queue: this.queue, authorizer: this.authorizer },
      this.deviceModel,
      emit,
      resolved,
    );
    this.registration = new RegistrationLoop(
      this.connection,
      {
        bootNotification: () => this.bootNotification(),
        heartbeat: () => this.connection.call('Heartbeat', {}),
        heartbeatIntervalS: () => this.deviceModel.integer('OCPPCommCtrlr', 'HeartbeatInterval'),
        setHeartbeatIntervalS: (seconds) =>
          this.deviceModel.update('OCPPCommCtrlr', 'HeartbeatInterval', String(seconds)),
      },
      resolved,
      this,
      {
        onAccepted: async () => {
          // Periodic samples of transactions that went on while the station was away resume.
          this.runner.rearm();
          await this.bank.reportAll();
          await this.queue.flush();
        },
      },
    );
    this.deviceModel.onChange((component, variable, value) => {
      if (variable === 'HeartbeatInterval') this.registration.armHeartbeat();
      if (variable === 'TxUpdatedInterval') this.runner.rearm();
      if (component === 'SecurityCtrlr' && variable === 'BasicAuthPassword')
        this.registration.setPassword(value);
    });
    registerV2Commands(this.connection, {
      link: this,
      bank: this.bank,
      runner: this.runner,
      queue: this.queue,
      authorizer: this.authorizer,
      model: this.deviceModel,
      certificates: this.certificates,
      networkProfiles: this.networkProfiles,
      lifecycle: {
        reboot: () => this.reboot(),
        sendBootNotification: () => this.registration.boot(),
        sendHeartbeat: () => this.registration.sendHeartbeat(),
      },
      emit,
      log: resolved.log,
      fileTransferStepMs: resolved.fileTransferStepMs,
      time: resolved.time,
    });
  }

  /** The security profile the station connects with (SecurityCtrlr.SecurityProfile). */
  get securityProfile(): number {
    return this.deviceModel.integer('SecurityCtrlr', 'SecurityProfile');
  }

  /** The certificate the CSMS signed for the station (SignCertificate), if any. */
  get clientCertificate(): string | undefined {
    return this.certificates.client?.cert;
  }

  /** How many TransactionEvents wait in the offline queue. */
  get queuedEvents(): number {
    return this.queue.size;
  }

  /** The version of the local authorization list. */
  get localListVersion(): number {
    return this.authorizer.localList.version;
  }

  /** The connector status of EVSE `evseId`. */
  status(evseId: number): v201.ConnectorStatusEnumType {
    return this.bank.require(evseId).status;
  }

  /** The station's id of the transaction running on an EVSE, if any. */
  transactionId(evseId: number): string | undefined {
    return this.bank.get(evseId)?.transaction?.transactionId;
  }

  /** The reservation held on an EVSE, if any. */
  reservationId(evseId: number): number | undefined {
    return this.bank.get(evseId)?.reservation?.id;
  }

  /** Stops the station: ends transactions (unless told not to), then closes the socket for good. */
  async stop({
    stopSessions = true,
    reason = 'Other',
  }: { stopSessions?: boolean; reason?: v201.ReasonEnumType } = {}): Promise<void> {
    if (stopSessions && this.accepted) await this.runner.stopAll(reason);
    this.runner.dispose();
    this.bank.dispose();
    await this.registration.stop();
  }

  /** Loses the network: the socket closes and stays closed until {@link goOnline}; transactions go on. */
  async goOffline(): Promise<void> {
    await this.registration.stop();
  }

  /** The network is back: the station connects, boots, and sends the events it queued meanwhile. */
  goOnline(): Promise<void> {
    return this.registration.start();
  }

  /** Sends any request to the CSMS and resolves with its answer. */
  call<A extends v201.Action>(action: A, request: v201.Request<A>): Promise<V2Response<A>> {
    return this.reported(action, this.connection.call(action, request));
  }

  /** Presents an id token and returns the verdict (Authorize online, the local list offline). */
  authorize(idToken: string = this.options.idTag): Promise<v201.IdTokenInfoType> {
    return this.authorizer.authorize(this.token(idToken));
  }

  /** An EV plugs in at `evseId` and charges for `idToken` (Authorize, Occupied, TransactionEvent Started, Charging). */
  startSession(
    evseId: number,
    idToken: string = this.options.idTag,
    options: V2StartOptions = {},
  ): Promise<V2StartResult> {
    return this.runner.start(evseId, this.token(idToken), options);
  }

  /** Ends the session on an EVSE (TransactionEvent Ended, Available); `undefined` when none runs there. */
  stopSession(evseId: number, reason: v201.ReasonEnumType = 'Local'): Promise<V2StopResult | undefined> {
    return this.runner.stop(evseId, reason);
  }

  /** Sends a TransactionEvent Updated with the meter values of the transaction on an EVSE now. */
  sendMeterValues(evseId: number): Promise<void> {
    return this.runner.sample(evseId);
  }

  /** A hardware fault on an EVSE (`true`) or its repair (`false`); resolves once reported. */
  setFaulted(evseId: number, faulted: boolean): Promise<void> {
    const evse = this.bank.require(evseId);
    evse.faulted = faulted;
    return this.bank.refresh(evse);
  }

  private token(idToken: string): v201.IdTokenType {
    return { idToken, type: this.idTokenType };
  }

  private async bootNotification(): Promise<V2Response<'BootNotification'>> {
    const { chargePointVendor, chargePointModel, chargePointSerialNumber, firmwareVersion } =
      this.options.boot;
    const answer = await this.connection.call('BootNotification', {
      reason: this.bootReason,
      chargingStation: {
        vendorName: chargePointVendor,
        model: chargePointModel,
        serialNumber: chargePointSerialNumber,
        firmwareVersion,
      },
    });
    if (answer.status === 'Accepted') this.bootReason = 'PowerUp';
    return answer;
  }

  private async reboot(): Promise<void> {
    this.bootReason = 'RemoteReset';
    this.useNetworkProfile();
    await this.registration.reboot();
  }

  /**
   * At boot the station connects with the first profile of NetworkConfigurationPriority that
   * SetNetworkProfile gave it (B09, A05): its URL, TLS client certificate at profile 3, Basic
   * auth at 1 and 2; without one it keeps the connection it was started with.
   */
  private useNetworkProfile(): void {
    const [first] = this.deviceModel.value('OCPPCommCtrlr', 'NetworkConfigurationPriority').split(',');
    const profile = this.networkProfiles.get(Number(first));
    if (!profile) return;
    const { securityProfile, ocppCsmsUrl } = profile;
    this.connection.useNetworkProfile(
      ocppCsmsUrl,
      securityProfile === 3 ? this.certificates.client : null,
      securityProfile === 1 || securityProfile === 2,
    );
    this.deviceModel.update('SecurityCtrlr', 'SecurityProfile', String(securityProfile));
    this.options.log(
      'info',
      `network profile ${first}: ${ocppCsmsUrl} at security profile ${securityProfile}`,
    );
  }
}
