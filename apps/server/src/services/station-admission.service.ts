import type { OcppVersion } from '@cimorings/contracts';
import { guessSource } from '../domain/attempt-throttle.js';
import { type Clock, isoNow } from '../domain/clock.js';
import type { KeyedRateLimit } from '../domain/keyed-rate-limit.js';
import {
  needsPassword,
  securityRefusal,
  type ConnectionSecurity,
  type Refusal,
} from '../domain/security-profile.js';
import { AppError } from '../errors.js';
import type { StationRepository } from '../repositories/station.repository.js';
import type { Admission, ChargePointSettings } from './charge-point.service.js';
import type { Passwords } from './password-guard.js';
import type { SecurityEventRecorder } from './security-event.service.js';

/**
 * Who may open an OCPP connection, decided at the WebSocket upgrade before any message is
 * read: known stations by their security profile and password, unknown ones by
 * OCPP_UNKNOWN_STATIONS and the newcomer limits.
 */
export class StationAdmissionService {
  constructor(
    private readonly stations: StationRepository,
    /** Basic-auth guesses throttled per station id and source address, before any hash. */
    private readonly passwords: Passwords,
    /** Where refused upgrades of known stations are recorded (CONTRACT section 8). */
    private readonly securityEvents: SecurityEventRecorder,
    /** Admits new unknown charge points per source address (false: over the rate). */
    private readonly newcomers: KeyedRateLimit,
    private readonly settings: Pick<ChargePointSettings, 'unknownStations' | 'pendingStationsMax'>,
    /** Whether a certificate (by SHA-256 fingerprint) was revoked by an operator. */
    private readonly revoked: (fingerprint: string) => Promise<boolean>,
    private readonly clock: Clock,
  ) {}

  /**
   * Decides whether a charge point may connect (before the WebSocket upgrade). Unknown ones
   * follow OCPP_UNKNOWN_STATIONS, and are admitted without being stored: only a valid
   * BootNotification registers them (`boot`). A known station must connect as its security
   * profile asks (CONTRACT section 8): TLS from profile 2, a verified certificate naming it at
   * profile 3, its password (Basic auth) at profiles 1 and 2; a certificate an operator revoked
   * is refused at any profile; a refusal is recorded as a security event of the station.
   * @param source the client's address, as TRUST_PROXY says to read it
   * @param connection how the charge point reached the upgrade (TLS, client certificate)
   * @throws AppError NOT_FOUND for an unknown station under `reject`, UNAUTHORIZED for a
   * connection below the profile, a certificate of another station, a missing or wrong password, TOO_MANY_ATTEMPTS when guesses from `source` or on this
   * station are throttled (no hash computed), SERVICE_UNAVAILABLE when the throttle is lost,
   * RATE_LIMITED when new unknown charge points come faster than OCPP_NEW_STATIONS_PER_MINUTE
   * from `source`, or while OCPP_PENDING_STATIONS_MAX await approval.
   */
  async admit(
    chargePointId: string,
    password: string | undefined,
    source: string,
    connection: ConnectionSecurity,
    ocppVersion: OcppVersion = '1.6',
  ): Promise<Admission> {
    const known = await this.stations.findCredentials(chargePointId);
    if (known) {
      const { passwordHash, pendingSecurityProfile: pending } = known;
      // While a raise is under way (or its storing failed) a connection at the new profile is
      // admitted too, and stores it: the station has shown it took it.
      // Only a raise counts: a pending profile at or below the stored one (a stale raise) admits nothing more.
      const atPending =
        pending !== null &&
        pending > known.securityProfile &&
        securityRefusal(pending, chargePointId, connection) === null;
      const securityProfile = atPending ? pending : known.securityProfile;
      const refusal = securityRefusal(securityProfile, chargePointId, connection);
      if (refusal !== null) await this.refuse(known.id, chargePointId, refusal);
      const certificate = connection.certificate;
      if (
        certificate?.verified &&
        certificate.fingerprint !== null &&
        (await this.revoked(certificate.fingerprint))
      ) {
        await this.refuse(known.id, chargePointId, {
          type: 'InvalidChargePointCertificate',
          techInfo: `certificate revoked (SHA-256 ${certificate.fingerprint})`,
        });
      }
      if (needsPassword(securityProfile)) {
        const ok =
          password !== undefined &&
          passwordHash !== null &&
          (await this.passwords.guard.attempt(chargePointId, source, () =>
            this.passwords.hasher.verify(passwordHash, password),
          ));
        if (!ok) {
          await this.refuse(known.id, chargePointId, {
            type: 'FailedToAuthenticateAtCentralSystem',
            techInfo: password === undefined ? 'no password sent' : 'wrong password',
          });
        }
      }
      if (atPending && pending !== known.securityProfile) {
        // Best effort: unstored, it stays pending and the next connection at it tries again.
        await this.stations
          .storePendingSecurityProfile(known.id, pending, isoNow(this.clock))
          .catch(() => undefined);
      }
      return {
        chargePointId,
        ocppVersion,
        station: { stationId: known.id, chargePointId, registration: known.registration },
      };
    }
    if (this.settings.unknownStations === 'reject') {
      throw new AppError('NOT_FOUND', `Unknown charge point ${chargePointId}`);
    }
    // Counted per source as password guesses are (an IPv6 client as its /64, which it can rotate
    // through); an address is at most 45 characters, a longer one is not kept whole.
    if (!this.newcomers.take(guessSource(source).slice(0, 64))) {
      throw new AppError('RATE_LIMITED', 'Too many new charge points from this address; retry later', {
        source,
      });
    }
    if (await this.pendingFull()) {
      throw new AppError('RATE_LIMITED', 'Too many charge points await approval; retry later');
    }
    return { chargePointId, ocppVersion, station: null };
  }

  /** Records the refusal as a security event of the station, then refuses (401 at the upgrade). */
  private async refuse(stationId: number, chargePointId: string, refusal: Refusal): Promise<never> {
    await this.securityEvents.recordRefusal(stationId, chargePointId, refusal);
    throw new AppError('UNAUTHORIZED', `${refusal.techInfo} (${chargePointId})`);
  }

  private async pendingFull(): Promise<boolean> {
    if (this.settings.unknownStations !== 'pending') return false;
    return (await this.stations.countRegistered('pending')) >= this.settings.pendingStationsMax;
  }
}
