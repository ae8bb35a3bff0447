import { STATION_STATUSES, type StationStatus } from './station-status.js';

/** The periods energy is totalled over, bounded by UTC midnight and the first of the month, UTC. */
export interface EnergyPeriods {
  /** 00:00 UTC today, and 00:00 UTC tomorrow. */
  today: { from: string; to: string };
  /** 00:00 UTC on the first of this month, and on the first of the next. */
  month: { from: string; to: string };
}

export function energyPeriods(now: Date): EnergyPeriods {
  const year = now.getUTCFullYear();
  const month = now.getUTCMonth();
  const day = now.getUTCDate();
  const at = (y: number, m: number, d: number) => new Date(Date.UTC(y, m, d)).toISOString();
  return {
    today: { from: at(year, month, day), to: at(year, month, day + 1) },
    month: { from: at(year, month, 1), to: at(year, month + 1, 1) },
  };
}

/** Stations counted by status (every status present, zero when none). */
export function countByStatus(
  rows: readonly { status: string; count: number }[],
): Record<StationStatus, number> {
  const counts = Object.fromEntries(STATION_STATUSES.map((status) => [status, 0])) as Record<
    StationStatus,
    number
  >;
  for (const row of rows) {
    if ((STATION_STATUSES as readonly string[]).includes(row.status)) {
      counts[row.status as StationStatus] += row.count;
    }
  }
  return counts;
}
