import type { OcppVersion } from '@cimorings/contracts';
import type { SecurityProfile } from '../domain/security-profile.js';
import type { Station } from '../domain/station.js';
import { AppError } from '../errors.js';

/**
 * How a connected station is told its new profile, in the station's protocol (1.6:
 * ChangeConfiguration SecurityProfile, then Reset; 2.0.1: SetNetworkProfile).
 */
export interface SecurityProfileSwitch {
  /** Asks the station to use `profile` from its next connection; answers its status. */
  change(chargePointId: string, profile: SecurityProfile): Promise<string>;
  /** Makes it reconnect now, with the new profile (best effort: a failure is only logged). */
  reconnect(chargePointId: string): Promise<void>;
}

/**
 * The switch of each protocol that has one. OCPP 2.x has none yet (A05 needs SetNetworkProfile
 * with a whole connection profile, the CSMS URL as the station must reach it, then SetVariables
 * NetworkConfigurationPriority and a Reset): a raise of a connected 2.x station is refused.
 */
export type SecurityProfileSwitches = Partial<Record<OcppVersion, SecurityProfileSwitch>>;

/** What the server serves, which the higher profiles need. */
export interface ServerTransport {
  /** TLS_CERT_FILE is set (or a trusted TLS-terminating proxy is in front). */
  tls: boolean;
  /** TLS_CLIENT_CA_FILE (or a proxy's client certificate header) is set. */
  clientCertificates: boolean;
}

/** What the raise reads about the station. */
export interface StationSecurityFacts {
  /** Whether it holds a current certificate of the OCPP CA. */
  hasCurrentCertificate(stationId: number): Promise<boolean>;
  countActiveTransactions(chargePointId: string): Promise<number>;
}

/**
 * Raising the security profile of a connected station (OCPP 1.6 security whitepaper §2.4,
 * "Security profile migration"; OCTT TC_083_CSMS): the station must first have what the new
 * profile needs, then accept the new profile; only then is the stored profile raised, and the
 * station reconnects with it. A station that is not connected gets the stored profile only
 * (it is configured on the device).
 */
export class SecurityProfileRaise {
  constructor(
    private readonly facts: StationSecurityFacts,
    private readonly remotes: SecurityProfileSwitches,
    private readonly transport: ServerTransport,
  ) {}

  /** Whether the change needs the station's consent: a raise while it is connected. */
  needed(station: Station, target: SecurityProfile): boolean {
    return station.connected && target > station.securityProfile;
  }

  /**
   * Checks what the new profile needs and asks the station to take it.
   * @param passwordChanges the same request also sets a new password (which the station cannot know)
   * @throws AppError CONFLICT when the station's protocol has no switch here, or the station or
   * the server lacks what the profile needs,
   * PROFILE_CHANGE_REFUSED (details.status) when the station does not accept it, or
   * STATION_OFFLINE, STATION_TIMEOUT, OCPP_CALL_ERROR.
   */
  async ask(station: Station, target: SecurityProfile, passwordChanges: boolean): Promise<void> {
    const remote = this.remotes[station.ocppVersion];
    if (!remote) {
      throw new AppError(
        'CONFLICT',
        `Cannot raise ${station.chargePointId} to security profile ${target}: raising the profile of a connected OCPP ${station.ocppVersion} station is not supported (set it on the station, or raise it while the station is offline)`,
        { fields: ['securityProfile'] },
      );
    }
    const problem = await this.missing(station, target, passwordChanges);
    if (problem !== null) {
      throw new AppError(
        'CONFLICT',
        `Cannot raise ${station.chargePointId} to security profile ${target}: ${problem}`,
        {
          fields: ['securityProfile'],
        },
      );
    }
    const status = await remote.change(station.chargePointId, target);
    if (status !== 'Accepted') {
      throw new AppError(
        'PROFILE_CHANGE_REFUSED',
        `${station.chargePointId} answered ${status} to security profile ${target}; its profile stays ${station.securityProfile}`,
        { status },
      );
    }
  }

  /**
   * Once the raised profile is stored: the station reconnects with it now, unless a transaction
   * runs there (it then reconnects on its own, at the latest when it next restarts).
   */
  async reconnect(station: Station): Promise<void> {
    const remote = this.remotes[station.ocppVersion];
    if (!remote || (await this.facts.countActiveTransactions(station.chargePointId)) > 0) return;
    await remote.reconnect(station.chargePointId);
  }

  private async missing(
    station: Station,
    target: SecurityProfile,
    passwordChanges: boolean,
  ): Promise<string | null> {
    if ((target === 1 || target === 2) && (!station.hasOcppPassword || passwordChanges)) {
      return 'the station must know its password first (send ChangeConfiguration AuthorizationKey, then raise)';
    }
    if (target >= 2 && !this.transport.tls) return 'the server serves no TLS (TLS_CERT_FILE)';
    if (target === 3 && !this.transport.clientCertificates) {
      return 'the server asks for no client certificates (TLS_CLIENT_CA_FILE)';
    }
    if (target === 3 && !(await this.facts.hasCurrentCertificate(station.id))) {
      return 'the station holds no current certificate of the OCPP CA (ExtendedTriggerMessage SignChargePointCertificate first)';
    }
    return null;
  }
}
