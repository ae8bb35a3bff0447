import type { OcppVersion } from '@cimorings/contracts';
import { AppError } from '../errors.js';
import type { KeptChargingProfile, ProfileStatus } from '../domain/charging-profile.js';

/** The session a load manager's limit is for. */
export interface LimitedSession {
  connectorId: number;
  /** The transaction's integer id (the OCPP 1.6 transactionId). */
  transactionId: number;
  /** A 2.x station's own id of the transaction; null for 1.6, whose id is ours. */
  ocppTransactionId: string | null;
}

/**
 * The smart-charging messages, in domain terms, whatever protocol a station speaks: the seam
 * between the charging-profile and load-management services and the wire. Implemented per
 * protocol in `ocpp/` (OCPP 1.6: `ocpp/v16/charging-limits.ts`, 2.x: `ocpp/v2/charging-limits.ts`),
 * chosen per station by `ChargingLimitsByProtocol`. Every method throws the
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

/**
 * ChargingLimits choosing, for each message, the implementation of the protocol the station
 * speaks now (its ocppVersion, updated at each connection).
 */
export class ChargingLimitsByProtocol implements ChargingLimits {
  constructor(
    /** The station's protocol; undefined: no such station. */
    private readonly versionOf: (chargePointId: string) => Promise<OcppVersion | undefined>,
    private readonly byVersion: Readonly<Record<OcppVersion, ChargingLimits>>,
  ) {}

  async installProfile(chargePointId: string, kept: KeptChargingProfile): Promise<ProfileStatus> {
    return (await this.of(chargePointId)).installProfile(chargePointId, kept);
  }

  async clearProfile(chargePointId: string, chargingProfileId: number): Promise<'Accepted' | 'Unknown'> {
    return (await this.of(chargePointId)).clearProfile(chargePointId, chargingProfileId);
  }

  async compositeSchedule(
    chargePointId: string,
    query: { connectorId: number; duration: number; chargingRateUnit?: 'A' | 'W' },
  ): Promise<Record<string, unknown>> {
    return (await this.of(chargePointId)).compositeSchedule(chargePointId, query);
  }

  async applySessionLimit(
    chargePointId: string,
    session: LimitedSession,
    limitW: number,
  ): Promise<ProfileStatus> {
    return (await this.of(chargePointId)).applySessionLimit(chargePointId, session, limitW);
  }

  /** @throws AppError NOT_FOUND for a station that is no more. */
  private async of(chargePointId: string): Promise<ChargingLimits> {
    const version = await this.versionOf(chargePointId);
    if (version === undefined) throw new AppError('NOT_FOUND', `No station ${chargePointId}`);
    return this.byVersion[version];
  }
}
