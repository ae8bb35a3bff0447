import type { EventBus } from '../cluster/event-bus.js';
import {
  type ChargingProfile,
  type CompositeScheduleQuery,
  type KeptChargingProfile,
  keptProfileInput,
  profileProblems,
  profileStatusOf,
  replacesProfile,
} from '../domain/charging-profile.js';
import { type Clock, isoNow } from '../domain/clock.js';
import type { Actor } from '../domain/user.js';
import { AppError } from '../errors.js';
import type { ChargingProfileRepository } from '../repositories/charging-profile.repository.js';
import type { CommandService, StationProtocol } from './command.service.js';

/** How long after a boot kept profiles are sent, ms. */
const AFTER_BOOT_MS = 200;

/** A kept profile as the REST API shows it. */
export interface InstalledProfile {
  chargingProfileId: number;
  connectorId: number;
  csChargingProfiles: ChargingProfile;
  status: 'installed';
}

/**
 * Charging profiles as data (CONTRACT section 9): a station's ChargePointMaxProfile and
 * TxDefaultProfile profiles, checked against OCPP's rules, sent, kept only once the station
 * accepted them, and sent again each time it boots. Each message goes through the command path,
 * in the station's protocol, and is audited: an operator's as sent by them, those at boot as
 * sent by the system.
 */
export class ChargingProfileService {
  private unsubscribe: (() => void) | undefined;

  constructor(
    private readonly profiles: ChargingProfileRepository,
    /** How it reaches a station: reads it as the actor may see it (`to`), and commands it. */
    private readonly commands: CommandService,
    private readonly events: EventBus,
    private readonly clock: Clock,
    private readonly log: { warn(details: object, message: string): void },
  ) {}

  /** Sends the kept profiles to each station that boots. */
  start(): void {
    this.unsubscribe = this.events.subscribe((event) => {
      // A station its boot found keeping none has nothing to be sent: no lookup.
      if (event.type === 'StationBooted' && event.keepsProfiles) void this.resend(event);
    });
  }

  stop(): void {
    this.unsubscribe?.();
  }

  async list(actor: Actor, chargePointId: string): Promise<InstalledProfile[]> {
    const { station } = await this.commands.to(actor, chargePointId);
    return (await this.profiles.list(station.id)).map(shown);
  }

  /**
   * @throws AppError VALIDATION_ERROR (OCPP's rules broken: nothing sent), PROFILE_REJECTED
   * (the station refused: nothing kept), NOT_FOUND and the errors of a command.
   */
  async install(actor: Actor, chargePointId: string, kept: KeptChargingProfile): Promise<InstalledProfile> {
    const { station, commands } = await this.commands.to(actor, chargePointId);
    const problems = profileProblems(kept.connectorId, kept.profile, this.clock.now());
    if (problems.length > 0) {
      throw new AppError('VALIDATION_ERROR', problems.join('; '), {
        fields: ['csChargingProfiles'],
        problems,
      });
    }
    const status = profileStatusOf(
      await commands.setChargingProfile(kept.connectorId, keptProfileInput(kept)),
    );
    if (status !== 'Accepted') {
      throw new AppError('PROFILE_REJECTED', `${chargePointId} answered SetChargingProfile with ${status}`, {
        status,
      });
    }
    const replaced = (await this.profiles.list(station.id))
      .filter((other) => replacesProfile(kept, other))
      .map((other) => other.profile.chargingProfileId);
    await this.profiles.replace(station.id, kept, replaced, isoNow(this.clock));
    return shown(kept);
  }

  /**
   * Sends ClearChargingProfile for a kept profile and forgets it (also when the station no
   * longer knew it: it holds nothing of it either way).
   * @throws AppError NOT_FOUND for a profile not kept; the errors of a command (then it stays kept).
   */
  async remove(actor: Actor, chargePointId: string, chargingProfileId: number): Promise<void> {
    const { station, commands } = await this.commands.to(actor, chargePointId);
    const kept = await this.profiles.list(station.id);
    if (!kept.some((k) => k.profile.chargingProfileId === chargingProfileId)) {
      throw new AppError('NOT_FOUND', `${chargePointId} keeps no charging profile ${chargingProfileId}`);
    }
    await commands.clearChargingProfile({ chargingProfileId });
    await this.profiles.delete(station.id, chargingProfileId);
  }

  /** The station's composite schedule, as it answers GetCompositeSchedule. */
  async compositeSchedule(
    actor: Actor,
    chargePointId: string,
    { connectorId, duration, chargingRateUnit }: CompositeScheduleQuery,
  ): Promise<Record<string, unknown>> {
    const { commands } = await this.commands.to(actor, chargePointId);
    return { ...(await commands.getCompositeSchedule(connectorId, duration, chargingRateUnit)) };
  }

  /** Sends every kept profile to a station that booted; a refusal or failure is logged. */
  async resend(station: StationProtocol): Promise<void> {
    const { chargePointId } = station;
    try {
      // After the BootNotification answer has left: a station may refuse calls before it is accepted.
      await new Promise((resolve) => setTimeout(resolve, AFTER_BOOT_MS));
      const commands = this.commands.system(station);
      for (const kept of await this.profiles.listOf(chargePointId)) {
        const status = profileStatusOf(
          await commands.setChargingProfile(kept.connectorId, keptProfileInput(kept)),
        );
        if (status !== 'Accepted') {
          this.log.warn(
            { chargePointId, chargingProfileId: kept.profile.chargingProfileId, status },
            'station refused a kept charging profile at boot',
          );
        }
      }
    } catch (error) {
      this.log.warn({ err: error, chargePointId }, 'sending kept charging profiles at boot failed');
    }
  }
}

function shown(kept: KeptChargingProfile): InstalledProfile {
  return {
    chargingProfileId: kept.profile.chargingProfileId,
    connectorId: kept.connectorId,
    csChargingProfiles: kept.profile,
    status: 'installed',
  };
}
