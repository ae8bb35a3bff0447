import type { v16 } from '@cimorings/ocpp';
import type { ConnectorBank } from '../connectors.js';
import type { Register } from './types.js';
import type { SimulatorTime } from '../time.js';

/** Profiles one charge point keeps at most (its MaxChargingProfilesInstalled). */
const MAX_PROFILES = 10;
/** Used to turn a power limit into a current limit and back: 230 V per phase. */
const VOLTS = 230;
const DEFAULT_PHASES = 3;

type ClearFilter = v16.Request<'ClearChargingProfile'>;

/**
 * Charging profiles installed by SetChargingProfile, per connector (0 = the whole charge point).
 * They are stored and reported back, and the simulated power follows them (`limitW`).
 */
export class ChargingProfiles {
  private byConnector = new Map<number, v16.ChargingProfile[]>();

  /** `maxProfiles`: how many it holds at most (its MaxChargingProfilesInstalled). */
  constructor(private readonly maxProfiles = MAX_PROFILES) {}

  /**
   * Installs a profile, replacing one with the same id, or the same stack level and purpose on
   * that connector. False when the charge point already holds its maximum of profiles.
   */
  install(connectorId: number, profile: v16.ChargingProfile): boolean {
    const replaces = (p: v16.ChargingProfile, connector: number): boolean =>
      p.chargingProfileId === profile.chargingProfileId ||
      (connector === connectorId &&
        p.stackLevel === profile.stackLevel &&
        p.chargingProfilePurpose === profile.chargingProfilePurpose);
    const remaining = new Map(
      [...this.byConnector].map(([connector, list]) => [
        connector,
        list.filter((p) => !replaces(p, connector)),
      ]),
    );
    let total = 0;
    for (const list of remaining.values()) total += list.length;
    if (total >= this.maxProfiles) return false;
    remaining.set(connectorId, [...(remaining.get(connectorId) ?? []), profile]);
    this.byConnector = remaining;
    return true;
  }

  /** Removes the profiles matching every given criterion; true when any was removed. */
  clear({ id, connectorId, chargingProfilePurpose, stackLevel }: ClearFilter): boolean {
    let removed = false;
    for (const [connector, list] of this.byConnector) {
      if (connectorId !== undefined && connector !== connectorId) continue;
      const kept = list.filter(
        (p) =>
          !(
            (id === undefined || p.chargingProfileId === id) &&
            (chargingProfilePurpose === undefined || p.chargingProfilePurpose === chargingProfilePurpose) &&
            (stackLevel === undefined || p.stackLevel === stackLevel)
          ),
      );
      if (kept.length !== list.length) removed = true;
      this.byConnector.set(connector, kept);
    }
    return removed;
  }

  /** Drops a connector's TxProfiles once its transaction ended: they lived only as long as it did. */
  dropTxProfiles(connectorId: number): void {
    this.clear({ connectorId, chargingProfilePurpose: 'TxProfile' });
  }

  /**
   * The schedule a connector would follow from now: the TxProfile with the highest stack level,
   * else a TxDefaultProfile of the connector or of the charge point, else the full `maxPowerW`.
   */
  composite(
    connectorId: number,
    duration: number,
    unit: v16.ChargingRateUnit,
    maxPowerW: number,
  ): v16.ChargingSchedule {
    const own = this.byConnector.get(connectorId) ?? [];
    const station = connectorId === 0 ? [] : (this.byConnector.get(0) ?? []);
    const governing =
      highest(own, 'TxProfile') ??
      highest(own, 'TxDefaultProfile') ??
      highest(station, 'TxDefaultProfile') ??
      highest(connectorId === 0 ? own : station, 'ChargePointMaxProfile');
    if (!governing) {
      return {
        duration,
        chargingRateUnit: unit,
        chargingSchedulePeriod: [{ startPeriod: 0, limit: convert(maxPowerW, 'W', unit) }],
      };
    }
    const { chargingSchedule } = governing;
    return {
      duration,
      chargingRateUnit: unit,
      chargingSchedulePeriod: chargingSchedule.chargingSchedulePeriod.map((period) => ({
        ...period,
        limit: convert(period.limit, chargingSchedule.chargingRateUnit, unit, period.numberPhases),
      })),
    };
  }

