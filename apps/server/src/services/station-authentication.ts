import { type Clock, isoNow } from '../domain/clock.js';
import {
  needsPassword,
  securityRefusal,
  type ConnectionSecurity,
  type Refusal,
} from '../domain/security-profile.js';
import { AppError } from '../errors.js';
import type { StationCredentials } from '../repositories/station-rows.js';
import type { StationRepository } from '../repositories/station.repository.js';
import type { Passwords } from './password-guard.js';
import type { SecurityEventRecorder } from './security-event.service.js';

/**
 * How a known station proves who it is at the WebSocket upgrade (CONTRACT section 8): by the
 * connection its security profile asks for, a certificate an operator did not revoke, and its
 * password; every refusal is recorded as a security event of the station.
 */
export class StationAuthentication {
  constructor(
    private readonly stations: StationRepository,
    /** Basic-auth guesses throttled per station id and source address, before any hash. */
    private readonly passwords: Passwords,
    /** Where refused upgrades of known stations are recorded (CONTRACT section 8). */
    private readonly securityEvents: SecurityEventRecorder,
    /** Whether a certificate (by SHA-256 fingerprint) was revoked by an operator. */
    private readonly revoked: (fingerprint: string) => Promise<boolean>,
    private readonly clock: Clock,
  ) {}

  /**
   * Lets `known` in only as its security profile asks: TLS from profile 2, a verified
   * certificate naming it at profile 3, its password (Basic auth) at profiles 1 and 2; a
   * certificate an operator revoked is refused at any profile. A connection at the profile a
   * raise is moving it to is admitted too, and stores that profile.
   * @param source the client's address, as TRUST_PROXY says to read it
   * @throws AppError UNAUTHORIZED for a connection below the profile, a certificate of another
   * station or a revoked one, a missing or wrong password; TOO_MANY_ATTEMPTS when guesses from
   * `source` or on this station are throttled (no hash computed), SERVICE_UNAVAILABLE when the
   * throttle is lost.
   */
  async check(
    known: StationCredentials,
    chargePointId: string,
    password: string | undefined,
    source: string,
    connection: ConnectionSecurity,
  ): Promise<void> {
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
  }

  /** Records the refusal as a security event of the station, then refuses (401 at the upgrade). */
  private async refuse(stationId: number, chargePointId: string, refusal: Refusal): Promise<never> {
    await this.securityEvents.recordRefusal(stationId, chargePointId, refusal);
    throw new AppError('UNAUTHORIZED', `${refusal.techInfo} (${chargePointId})`);
  }
}
