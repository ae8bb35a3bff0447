import { electricalKw } from './load-allocation.js';

/** A daily window in the site's time zone inside which `maxPowerKw` replaces the base limit. */
export interface LimitWindow {
  /** HH:MM, 00:00 to 23:59. */
  from: string;
  /** HH:MM; before `from`, the window runs over midnight. */
  to: string;
  maxPowerKw: number;
}

/** A site's grid connection (CONTRACT section 9). */
export interface SiteLimit {
  /** IANA time zone of the schedule. */
  timeZone: string;
  maxPowerKw: number | null;
  maxCurrentA: number | null;
  /** 1 or 3. */
  phases: number;
  /** Volts per phase. */
  voltage: number;
  /** The least current an unpaused session gets, A per phase. */
  minCurrentA: number;
  limitSchedule: LimitWindow[] | null;
}

const HH_MM = /^([01]\d|2[0-3]):[0-5]\d$/;
const MINUTES_PER_DAY = 24 * 60;

/** Minutes after midnight of an HH:MM time; undefined when it is not one. */
export function minutesOf(time: string): number | undefined {
  if (!HH_MM.test(time)) return undefined;
  return Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));
}

/** A window's minutes of the day as [start, end) ranges, split at midnight. */
function ranges(window: LimitWindow): [number, number][] {
  const from = minutesOf(window.from) ?? 0;
  const to = minutesOf(window.to) ?? 0;
  if (from < to) return [[from, to]];
  // `from` after `to` runs over midnight; equal times are the whole day.
  return [
    [from, MINUTES_PER_DAY],
    [0, to],
  ].filter(([start, end]) => start! < end!) as [number, number][];
}

/**
 * What is wrong with a schedule, as messages naming the window (empty when it is fine): times
 * that are not HH:MM, a negative limit, windows that overlap.
 */
export function scheduleProblems(schedule: readonly LimitWindow[]): string[] {
  const problems: string[] = [];
  schedule.forEach((window, i) => {
    for (const key of ['from', 'to'] as const) {
      if (minutesOf(window[key]) === undefined) problems.push(`limitSchedule[${i}].${key} is not HH:MM`);
    }
    if (!(window.maxPowerKw >= 0)) problems.push(`limitSchedule[${i}].maxPowerKw is negative`);
  });
  if (problems.length > 0) return problems;
  for (let i = 0; i < schedule.length; i++) {
    for (let j = i + 1; j < schedule.length; j++) {
      const overlap = ranges(schedule[i]!).some(([a, b]) =>
        ranges(schedule[j]!).some(([c, d]) => a < d && c < b),
      );
      if (overlap) problems.push(`limitSchedule[${i}] and limitSchedule[${j}] overlap`);
    }
  }
  return problems;
}

/** Minutes after midnight of `instant` in `timeZone`. */
export function minuteOfDay(instant: Date, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(instant);
  const hour = Number(parts.find((p) => p.type === 'hour')?.value ?? 0);
  const minute = Number(parts.find((p) => p.type === 'minute')?.value ?? 0);
  return hour * 60 + minute;
}

/** Whether `timeZone` is an IANA time zone this runtime knows. */
export function isTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone });
    return true;
  } catch {
    return false;
  }
}

/**
 * The limit in force at `instant`, kW; null without one. Inside a window its `maxPowerKw`
 * replaces the base power limit; with a current limit too, the tighter applies.
 */
export function limitInForce(site: SiteLimit, instant: Date): number | null {
  const minute = minuteOfDay(instant, site.timeZone);
  const window = (site.limitSchedule ?? []).find((w) =>
    ranges(w).some(([start, end]) => minute >= start && minute < end),
  );
  const power = window ? window.maxPowerKw : site.maxPowerKw;
  const current = site.maxCurrentA === null ? null : electricalKw(site.maxCurrentA, site);
  const limits = [power, current].filter((kw): kw is number => kw !== null);
  return limits.length === 0 ? null : Math.min(...limits);
}

/**
 * The tighter of the limit in force at `now` and the one in force `leadMs` later, kW (null:
 * none), so that a lower window can be shared before it starts.
 */
export function limitAhead(site: SiteLimit, now: Date, leadMs: number): number | null {
  const limits = [limitInForce(site, now), limitInForce(site, new Date(now.getTime() + leadMs))];
  const set = limits.filter((kw): kw is number => kw !== null);
  return set.length === 0 ? null : Math.min(...set);
}