  /**
   * The limit in force on a connector at `now` (epoch ms), W: the period in force of the
   * governing profile (as in `composite`), never above a ChargePointMaxProfile (applied to each
   * connector, a simplification), `maxPowerW` without either. `sessionStart` (ISO) is where a
   * Relative profile's periods count from.
   */
  limitW(connectorId: number, now: number, maxPowerW: number, sessionStart?: string): number {
    const own = this.byConnector.get(connectorId) ?? [];
    const station = this.byConnector.get(0) ?? [];
    const governing =
      highest(own, 'TxProfile') ?? highest(own, 'TxDefaultProfile') ?? highest(station, 'TxDefaultProfile');
    let limit = maxPowerW;
    for (const profile of [governing, highest(station, 'ChargePointMaxProfile')]) {
      const inForce = profile && periodLimitW(profile, now, sessionStart);
      if (inForce !== undefined) limit = Math.min(limit, inForce);
    }
    return limit;
  }
}

const RECURRENCE_MS = { Daily: 86_400_000, Weekly: 604_800_000 } as const;

/** The limit of a profile's period in force at `now`, W; undefined outside its schedule. */
function periodLimitW(profile: v16.ChargingProfile, now: number, sessionStart?: string): number | undefined {
  const schedule = profile.chargingSchedule;
  const startOf = (text: string | undefined) => (text === undefined ? undefined : Date.parse(text));
  let start =
    profile.chargingProfileKind === 'Relative'
      ? (startOf(sessionStart) ?? now)
      : (startOf(schedule.startSchedule) ?? startOf(profile.validFrom) ?? now);
  if (profile.chargingProfileKind === 'Recurring' && now >= start) {
    const period = RECURRENCE_MS[profile.recurrencyKind ?? 'Daily'];
    start += Math.floor((now - start) / period) * period;
  }
  const offsetS = (now - start) / 1000;
  if (offsetS < 0 || (schedule.duration !== undefined && offsetS >= schedule.duration)) return undefined;
  const period = schedule.chargingSchedulePeriod.filter((p) => p.startPeriod <= offsetS).at(-1);
  return period && convert(period.limit, schedule.chargingRateUnit, 'W', period.numberPhases);
}

function highest(
  profiles: readonly v16.ChargingProfile[],
  purpose: v16.ChargingProfile['chargingProfilePurpose'],
) {
  return profiles
    .filter((p) => p.chargingProfilePurpose === purpose)
    .reduce<v16.ChargingProfile | undefined>(
      (best, p) => (!best || p.stackLevel > best.stackLevel ? p : best),
      undefined,
    );
}

/** Converts a limit between W and A; the schema wants multiples of 0.1. */
function convert(
  limit: number,
  from: v16.ChargingRateUnit,
  to: v16.ChargingRateUnit,
  phases = DEFAULT_PHASES,
): number {
  let value = limit;
  if (from === 'W' && to === 'A') value = limit / (VOLTS * phases);
  if (from === 'A' && to === 'W') value = limit * VOLTS * phases;
  return Math.round(value * 10) / 10;
}

/** Brings every meter up to now under the limits in force so far, before they change. */
function settleMeters(bank: ConnectorBank, now: number): void {
  for (const connector of bank.all()) connector.meter.read(now);
}

/** Handlers of the Smart Charging profile (OCPP 1.6 sections 5.5, 5.7 and 5.16). */
export function registerSmartChargingCommands(
  register: Register,
  bank: ConnectorBank,
  profiles: ChargingProfiles,
  time: SimulatorTime,
): void {
  register('SetChargingProfile', ({ connectorId, csChargingProfiles: profile }) => {
    if (!bank.exists(connectorId)) return { status: 'Rejected' };
    const purpose = profile.chargingProfilePurpose;
    if (purpose === 'ChargePointMaxProfile' && connectorId !== 0) return { status: 'Rejected' };
    if (purpose === 'TxProfile') {
      // Section 5.16: a TxProfile needs a running transaction on that connector.
      const transaction = bank.get(connectorId)?.transaction;
      if (!transaction) return { status: 'Rejected' };
      if (profile.transactionId !== undefined && profile.transactionId !== transaction.transactionId) {
        return { status: 'Rejected' };
      }
    }
    settleMeters(bank, time.now());
    return { status: profiles.install(connectorId, profile) ? 'Accepted' : 'Rejected' };
  });

  register('ClearChargingProfile', (filter) => {
    settleMeters(bank, time.now());
    return { status: profiles.clear(filter) ? 'Accepted' : 'Unknown' };
  });

  register('GetCompositeSchedule', ({ connectorId, duration, chargingRateUnit = 'W' }) => {
    if (!bank.exists(connectorId)) return { status: 'Rejected' };
    const maxPowerW =
      connectorId === 0
        ? bank.all().reduce((sum, c) => sum + c.maxPowerW, 0)
        : (bank.get(connectorId)?.maxPowerW ?? 0);
    return {
      status: 'Accepted',
      connectorId,
      scheduleStart: new Date(time.now()).toISOString(),
      chargingSchedule: profiles.composite(connectorId, duration, chargingRateUnit, maxPowerW),
    };
  });
}
