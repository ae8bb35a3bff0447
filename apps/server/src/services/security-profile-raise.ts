import type { Refusal, SecurityProfile } from '../domain/security-profile.js';
import type { Station } from '../domain/station.js';
import type { Actor } from '../domain/user.js';
import { AppError } from '../errors.js';
import type { ChargePointCommands } from './charge-point-commands.js';

/**
 * The port to a station, speaking its protocol, whose messages are audited as the commands
 * endpoint's are (CommandService.to).
 */
export type StationCommander = (actor: Actor, chargePointId: string) => Promise<ChargePointCommands>;

/** What the server serves and tells stations, which the higher profiles need. */
export interface RaiseSettings {
  /** TLS_CERT_FILE is set (or a trusted TLS-terminating proxy is in front). */
  tls: boolean;
  /** TLS_CLIENT_CA_FILE (or a proxy's client certificate header) is set. */
  clientCertificates: boolean;
  /** OCPP_PUBLIC_URL: the endpoint a 2.x station is given in its new network profile. */
  csmsUrl: string | null;
  /** The messageTimeout of that profile, in seconds. */
  messageTimeoutSeconds: number;
}

/** What the raise reads and writes about the station. */
export interface StationSecurityFacts {
  /** Whether it holds a current certificate of the OCPP CA. */
  hasCurrentCertificate(stationId: number): Promise<boolean>;
  countActiveTransactions(chargePointId: string): Promise<number>;
  /**
   * Makes `target` the profile a raise moves the station to (admitted beside its own), only while
   * its stored profile is still `from` and no other raise is pending; whether it did.
   */
  claimPendingProfile(
    chargePointId: string,
    from: SecurityProfile,
    target: SecurityProfile,
  ): Promise<boolean>;
  /** Clears the pending profile of a failed raise, only while it is still `target`. */
  releasePendingProfile(chargePointId: string, target: SecurityProfile): Promise<void>;
  /** Records a server security event of the station. */
  recordEvent(stationId: number, event: Refusal): Promise<void>;
}

/**
 * Raising the security profile of a connected station (OCPP 1.6 security whitepaper §2.4, OCTT
 * TC_083_CSMS; OCPP 2.0.1 A05 with B09): the server and the station must first have what the new
 * profile needs (TLS, a CSMS root certificate on the station, at 3 a current certificate of our
 * CA), then the station must accept the new profile; only then is it stored, and the station
 * reconnects with it. The new profile is kept as pending from before the station is asked
 * anything (its root certificates, then the profile) until it is stored, and the upgrade admits
 * either meanwhile: a station that took it is not locked out when storing it fails. A station that is not connected gets the stored profile
 * only (it is configured on the device). A refusal is answered and recorded as a security event.
 */
export class SecurityProfileRaise {
  constructor(
    private readonly facts: StationSecurityFacts,
    private readonly commandsOf: StationCommander,
    private readonly settings: RaiseSettings,
    private readonly onResetError: (error: unknown) => void,
  ) {}

  /** Whether the change needs the station's consent: a raise while it is connected. */
  needed(station: Station, target: SecurityProfile): boolean {
    return station.connected && target > station.securityProfile;
  }

  /**
   * Checks what the new profile needs and asks the station to take it; the new profile is
   * pending from then on (stored with StationService.update, which clears it).
   * @param passwordChanges the same request also sets a new password (which the station cannot know)
   * @throws AppError CONFLICT when the station or the server lacks what the profile needs, or
   * another raise of the station is pending (on any node),
   * PROFILE_CHANGE_REFUSED (details.status; the message names the refusing step) when the station does not accept it,
   * or STATION_OFFLINE, STATION_TIMEOUT, OCPP_CALL_ERROR.
   */
  async ask(
    actor: Actor,
    station: Station,
    target: SecurityProfile,
    passwordChanges: boolean,
  ): Promise<void> {
    const refuse = (problem: string) =>
      new AppError(
        'CONFLICT',
        `Cannot raise ${station.chargePointId} to security profile ${target}: ${problem}`,
        {
          fields: ['securityProfile'],
        },
      );
    const problem = await this.missing(station, target, passwordChanges);
    if (problem !== null) throw refuse(problem);
    // Claimed before the station is asked anything: the server sends a station one call at a
    // time, so a second raise that asked the station before claiming would wait behind this
    // one's ChangeConfiguration (up to the call timeout) only to be refused then.
    if (!(await this.facts.claimPendingProfile(station.chargePointId, station.securityProfile, target))) {
      throw refuse(
        'a raise is in progress (or one it accepted waits for its next connection to be stored, or its profile changed meanwhile); try again later, or PATCH its current securityProfile to drop a pending raise',
      );
    }
    const answer = await this.offer(actor, station, target, refuse).catch(async (error: unknown) => {
      await this.facts.releasePendingProfile(station.chargePointId, target);
      throw error;
    });
    if (answer.status !== 'Accepted') {
      await this.facts.releasePendingProfile(station.chargePointId, target);
      await this.facts.recordEvent(station.id, {
        type: 'SecurityProfileRaiseRefused',
        techInfo: `raise to security profile ${target} refused: ${answer.step} answered ${answer.status}`,
      });
      throw new AppError(
        'PROFILE_CHANGE_REFUSED',
        `${station.chargePointId} answered ${answer.status} to ${answer.step} (security profile ${target}); its profile stays ${station.securityProfile}`,
        { status: answer.status },
      );
    }
  }

