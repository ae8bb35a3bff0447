import type { v16, v201 } from '@cimorings/ocpp';
import { ChargingProfiles } from '../commands/smart-charging.js';

/** A charging profile the station holds, with the EVSE it was set for (0 = the whole station). */
export interface HeldProfile {
  evseId: number;
  profile: v201.ChargingProfileType;
  /** The transaction a TxProfile was set during: it lives only as long as that transaction (K01.FR.05). */
  transactionId?: string;
}

/**
 * The 2.x profile in the 1.6 shape the limit arithmetic reads (the same fields under 1.6 names;
 * its first schedule); undefined for ChargingStationExternalConstraints, which the CSMS never sets.
 */
function asV16({
  id,
  stackLevel,
  chargingProfilePurpose,
  chargingProfileKind,
  recurrencyKind,
  validFrom,
  validTo,
  chargingSchedule: [schedule],
}: v201.ChargingProfileType): v16.ChargingProfile | undefined {
  if (chargingProfilePurpose === 'ChargingStationExternalConstraints') return undefined;
  const { startSchedule, duration, chargingRateUnit, chargingSchedulePeriod, minChargingRate } = schedule;
  return {
    chargingProfileId: id,
    stackLevel,
    chargingProfilePurpose:
      chargingProfilePurpose === 'ChargingStationMaxProfile'
        ? 'ChargePointMaxProfile'
        : chargingProfilePurpose,
    chargingProfileKind,
    ...(recurrencyKind !== undefined && { recurrencyKind }),
    ...(validFrom !== undefined && { validFrom }),
    ...(validTo !== undefined && { validTo }),
    chargingSchedule: {
      ...(startSchedule !== undefined && { startSchedule }),
      ...(duration !== undefined && { duration }),
      chargingRateUnit,
      chargingSchedulePeriod: chargingSchedulePeriod.map(({ startPeriod, limit, numberPhases }) => ({
        startPeriod,
        limit,
        ...(numberPhases !== undefined && { numberPhases }),
      })) as v16.ChargingSchedule['chargingSchedulePeriod'],
      ...(minChargingRate !== undefined && { minChargingRate }),
    },
  };
}

/**
 * What a 2.x station's held profiles allow, with the same arithmetic as the 1.6 charge point
 * (`ChargingProfiles`): the limit an EVSE's meter follows and its composite schedule.
 */
export function chargingLimitsOf(held: readonly HeldProfile[]): ChargingProfiles {
  const limits = new ChargingProfiles(Infinity);
  for (const { evseId, profile } of held) {
    const converted = asV16(profile);
    if (converted) limits.install(evseId, converted);
  }
  return limits;
}
