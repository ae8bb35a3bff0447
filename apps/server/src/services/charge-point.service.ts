import type { OcppVersion } from '@cimorings/contracts';
import type { EventBus } from '../cluster/event-bus.js';
import { isoNow, isoTime } from '../domain/clock.js';
import type { BootIdentity, ConnectorReport, NotificationKind } from '../domain/station.js';
import { checkConnectorId } from '../domain/ocpp-ranges.js';
import { deriveStationStatus, NO_STATION_STATUS, type StationStatus } from '../domain/station-status.js';
import type { ConnectorRepository } from '../repositories/connector.repository.js';
import type { BootRecord, StationRepository } from '../repositories/station.repository.js';
import type { ChargePointClock } from './charge-point-clock.js';
import {
  connectorChangedOf,
  type Admission,
  type BootAnswer,
  type ChargePointSession,
  type ChargePointSettings,
} from './charge-point-session.js';
import { inRange } from './range-check.js';
import { StoredStatuses } from './stored-statuses.js';

export type {
  Admission,
  BootAnswer,
  ChargePointSession,
  ChargePointSettings,
} from './charge-point-session.js';

/**
 * The life of a charge point as the OCPP transport reports it (StationAdmissionService lets it
 * in): boot, heartbeats,
 * connector statuses and the station status derived from them, notifications, disconnection.
 */
export class ChargePointService {
  /** The connector statuses each connection stored through the full way of recordStatus. */
  private readonly stored = new StoredStatuses();

  constructor(
    private readonly stations: StationRepository,
    private readonly connectors: ConnectorRepository,
    private readonly events: EventBus,
    private readonly clock: ChargePointClock,
    private readonly settings: ChargePointSettings,
  ) {}

  async connected(
    session: Pick<ChargePointSession, 'stationId' | 'chargePointId'>,
    /** The protocol of the connection that opened; kept as it is when not given. */
    ocppVersion?: OcppVersion,
  ): Promise<void> {
    const now = isoNow(this.clock);
    const status = (await this.stations.connect(session.stationId, now, ocppVersion)) ?? NO_STATION_STATUS;
    this.announceConnected(session, status, now);
  }

  /** Tells others that the station connected, with the status it was stored with. */
  private announceConnected(
    { chargePointId }: Pick<ChargePointSession, 'chargePointId'>,
    status: StationStatus,
    now: string,
  ): void {
    this.events.publish({ type: 'StationConnected', chargePointId, timestamp: now });
    this.events.publish({ type: 'StationStatusChanged', chargePointId, status, timestamp: now });
  }

  async disconnected({ stationId, chargePointId }: Pick<ChargePointSession, 'stationId' | 'chargePointId'>) {
    const now = isoNow(this.clock);
    await this.stations.disconnect(stationId, now);
    this.events.publish({ type: 'StationDisconnected', chargePointId, timestamp: now });
    this.events.publish({
      type: 'StationStatusChanged',
      chargePointId,
      status: 'Unavailable',
      timestamp: now,
    });
  }

  /** A station whose node died (another node tells): disconnected as if its socket closed here. */
  async lostWithItsNode(chargePointId: string): Promise<void> {
    const station = await this.stations.find(chargePointId);
    if (station) await this.disconnected({ stationId: station.id, chargePointId });
  }

  /**
   * A station recorded lost that a node holds after all (it reconnected there while it was
   * being recorded lost, and that node's record came first): connected again.
   */
  async heldAfterAll(chargePointId: string): Promise<void> {
    const station = await this.stations.find(chargePointId);
    if (station) await this.connected({ stationId: station.id, chargePointId });
  }

  /**
   * Records the identity of BootNotification.req and answers it (OCPP 1.6 §4.2): Accepted for
   * a registered station, Pending while one awaits approval. Re-reads the registration, so an
   * approval takes effect at the next boot. An unknown charge point is registered here, at its
   * first valid BootNotification, unless OCPP_PENDING_STATIONS_MAX stations already await
   * approval, or its id was meanwhile given a password it did not present: then the answer is
   * Rejected (the interval being the wait before it may boot again) and nothing is stored.
   */
  async boot(admission: Admission, identity: BootIdentity, protocol: string): Promise<BootAnswer> {
    const now = isoNow(this.clock);
    const boot = { identity, protocol, ocppVersion: admission.ocppVersion, now };
    const registered = admission.station
      ? { session: admission.station, booted: false }
      : await this.register(admission, boot);
    if (!registered)
      return { status: 'Rejected', interval: this.settings.heartbeatInterval, currentTime: now };
    const { session } = registered;
    // The stored registration comes back with the write (an operator may have approved it).
    const stored = registered.booted ? undefined : await this.stations.recordBoot(session.stationId, boot);
    if (stored) session.registration = stored.registration;
    this.clock.booted(session.stationId);
    if (session.registration === 'accepted') {
      this.events.publish({
        type: 'StationBooted',
        chargePointId: session.chargePointId,
        ocppVersion: admission.ocppVersion,
        timestamp: now,
        // A station this boot stored (or one deleted meanwhile) is at no site and keeps no profiles.
        siteId: stored?.siteId ?? null,
        keepsProfiles: stored?.keepsProfiles ?? false,
      });
    }
    return {
      status: session.registration === 'accepted' ? 'Accepted' : 'Pending',
      interval: this.settings.heartbeatInterval,
      currentTime: now,
    };
  }

  /** Reads the station's stored registration into its session (an operator may have approved it). */
  async refreshRegistration(session: ChargePointSession): Promise<void> {
    const stored = await this.stations.findCredentials(session.chargePointId);
    if (stored?.id === session.stationId) session.registration = stored.registration;
  }

