import type { OcppVersion } from '@cimorings/contracts';
import { guessSource } from '../domain/attempt-throttle.js';
import type { KeyedRateLimit } from '../domain/keyed-rate-limit.js';
import type { ConnectionSecurity } from '../domain/security-profile.js';
import { AppError } from '../errors.js';
import type { StationRepository } from '../repositories/station.repository.js';
import type { Admission, ChargePointSettings } from './charge-point.service.js';
import type { StationAuthentication } from './station-authentication.js';

/**
 * Who may open an OCPP connection, decided at the WebSocket upgrade before any message is
 * read: known stations by their security profile and password, unknown ones by
 * OCPP_UNKNOWN_STATIONS and the newcomer limits.
 */
export class StationAdmissionService {
  constructor(
    private readonly stations: StationRepository,
    /** How a known station proves who it is. */
    private readonly authentication: StationAuthentication,
    /** Admits new unknown charge points per source address (false: over the rate). */
    private readonly newcomers: KeyedRateLimit,
    private readonly settings: Pick<ChargePointSettings, 'unknownStations' | 'pendingStationsMax'>,
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
      await this.authentication.check(known, chargePointId, password, source, connection);
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

  private async pendingFull(): Promise<boolean> {
    if (this.settings.unknownStations !== 'pending') return false;
    return (await this.stations.countRegistered('pending')) >= this.settings.pendingStationsMax;
  }
}
