import type { v201 } from '@cimorings/ocpp';
import { afterAnswer, type V2CommandContext, type V2Register } from './types.js';

type Profile = v201.ChargingProfileType;

/** A charging profile the station holds, with the EVSE it was set for (0 = the whole station). */
interface HeldProfile {
  evseId: number;
  profile: Profile;
}

/**
 * Block K, smart charging: SetChargingProfile (K01), ClearChargingProfile (K10),
 * GetChargingProfiles answered with ReportChargingProfiles (K09), GetCompositeSchedule (K08).
 * Profiles are kept and reported; the composite schedule is the highest-stack-level profile's
 * current limit, or the EVSE's maximum power when no profile applies.
 */
export function registerSmartCharging(on: V2Register, ctx: V2CommandContext): void {
  let held: HeldProfile[] = [];
  const enabled = (): boolean => ctx.model.flag('SmartChargingCtrlr', 'Enabled');
  const count = (): void => ctx.model.update('SmartChargingCtrlr', 'Entries', String(held.length));
  on('SetChargingProfile', ({ evseId, chargingProfile }) => {
    if (!enabled()) return { status: 'Rejected' };
    if (evseId !== 0 && !ctx.bank.get(evseId))
      return { status: 'Rejected', statusInfo: { reasonCode: 'UnknownEVSE' } };
    if (chargingProfile.chargingProfilePurpose === 'TxProfile') {
      // A TxProfile needs the transaction it is for, running on that EVSE (K01.FR.03, FR.09).
      const running = ctx.bank.get(evseId)?.transaction?.transactionId;
      if (
        !running ||
        (chargingProfile.transactionId !== undefined && chargingProfile.transactionId !== running)
      )
        return { status: 'Rejected', statusInfo: { reasonCode: 'TxNotFound' } };
    }
    if (chargingProfile.chargingProfilePurpose === 'ChargingStationMaxProfile' && evseId !== 0)
      return { status: 'Rejected' };
    held = held.filter(
      (h) =>
        h.profile.id !== chargingProfile.id &&
        !(
          h.evseId === evseId &&
          h.profile.stackLevel === chargingProfile.stackLevel &&
          h.profile.chargingProfilePurpose === chargingProfile.chargingProfilePurpose
        ),
    );
    held.push({ evseId, profile: chargingProfile });
    count();
    return { status: 'Accepted' };
  });
  on('ClearChargingProfile', ({ chargingProfileId, chargingProfileCriteria: c }) => {
    const before = held.length;
    held = held.filter(
      ({ evseId, profile }) =>
        !(
          (chargingProfileId === undefined || profile.id === chargingProfileId) &&
          (c?.evseId === undefined || evseId === c.evseId) &&
          (c?.chargingProfilePurpose === undefined ||
            profile.chargingProfilePurpose === c.chargingProfilePurpose) &&
          (c?.stackLevel === undefined || profile.stackLevel === c.stackLevel)
        ),
    );
    count();
    return { status: held.length < before ? 'Accepted' : 'Unknown' };
  });
  on('GetChargingProfiles', ({ requestId, evseId, chargingProfile: c }) => {
    const found = held.filter(
      (h) =>
        (evseId === undefined || h.evseId === evseId) &&
        (c.chargingProfilePurpose === undefined ||
          h.profile.chargingProfilePurpose === c.chargingProfilePurpose) &&
        (c.stackLevel === undefined || h.profile.stackLevel === c.stackLevel) &&
        (c.chargingProfileId === undefined || c.chargingProfileId.includes(h.profile.id)) &&
        (c.chargingLimitSource === undefined || c.chargingLimitSource.includes('CSO')),
    );
    if (found.length === 0) return { status: 'NoProfiles' };
    const evses = [...new Set(found.map((h) => h.evseId))];
    afterAnswer(ctx.log, async () => {
      for (const [index, id] of evses.entries()) {
        const [first, ...rest] = found.filter((h) => h.evseId === id).map((h) => h.profile);
        if (!first) continue;
        await ctx.link.call('ReportChargingProfiles', {
          requestId,
          chargingLimitSource: 'CSO',
          evseId: id,
          chargingProfile: [first, ...rest],
          ...(index < evses.length - 1 ? { tbc: true } : {}),
        });
      }
    });
    return { status: 'Accepted' };
  });
  on('GetCompositeSchedule', ({ duration, chargingRateUnit, evseId }) => {
    const evse = ctx.bank.get(evseId);
    if (evseId !== 0 && !evse) return { status: 'Rejected', statusInfo: { reasonCode: 'UnknownEVSE' } };
    const unit = chargingRateUnit ?? 'W';
    const applicable = held
      .filter((h) => h.evseId === evseId || h.evseId === 0)
      .sort((a, b) => b.profile.stackLevel - a.profile.stackLevel);
    const schedule = applicable
      .map((h) => h.profile.chargingSchedule[0])
      .find((s) => s.chargingRateUnit === unit);
    const maxW = evse ? evse.maxPowerW : ctx.bank.all().reduce((sum, e) => sum + e.maxPowerW, 0);
    const limit =
      schedule?.chargingSchedulePeriod[0].limit ?? (unit === 'W' ? maxW : Math.round(maxW / 230 / 3));
    return {
      status: 'Accepted',
      schedule: {
        evseId,
        duration,
        scheduleStart: new Date().toISOString(),
        chargingRateUnit: unit,
        chargingSchedulePeriod: [{ startPeriod: 0, limit }],
      },
    };
  });
}
