import type { v16 } from '@cimorings/ocpp';
import type { StationLinks } from '../../cluster/command-router.js';
import type { KeptChargingProfile, ProfileStatus } from '../../domain/charging-profile.js';
import type { ChargingLimits, LimitedSession } from '../../services/charging-limits.js';

/**
 * The chargingProfileId of the load manager's TxProfile on a connector: one fixed id per
 * connector, so that each new limit replaces the previous one on the station (OCPP 1.6
 * §3.13.2) and the operator's own profile ids, small numbers in practice, are left alone.
 */
export const LOAD_MANAGER_PROFILE_ID_BASE = 2_000_000_000;

/** The load manager's TxProfiles stack above a TxDefaultProfile by being TxProfiles (§3.13.1). */
export const LOAD_MANAGER_STACK_LEVEL = 0;

/** ChargingLimits for OCPP 1.6 stations: SetChargingProfile, ClearChargingProfile, GetCompositeSchedule. */
export class V16ChargingLimits implements ChargingLimits {
  constructor(private readonly links: StationLinks) {}

  async installProfile(chargePointId: string, kept: KeptChargingProfile): Promise<ProfileStatus> {
    const request: v16.Request<'SetChargingProfile'> = {
      connectorId: kept.connectorId,
      csChargingProfiles: kept.profile,
    };
    const answer = await this.call<'SetChargingProfile'>(chargePointId, 'SetChargingProfile', request);
    return answer.status;
  }

  async clearProfile(chargePointId: string, chargingProfileId: number): Promise<'Accepted' | 'Unknown'> {
    const request: v16.Request<'ClearChargingProfile'> = { id: chargingProfileId };
    const answer = await this.call<'ClearChargingProfile'>(chargePointId, 'ClearChargingProfile', request);
    return answer.status;
  }

  async compositeSchedule(
    chargePointId: string,
    query: { connectorId: number; duration: number; chargingRateUnit?: 'A' | 'W' },
  ): Promise<Record<string, unknown>> {
    const request: v16.Request<'GetCompositeSchedule'> = query;
    return { ...(await this.call<'GetCompositeSchedule'>(chargePointId, 'GetCompositeSchedule', request)) };
  }

  async applySessionLimit(
    chargePointId: string,
    session: LimitedSession,
    limitW: number,
  ): Promise<ProfileStatus> {
    // A Relative TxProfile for the running transaction (§5.16.3), whole watts (the schema wants
    // multiples of 0.1); 0 W pauses the session.
    const request: v16.Request<'SetChargingProfile'> = {
      connectorId: session.connectorId,
      csChargingProfiles: {
        chargingProfileId: LOAD_MANAGER_PROFILE_ID_BASE + session.connectorId,
        transactionId: session.transactionId,
        stackLevel: LOAD_MANAGER_STACK_LEVEL,
        chargingProfilePurpose: 'TxProfile',
        chargingProfileKind: 'Relative',
        chargingSchedule: {
          chargingRateUnit: 'W',
          chargingSchedulePeriod: [{ startPeriod: 0, limit: Math.max(0, Math.floor(limitW)) }],
        },
      },
    };
    const answer = await this.call<'SetChargingProfile'>(chargePointId, 'SetChargingProfile', request);
    return answer.status;
  }

  private async call<A extends v16.CentralSystemAction>(
    chargePointId: string,
    action: A,
    request: v16.Request<A>,
  ): Promise<v16.Response<A>> {
    return (await this.links.router.call(
      chargePointId,
      action,
      request,
      this.links.callTimeoutMs,
    )) as v16.Response<A>;
  }
}
