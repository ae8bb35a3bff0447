import type { StationLinks } from '../../cluster/command-router.js';
import type { KeptChargingProfile, ProfileStatus } from '../../domain/charging-profile.js';
import type { ChargingProfileInput, CommandAnswer } from '../../services/charge-point-commands.js';
import type { ChargingLimits, LimitedSession } from '../../services/charging-limits.js';
import { LOAD_MANAGER_PROFILE_ID_BASE, LOAD_MANAGER_STACK_LEVEL } from '../v16/charging-limits.js';
import { v2Commands } from './commands.js';

/**
 * ChargingLimits for OCPP 2.0.1 and 2.1 stations (K01, K10, K08): the 1.6-shaped profile the
 * server keeps, sent as a ChargingProfileType through the 2.x command port (the one mapping of
 * `charging-profiles.ts`); a connector of the station object is an EVSE.
 */
export class V2ChargingLimits implements ChargingLimits {
  constructor(private readonly links: StationLinks) {}

  async installProfile(chargePointId: string, kept: KeptChargingProfile): Promise<ProfileStatus> {
    // Kept profiles are ChargePointMaxProfile and TxDefaultProfile: no transaction of their own.
    const { transactionId: _none, ...profile } = kept.profile;
    const answer = await this.port(chargePointId).setChargingProfile(kept.connectorId, profile);
    return statusOf(answer);
  }

  async clearProfile(chargePointId: string, chargingProfileId: number): Promise<'Accepted' | 'Unknown'> {
    const answer = await this.port(chargePointId).clearChargingProfile({ chargingProfileId });
    return statusOf(answer) === 'Accepted' ? 'Accepted' : 'Unknown';
  }

  async compositeSchedule(
    chargePointId: string,
    query: { connectorId: number; duration: number; chargingRateUnit?: 'A' | 'W' },
  ): Promise<Record<string, unknown>> {
    const { connectorId, duration, chargingRateUnit } = query;
    const answer = await this.port(chargePointId).getCompositeSchedule(
      connectorId,
      duration,
      chargingRateUnit,
    );
    return { ...answer };
  }

  async applySessionLimit(
    chargePointId: string,
    session: LimitedSession,
    limitW: number,
  ): Promise<ProfileStatus> {
    // A Relative TxProfile of the station's own transaction (K01.FR.03 needs its transactionId).
    const profile: ChargingProfileInput = {
      chargingProfileId: LOAD_MANAGER_PROFILE_ID_BASE + session.connectorId,
      stackLevel: LOAD_MANAGER_STACK_LEVEL,
      chargingProfilePurpose: 'TxProfile',
      chargingProfileKind: 'Relative',
      transaction: { transactionId: session.transactionId, ocppTransactionId: session.ocppTransactionId },
      chargingSchedule: {
        chargingRateUnit: 'W',
        chargingSchedulePeriod: [{ startPeriod: 0, limit: Math.max(0, Math.floor(limitW)) }],
      },
    };
    return statusOf(await this.port(chargePointId).setChargingProfile(session.connectorId, profile));
  }

  /** The 2.x command port over the router, as the load manager and profiles service send. */
  private port(chargePointId: string) {
    return v2Commands((action, payload) =>
      this.links.router.call(chargePointId, action, payload, this.links.callTimeoutMs),
    );
  }
}

/** SetChargingProfile's status in 2.x is Accepted or Rejected (ChargingProfileStatusEnumType). */
function statusOf(answer: CommandAnswer): ProfileStatus {
  return answer.status === 'Accepted' ? 'Accepted' : 'Rejected';
}
