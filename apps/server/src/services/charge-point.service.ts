import type { UnknownStationPolicy } from '../config.js';
import type { EventBus } from '../cluster/event-bus.js';
import { isoTime } from '../domain/clock.js';
import type { BootIdentity, Registration } from '../domain/station.js';
import { checkConnectorId } from '../domain/ocpp-ranges.js';
import { deriveStationStatus, type StationStatus } from '../domain/station-status.js';
import { AppError } from '../errors.js';
import type { StationRepository } from '../repositories/station.repository.js';
import type { ChargePointClock } from './charge-point-clock.js';
import type { PasswordHasher } from './password-hasher.js';
import { inRange } from './transaction.service.js';

/** What the OCPP transport keeps about an admitted charge point for its connection. */
export interface ChargePointSession {
  stationId: number;
  chargePointId: string;
  registration: Registration;
}

export interface StatusReport {
  connectorId: number;
  status: string;
  errorCode: string;
  info?: string;
  vendorId?: string;
  vendorErrorCode?: string;
  timestamp?: string;
}

export interface ChargePointSettings {
  unknownStations: UnknownStationPolicy;
  /** Seconds, sent in BootNotification.conf. */
  heartbeatInterval: number;
}

/**
 * The life of a charge point as the OCPP transport reports it: admission, boot, heartbeats,
 * connector statuses and the station status derived from them, notifications, disconnection.
 */
export class ChargePointService {
  constructor(
    private readonly stations: StationRepository,
    private readonly hasher: PasswordHasher,
    private readonly events: EventBus,
    private readonly clock: ChargePointClock,
    private readonly settings: ChargePointSettings,
  ) {}

  /**
   * Decides whether a charge point may connect (before the WebSocket upgrade). Unknown ones
   * follow OCPP_UNKNOWN_STATIONS; a station with a password must present it (Basic auth,
   * OCPP 1.6 security profile 1).
   * @throws AppError NOT_FOUND for an unknown station under `reject`, UNAUTHORIZED for a
   * missing or wrong password.
   */
  async admit(chargePointId: string, password: string | undefined): Promise<ChargePointSession> {
    const known = await this.stations.findCredentials(chargePointId);
    if (known) {
      if (known.passwordHash !== null) {
        const ok = password !== undefined && (await this.hasher.verify(known.passwordHash, password));
        if (!ok) throw new AppError('UNAUTHORIZED', `Wrong or missing password for ${chargePointId}`);
      }
      return { stationId: known.id, chargePointId, registration: known.registration };
    }
    if (this.settings.unknownStations === 'reject') {
      throw new AppError('NOT_FOUND', `Unknown charge point ${chargePointId}`);
    }
    const registration: Registration = this.settings.unknownStations === 'accept' ? 'accepted' : 'pending';
    await this.stations.create({
      chargePointId,
      name: chargePointId,
      location: null,
      ocppPasswordHash: null,
      registration,
      now: this.now(),
    });
    // Another connection may have registered it first; what is stored decides.
    const stored = await this.stations.findCredentials(chargePointId);
    if (!stored) throw new AppError('NOT_FOUND', `Charge point ${chargePointId} was deleted`);
    return { stationId: stored.id, chargePointId, registration: stored.registration };
  }

  async connected(session: ChargePointSession): Promise<void> {
    const now = this.now();
    const status = deriveStationStatus(await this.stations.connectorStatuses(session.stationId));
    await this.stations.setConnection(session.stationId, true, status, now);
    this.events.publish({ type: 'StationConnected', chargePointId: session.chargePointId, timestamp: now });
    this.events.publish({
      type: 'StationStatusChanged',
      chargePointId: session.chargePointId,
      status,
      timestamp: now,
    });
  }

  async disconnected(session: ChargePointSession): Promise<void> {
    const now = this.now();
    await this.stations.setConnection(session.stationId, false, 'Unavailable', now);
    this.events.publish({
      type: 'StationDisconnected',
      chargePointId: session.chargePointId,
      timestamp: now,
    });
    this.events.publish({
      type: 'StationStatusChanged',
      chargePointId: session.chargePointId,
      status: 'Unavailable',
      timestamp: now,
    });
  }

  /**
   * Records the identity of BootNotification.req and answers it (OCPP 1.6 §4.2): Accepted for
   * a registered station, Pending while one awaits approval. Re-reads the registration, so an
   * approval takes effect at the next boot.
   */
  async boot(
    session: ChargePointSession,
    identity: BootIdentity,
    protocol: string,
  ): Promise<{ status: 'Accepted' | 'Pending'; interval: number; currentTime: string }> {
    const now = this.now();
    await this.stations.recordBoot(session.stationId, identity, protocol, now);
    const credentials = await this.stations.findCredentials(session.chargePointId);
    session.registration = credentials?.registration ?? session.registration;
    return {
      status: session.registration === 'accepted' ? 'Accepted' : 'Pending',
      interval: this.settings.heartbeatInterval,
      currentTime: now,
    };
  }

  async heartbeat(session: ChargePointSession): Promise<{ currentTime: string }> {
    const now = this.now();
    await this.stations.touch(session.stationId, now, true);
    return { currentTime: now };
  }

  /** Stores a connector's status and, when the station's derived status changes, that too. */
  async recordStatus(session: ChargePointSession, report: StatusReport): Promise<void> {
    inRange(() => checkConnectorId(report.connectorId, 'connectorId of StatusNotification', 0));
    const received = this.clock.now();
    const now = isoTime(received);
    const [reported] = await this.clock.read(session.stationId, [report.timestamp], received);
    const timestamp = reported?.time ?? now;
    const before = await this.currentStatus(session.chargePointId);
    await this.stations.upsertConnector(
      session.stationId,
      {
        connectorId: report.connectorId,
        status: report.status,
        errorCode: report.errorCode,
        info: report.info ?? null,
        vendorId: report.vendorId ?? null,
        vendorErrorCode: report.vendorErrorCode ?? null,
        timestamp,
      },
      now,
    );
    const status = deriveStationStatus(await this.stations.connectorStatuses(session.stationId));
    this.events.publish({
      type: 'ConnectorStatusChanged',
      chargePointId: session.chargePointId,
      connectorId: report.connectorId,
      status: report.status,
      errorCode: report.errorCode,
      timestamp,
    });
    if (status !== before) {
      await this.stations.setStatus(session.stationId, status, now);
      this.events.publish({
        type: 'StationStatusChanged',
        chargePointId: session.chargePointId,
        status,
        timestamp,
      });
    }
  }

  async recordNotification(
    session: ChargePointSession,
    kind: 'diagnostics' | 'firmware',
    status: string,
  ): Promise<void> {
    await this.stations.setNotificationStatus(
      session.stationId,
      kind === 'diagnostics' ? 'diagnostics_status' : 'firmware_status',
      status,
      this.now(),
    );
  }

  /** Marks stations disconnected at start: no socket of an earlier process survives it. */
  async resetConnections(): Promise<void> {
    await this.stations.markAllDisconnected(this.now());
  }

  private async currentStatus(chargePointId: string): Promise<StationStatus | undefined> {
    return (await this.stations.find(chargePointId))?.status;
  }

  private now(): string {
    return isoTime(this.clock.now());
  }
}
