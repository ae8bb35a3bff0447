/** The time source of services, so that tests can hold time still or move it. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** ISO 8601 UTC text, the one spelling of time in storage and payloads. */
export function isoTime(date: Date): string {
  return date.toISOString();
}

/** The clock's present time as ISO 8601 UTC text, as services stamp what they write. */
export function isoNow(clock: Clock): string {
  return isoTime(clock.now());
}
