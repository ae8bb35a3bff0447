/** A valid body of the charging profiles route (OCPP 1.6 SetChargingProfile.req), changed by `profile`. */
export function profileBody(connectorId: number, profile: Record<string, unknown> = {}) {
  return {
    connectorId,
    csChargingProfiles: {
      chargingProfileId: 7,
      stackLevel: 1,
      chargingProfilePurpose: 'TxDefaultProfile',
      chargingProfileKind: 'Absolute',
      chargingSchedule: {
        startSchedule: '2026-01-01T00:00:00.000Z',
        chargingRateUnit: 'A',
        chargingSchedulePeriod: [
          { startPeriod: 0, limit: 16 },
          { startPeriod: 3600, limit: 10.5 },
        ],
      },
      ...profile,
    },
  };
}
