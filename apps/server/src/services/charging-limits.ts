import type { KeptChargingProfile, ProfileStatus } from '../domain/charging-profile.js';

/** The session a load manager's limit is for. */
export interface LimitedSession {
  connectorId: number;
  /** The transaction's integer id (the OCPP 1.6 transactionId). */
  transactionId: number;
}

/**
 * The smart-charging messages, in domain terms, whatever protocol a station speaks: the seam
 * between the charging-profile and load-management services and the wire. Implemented per
 * protocol in `ocpp/` (OCPP 1.6: `ocpp/v16/charging-limits.ts`). Every method throws the
 * AppErrors of a command (STATION_OFFLINE, STATION_TIMEOUT, OCPP_CALL_ERROR).
 */
export interface ChargingLimits {
  /** Sends a ChargePointMaxProfile or TxDefaultProfile profile (SetChargingProfile). */
  installProfile(chargePointId: string, kept: KeptChargingProfile): Promise<ProfileStatus>;
  /** Removes one profile by its id (ClearChargingProfile). */
  clearProfile(chargePointId: string, chargingProfileId: number): Promise<'Accepted' | 'Unknown'>;
  /** The station's composite schedule (GetCompositeSchedule), its answer as the station gave it. */
  compositeSchedule(
    chargePointId: string,
    query: { connectorId: number; duration: number; chargingRateUnit?: 'A' | 'W' },
  ): Promise<Record<string, unknown>>;
  /** Limits one charging session to `limitW` watts, 0 pausing it (a TxProfile in OCPP 1.6). */
  applySessionLimit(chargePointId: string, session: LimitedSession, limitW: number): Promise<ProfileStatus>;
}
