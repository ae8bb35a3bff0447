import type { ChargingProfile } from '@cimorings/contracts/rest';

export type { ChargingProfile } from '@cimorings/contracts/rest';

/** A profile a station accepted, as the server keeps it to send again at each boot. */
export interface KeptChargingProfile {
  connectorId: number;
  profile: ChargingProfile;
}

/** What a station answers to a profile (OCPP 1.6 ChargingProfileStatus, §7.11). */
export type ProfileStatus = 'Accepted' | 'Rejected' | 'NotSupported';

const PROFILE_STATUSES: readonly string[] = [
  'Accepted',
  'Rejected',
  'NotSupported',
] satisfies ProfileStatus[];

/**
 * A station's answer to SetChargingProfile: 1.6 answers Accepted, Rejected or NotSupported,
 * 2.x Accepted or Rejected; anything else counts as Rejected.
 */
export function profileStatusOf(answer: { status: string }): ProfileStatus {
  return PROFILE_STATUSES.includes(answer.status) ? (answer.status as ProfileStatus) : 'Rejected';
}

export type ChargingProfilePurpose = ChargingProfile['chargingProfilePurpose'];
export type ChargingRateUnit = ChargingProfile['chargingSchedule']['chargingRateUnit'];

/** A transaction as a station knows it. */
export interface StationTransactionRef {
  /** The integer id every API uses (the OCPP 1.6 transactionId). */
  transactionId: number;
  /** A 2.x station's own id of the transaction; null for 1.6, whose id is ours. */
  ocppTransactionId: string | null;
}

/**
 * A charging profile as services send it, whatever the station's protocol: the shape the server
 * keeps (OCPP 1.6 §7.7 ChargingProfile, CONTRACT section 9), with a TxProfile's transaction by
 * both its ids. Each protocol's command adapter turns it into its own message (a 2.x station
 * gets a ChargingProfileType whose only schedule is this one).
 */
export interface ChargingProfileInput extends Omit<ChargingProfile, 'transactionId'> {
  transaction?: StationTransactionRef;
}

/** What GetCompositeSchedule asks for: a connector (0: the station), a span in s, a unit. */
export interface CompositeScheduleQuery {
  connectorId: number;
  /** Seconds. */
  duration: number;
  chargingRateUnit?: ChargingRateUnit;
}

/**
 * The chargingProfileId of the load manager's TxProfile on a connector: one fixed id per
 * connector, so that each new limit replaces the previous one on the station (OCPP 1.6
 * §3.13.2) and the operator's own profile ids, small numbers in practice, are left alone.
 */
export const LOAD_MANAGER_PROFILE_ID_BASE = 2_000_000_000;

/** The load manager's TxProfiles stack above a TxDefaultProfile by being TxProfiles (§3.13.1). */
export const LOAD_MANAGER_STACK_LEVEL = 0;

/**
 * The load manager's limit of one session: a Relative TxProfile of its running transaction
 * (OCPP 1.6 §5.16.3; 2.0.1 K01.FR.03 names the station's own transactionId), in whole watts
 * (the schema wants multiples of 0.1); 0 W pauses the session.
 */
