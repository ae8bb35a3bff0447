import type { v201 } from '@cimorings/ocpp';
import { chargingLimitsOf, type HeldProfile } from '../charging-limits.js';
import { afterAnswer, type V2CommandContext, type V2Register } from './types.js';

/**
 * Block K, smart charging: SetChargingProfile (K01), ClearChargingProfile (K10),
 * GetChargingProfiles answered with ReportChargingProfiles (K09), GetCompositeSchedule (K08).
 * Profiles are kept and reported, a TxProfile only while its transaction runs; the power each
 * EVSE's EV draws follows them, and the composite schedule is worked out from them as the 1.6
 * charge point does (`ChargingProfiles`).
 */
export function registerSmartCharging(on: V2Register, ctx: V2CommandContext): void {
  let held: HeldProfile[] = [];
  /** The profiles in force: a TxProfile whose transaction ended is dropped. */
  const current = (): HeldProfile[] => {
    held = held.filter(
      (h) =>
        h.transactionId === undefined ||
        ctx.bank.get(h.evseId)?.transaction?.transactionId === h.transactionId,
    );
    return held;
  };
  /** Brings every meter up to now under the limits in force so far, before they change. */
  const settle = (): void => {
    const now = ctx.time.now();
    for (const evse of ctx.bank.all()) evse.meter.read(now);
  };
  for (const evse of ctx.bank.all()) {
    evse.meter.limitBy((now) => {
      const startedAt = evse.transaction?.startedAt;
      const start = startedAt === undefined ? undefined : new Date(startedAt).toISOString();
      return chargingLimitsOf(current()).limitW(evse.id, now, evse.maxPowerW, start);
    });
  }
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
    settle();
    held = current().filter(
      (h) =>
        h.profile.id !== chargingProfile.id &&
        !(
          h.evseId === evseId &&
          h.profile.stackLevel === chargingProfile.stackLevel &&
          h.profile.chargingProfilePurpose === chargingProfile.chargingProfilePurpose
        ),
    );
    const running = ctx.bank.get(evseId)?.transaction?.transactionId;
    held.push({
      evseId,
      profile: chargingProfile,
      ...(chargingProfile.chargingProfilePurpose === 'TxProfile' && { transactionId: running }),
    });
    count();
    return { status: 'Accepted' };
  });
  on('ClearChargingProfile', ({ chargingProfileId, chargingProfileCriteria: c }) => {
    settle();
    const before = current().length;
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
    const found = current().filter(
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
    const maxW = evse ? evse.maxPowerW : ctx.bank.all().reduce((sum, e) => sum + e.maxPowerW, 0);
    const { chargingSchedulePeriod } = chargingLimitsOf(current()).composite(evseId, duration, unit, maxW);
    return {
      status: 'Accepted',
      schedule: {
        evseId,
        duration,
        scheduleStart: new Date(ctx.time.now()).toISOString(),
        chargingRateUnit: unit,
        chargingSchedulePeriod:
          chargingSchedulePeriod as v201.CompositeScheduleType['chargingSchedulePeriod'],
      },
    };
  });
}
