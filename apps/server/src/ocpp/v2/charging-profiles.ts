import type { v201 } from '@cimorings/ocpp';
import type { ChargingProfileCriteria, ChargingProfileInput } from '../../services/charge-point-commands.js';
import { AppError } from '../../errors.js';

/** OCPP 2.0.1 renamed the 1.6 station-wide purpose (K01). */
function purposeOf(
  purpose: ChargingProfileInput['chargingProfilePurpose'],
): v201.ChargingProfilePurposeEnumType {
  return purpose === 'ChargePointMaxProfile' ? 'ChargingStationMaxProfile' : purpose;
}

/**
 * A charging profile as an OCPP 2.0.1 ChargingProfileType: its one schedule numbered as the
 * profile, a TxProfile's transaction by the station's own id.
 * @throws AppError NOT_FOUND for a TxProfile of a transaction the station has no id of.
 */
export function chargingProfileOf(profile: ChargingProfileInput): v201.ChargingProfileType {
  const { chargingSchedule: schedule, transaction } = profile;
  if (transaction && transaction.ocppTransactionId === null) {
    throw new AppError('NOT_FOUND', `Transaction ${transaction.transactionId} has no id of the station's`);
  }
  const [first, ...rest] = schedule.chargingSchedulePeriod;
  if (!first)
    throw new AppError('VALIDATION_ERROR', 'A charging schedule needs a period', {
      fields: ['chargingSchedulePeriod'],
    });
  return {
    id: profile.chargingProfileId,
    stackLevel: profile.stackLevel,
    chargingProfilePurpose: purposeOf(profile.chargingProfilePurpose),
    chargingProfileKind: profile.chargingProfileKind,
    ...(profile.recurrencyKind && { recurrencyKind: profile.recurrencyKind }),
    ...(profile.validFrom !== undefined && { validFrom: profile.validFrom }),
    ...(profile.validTo !== undefined && { validTo: profile.validTo }),
    ...(transaction?.ocppTransactionId && { transactionId: transaction.ocppTransactionId }),
    chargingSchedule: [
      {
        id: profile.chargingProfileId,
        chargingRateUnit: schedule.chargingRateUnit,
        chargingSchedulePeriod: [first, ...rest],
        ...(schedule.startSchedule !== undefined && { startSchedule: schedule.startSchedule }),
        ...(schedule.duration !== undefined && { duration: schedule.duration }),
        ...(schedule.minChargingRate !== undefined && { minChargingRate: schedule.minChargingRate }),
      },
    ],
  };
}

/** ClearChargingProfile's criteria in OCPP 2.0.1 (K10): the id apart, the rest as criteria. */
export function clearRequestOf(criteria: ChargingProfileCriteria): v201.ClearChargingProfileRequest {
  const { chargingProfileId, connectorId, chargingProfilePurpose, stackLevel } = criteria;
  const rest = {
    ...(connectorId !== undefined && { evseId: connectorId }),
    ...(chargingProfilePurpose && { chargingProfilePurpose: purposeOf(chargingProfilePurpose) }),
    ...(stackLevel !== undefined && { stackLevel }),
  };
  return {
    ...(chargingProfileId !== undefined && { chargingProfileId }),
    ...(Object.keys(rest).length > 0 && { chargingProfileCriteria: rest }),
  };
}