  /** Answers a heartbeat; one from a charge point not yet registered touches nothing. */
  async heartbeat(admission: Admission): Promise<{ currentTime: string }> {
    const now = isoNow(this.clock);
    if (admission.station) await this.stations.touch(admission.station.stationId, now, true);
    return { currentTime: now };
  }

  /**
   * Stores an unknown charge point at its first valid BootNotification; null when refused.
   * A new row is stored connected and booted in one statement (`booted`: nothing left to
   * write); a row another connection stored meanwhile is connected here, its boot still to record.
   */
  private async register(
    admission: Admission,
    boot: BootRecord,
  ): Promise<{ session: ChargePointSession; booted: boolean } | null> {
    const { chargePointId } = admission;
    const policy = this.settings.unknownStations;
    if (policy === 'reject') return null;
    // Under `accept` the insert tells whether the id is taken; `pending` counts only new ones.
    let stored = policy === 'pending' ? await this.stations.findCredentials(chargePointId) : undefined;
    let booted = false;
    if (!stored) {
      if (policy === 'pending' && (await this.pendingFull())) return null;
      stored = await this.stations.createCredentials(
        {
          chargePointId,
          name: chargePointId,
          location: null,
          ocppPasswordHash: null,
          securityProfile: 0,
          registration: policy === 'accept' ? 'accepted' : 'pending',
          now: boot.now,
        },
        { ...boot, status: NO_STATION_STATUS }, // a new station has no connector yet
      );
      booted = stored !== undefined;
      // Another connection may have registered it first; what is stored decides.
      stored ??= await this.stations.findCredentials(chargePointId);
    }
    // Created by an operator with a password or a profile since this connection came in without.
    if (!stored || stored.passwordHash !== null || stored.securityProfile !== 0) return null;
    const session = { stationId: stored.id, chargePointId, registration: stored.registration };
    admission.station = session;
    if (booted) this.announceConnected(session, NO_STATION_STATUS, boot.now);
    else await this.connected(session, admission.ocppVersion);
    return { session, booted };
  }

  private async pendingFull(): Promise<boolean> {
    if (this.settings.unknownStations !== 'pending') return false;
    return (await this.stations.countRegistered('pending')) >= this.settings.pendingStationsMax;
  }

  /** Stores a connector's status and, when the station's derived status changes, that too. */
  async recordStatus(session: ChargePointSession, report: ConnectorReport): Promise<void> {
    inRange(() => checkConnectorId(report.connectorId, 'connectorId of StatusNotification', 0));
    const received = this.clock.now();
    const now = isoTime(received);
    const [reported] = await this.clock.read(session.stationId, [report.timestamp], received);
    const timestamp = reported?.time ?? now;
    const told = { ...report, timestamp };
    const toldAgain = this.storeStatusToldAgain(session, told, received);
    if (toldAgain) {
      await toldAgain.stored;
      toldAgain.publish();
      return;
    }
    // Read before the write, which then needs no reading back: the status of the station
    // derived with the one told, its connector stored by group commit with others of the turn.
    const { station: before, others } = await this.connectors.statusesBesides(
      session.stationId,
      report.connectorId,
    );
    const status = deriveStationStatus([...others, report.status]);
    await Promise.all([
      this.connectors.storeBatched(session.stationId, told, now),
      status !== before && this.stations.setStatus(session.stationId, status, now),
    ]);
    this.events.publish(connectorChangedOf(session, told));
    if (status !== before) {
      this.events.publish({
        type: 'StationStatusChanged',
        chargePointId: session.chargePointId,
        status,
        timestamp,
      });
    }
    // Remembered only once everything is stored: a repeat after a failed write takes the full way.
    this.stored.remember(session, report, received);
  }

  /**
   * Whether `report` tells the status (and error code) this connection stored last for its
   * connector, less than STATUS_RECHECK_MS ago (StoredStatuses): nothing about the connector would
   * change. Past that, a status is stored again in full (another node may have marked the station
   * Unavailable meanwhile). `received` is when the report arrived.
   */
  statusUnchanged(
    session: ChargePointSession,
    report: ConnectorReport,
    received: Date = this.clock.now(),
  ): boolean {
    return this.stored.unchanged(session, report, received);
  }

  /**
   * The short way of recordStatus for a StatusNotification telling again the status this
   * connection stored last (statusUnchanged): the connectors' statuses, so the station's, stay as
   * they are, and the report is stored by group commit without reading back. `publish` tells it
   * once it is stored. Undefined when the full way must run. `report.timestamp` is as the clock
   * read it already (ChargePointClock.read).
   */
  private storeStatusToldAgain(
    session: ChargePointSession,
    report: ConnectorReport & { timestamp: string },
    received: Date,
  ): { stored: Promise<void>; publish: () => void } | undefined {
    if (!this.statusUnchanged(session, report, received)) return undefined;
    return {
      stored: this.connectors.storeBatched(session.stationId, report, isoTime(received)),
      publish: () => this.events.publish(connectorChangedOf(session, report)),
    };
  }

  async recordNotification(
    session: ChargePointSession,
    kind: NotificationKind,
    status: string,
  ): Promise<void> {
    await this.stations.setNotificationStatus(session.stationId, kind, status, isoNow(this.clock));
  }

  /** The stations recorded as connected, wherever they are held. */
  connectedIds(): Promise<string[]> {
    return this.stations.connectedIds();
  }

  /** Marks stations disconnected at start: no socket of an earlier process survives it. */
  async resetConnections(): Promise<void> {
    await this.stations.markAllDisconnected(isoNow(this.clock));
  }
}