  /** Asks the station to take the profile, once it has a CSMS root certificate where one is needed. */
  private async offer(
    actor: Actor,
    station: Station,
    target: SecurityProfile,
    refuse: (problem: string) => AppError,
  ) {
    const commands = await this.commandsOf(actor, station.chargePointId);
    if (target >= 2 && (await commands.countCsmsRootCertificates()) === 0) {
      const techInfo = `raise to security profile ${target} refused: no CSMS root certificate installed`;
      await this.facts.recordEvent(station.id, { type: 'SecurityProfileRaiseRefused', techInfo });
      throw refuse(
        `the station has no CSMS root certificate installed, so it cannot verify our TLS certificate; install the root of TLS_CERT_FILE first: POST /api/stations/${station.chargePointId}/commands/InstallCertificate with certificateType CentralSystemRootCertificate (OCPP 1.6) or CSMSRootCertificate (2.x)`,
      );
    }
    return commands.changeSecurityProfile({
      profile: target,
      csmsUrl: this.settings.csmsUrl ?? '',
      messageTimeoutSeconds: this.settings.messageTimeoutSeconds,
    });
  }

  /**
   * The error of a raise the station accepted but whose storing failed: the profile stays
   * pending and is stored when the station first connects with it.
   */
  unstored(station: Station, target: SecurityProfile, error: unknown): AppError {
    return new AppError(
      'DATABASE_UNAVAILABLE',
      `${station.chargePointId} accepted security profile ${target}, but storing it failed: it stays pending, connections at profile ${station.securityProfile} or ${target} are admitted, and ${target} is stored when the station first connects with it`,
      { cause: error instanceof Error ? error.message : String(error) },
    );
  }

  /**
   * Once the raised profile is stored: the station reconnects with it now (Reset Hard, 2.x
   * Immediate), unless a transaction runs there (it then reconnects on its own, at the latest
   * when it next restarts). Best effort: a failure is only reported to `onResetError`.
   */
  async reconnect(actor: Actor, station: Station): Promise<void> {
    try {
      if ((await this.facts.countActiveTransactions(station.chargePointId)) > 0) return;
      await (await this.commandsOf(actor, station.chargePointId)).reset('Hard');
    } catch (error) {
      this.onResetError(error);
    }
  }

  private async missing(
    station: Station,
    target: SecurityProfile,
    passwordChanges: boolean,
  ): Promise<string | null> {
    if ((target === 1 || target === 2) && (!station.hasOcppPassword || passwordChanges)) {
      return 'the station must know its password first (send ChangeConfiguration AuthorizationKey, then raise)';
    }
    if (target >= 2 && !this.settings.tls) return 'the server serves no TLS (TLS_CERT_FILE)';
    if (target === 3 && !this.settings.clientCertificates) {
      return 'the server asks for no client certificates (TLS_CLIENT_CA_FILE)';
    }
    // Only the 2.x procedure (B09) gives the station a URL: 1.6 keeps the one it has.
    if (station.ocppVersion !== '1.6') {
      const url = this.settings.csmsUrl;
      if (url === null) {
        return 'OCPP_PUBLIC_URL is not set: an OCPP 2.x station is given the CSMS URL in SetNetworkProfile (set it to the wss:// URL of /ocpp as stations reach it)';
      }
      if (target >= 2 && !url.startsWith('wss://')) {
        return `OCPP_PUBLIC_URL is ${url}: profiles 2 and 3 need a wss:// URL`;
      }
    }
    if (target === 3 && !(await this.facts.hasCurrentCertificate(station.id))) {
      return 'the station holds no current certificate of the OCPP CA (ExtendedTriggerMessage SignChargePointCertificate first)';
    }
    return null;
  }
}