export function sessionLimitProfile(
  session: StationTransactionRef & { connectorId: number },
  limitW: number,
): ChargingProfileInput {
  return {
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
}

/**
 * A kept profile as sent to a station: kept profiles are ChargePointMaxProfile and
 * TxDefaultProfile, of no transaction of their own.
 */
export function keptProfileInput(kept: KeptChargingProfile): ChargingProfileInput {
  const { transactionId: _none, ...profile } = kept.profile;
  return profile;
}

const RECURRENCE_SECONDS = { Daily: 86_400, Weekly: 604_800 } as const;

const isTenth = (value: number) => Math.abs(value * 10 - Math.round(value * 10)) < 1e-6;

/**
 * What breaks OCPP 1.6's rules in a profile set with SetChargingProfile on `connectorId`
 * (empty when nothing does), beyond its JSON schema. Profiles kept as data are
 * ChargePointMaxProfile and TxDefaultProfile; TxProfiles are the load manager's. The rules:
 * a ChargePointMaxProfile only on connector 0 (§3.13.1); `transactionId` only in a TxProfile
 * (§7.7); `recurrencyKind` with, and only with, a Recurring profile, which also needs
 * `startSchedule` and a duration within its recurrence; no `startSchedule` in a Relative profile
 * (its periods count from the start of each session, §7.7 ChargingProfileKindType);
 * `validFrom` before `validTo`, and `validTo` not yet past; schedule periods starting at 0 and in
 * strictly ascending order, inside the schedule's `duration` (§7.8, §7.9); limits and the
 * minimum charging rate multiples of 0.1 (the schema's multipleOf).
 */
export function profileProblems(connectorId: number, profile: ChargingProfile, now: Date): string[] {
  const problems: string[] = [];
  const problem = (message: string) => problems.push(message);
  const { chargingSchedule: schedule } = profile;
  if (profile.chargingProfilePurpose === 'TxProfile') {
    problem('TxProfile profiles belong to the load manager and the commands endpoint');
  }
  if (profile.chargingProfilePurpose === 'ChargePointMaxProfile' && connectorId !== 0) {
    problem('a ChargePointMaxProfile is set on connectorId 0 only');
  }
  if (profile.transactionId !== undefined && profile.chargingProfilePurpose !== 'TxProfile') {
    problem('transactionId belongs to a TxProfile only');
  }
  if ((profile.chargingProfileKind === 'Recurring') !== (profile.recurrencyKind !== undefined)) {
    problem('recurrencyKind goes with, and only with, chargingProfileKind Recurring');
  }
  if (profile.chargingProfileKind === 'Recurring') {
    if (schedule.startSchedule === undefined)
      problem('a Recurring profile needs chargingSchedule.startSchedule');
    const period = RECURRENCE_SECONDS[profile.recurrencyKind ?? 'Daily'];
    if (schedule.duration !== undefined && schedule.duration > period) {
      problem(`a ${profile.recurrencyKind ?? 'Daily'} profile lasts at most ${period} s`);
    }
  }
  if (profile.chargingProfileKind === 'Relative' && schedule.startSchedule !== undefined) {
    problem('a Relative profile has no startSchedule');
  }
  const validFrom = profile.validFrom === undefined ? undefined : Date.parse(profile.validFrom);
  const validTo = profile.validTo === undefined ? undefined : Date.parse(profile.validTo);
  if (validFrom !== undefined && validTo !== undefined && !(validFrom < validTo)) {
    problem('validFrom is not before validTo');
  }
  if (validTo !== undefined && validTo <= now.getTime()) problem('validTo is past');
  const periods = schedule.chargingSchedulePeriod;
  if (periods[0]?.startPeriod !== 0) problem('the first chargingSchedulePeriod starts at 0');
  periods.forEach((period, i) => {
    const before = periods[i - 1];
    if (before && period.startPeriod <= before.startPeriod) {
      problem(`chargingSchedulePeriod[${i}] does not start after the one before it`);
    }
    if (schedule.duration !== undefined && i > 0 && period.startPeriod >= schedule.duration) {
      problem(`chargingSchedulePeriod[${i}] starts after the schedule's duration`);
    }
    if (!isTenth(period.limit)) problem(`chargingSchedulePeriod[${i}].limit is not a multiple of 0.1`);
  });
  if (schedule.minChargingRate !== undefined && !isTenth(schedule.minChargingRate)) {
    problem('minChargingRate is not a multiple of 0.1');
  }
  return problems;
}

/**
 * Whether `kept` is replaced by `incoming` on the station: the same chargingProfileId, or the
 * same stackLevel and purpose on the same connector (OCPP 1.6 §3.13.2, stacking).
 */
export function replacesProfile(incoming: KeptChargingProfile, kept: KeptChargingProfile): boolean {
  return (
    incoming.profile.chargingProfileId === kept.profile.chargingProfileId ||
    (incoming.connectorId === kept.connectorId &&
      incoming.profile.stackLevel === kept.profile.stackLevel &&
      incoming.profile.chargingProfilePurpose === kept.profile.chargingProfilePurpose)
  );
}
