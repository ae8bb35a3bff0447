import { isoTime } from './clock.js';

/**
 * The earliest charge point time believed: OCPP 1.6 was published in 2015, so an event of a 1.6
 * charge point dated before it comes from a clock that was never set. Clocks without a battery
 * or a time sync wake up at an epoch: 1970 (Unix), 1980 (DOS, GPS) or 2000 (many RTC chips).
 * A later date is believed however old: a station sends its queued transaction messages after
 * days offline, with the times they happened.
 */
export const EARLIEST_BELIEVED_TIME = '2015-01-01T00:00:00.000Z';

/**
 * How far ahead of the server's clock a charge point's time may be, in ms: 15 minutes. Nothing
 * can have happened after it was received; a little is drift of an unsynchronized clock and the
 * message's time in transit, more is a wrong clock (or a year-9999 time).
 */
export const MAX_AHEAD_MS = 15 * 60_000;

/** What the server makes of a timestamp a charge point sent. */
export interface ReadTime {
  /** What is stored and published: the charge point's time if believed, else the receipt time. */
  time: string;
  /**
   * The charge point's clock minus the server's, in whole seconds, when its time was not
   * believed; null when it was (or it sent none, or none the server can read).
   */
  skewSeconds: number | null;
  /** The time as sent, in ISO form when readable: what tells a retried message from a new one. */
  reported: string | null;
}

/**
 * Reads a charge point's timestamp (StatusNotification, StartTransaction, StopTransaction and
 * the sampled values' times): believed when it lies between EARLIEST_BELIEVED_TIME and
 * MAX_AHEAD_MS after `receivedAt`, otherwise replaced by `receivedAt` (CONTRACT section 4 keeps
 * the charge point's own times, but not those it cannot have meant). A time the schema lets
 * through but JavaScript cannot read (a leap second, `23:59:60`) is replaced too.
 */
export function readChargePointTime(sent: string | undefined, receivedAt: Date): ReadTime {
  const received = isoTime(receivedAt);
  if (sent === undefined) return { time: received, skewSeconds: null, reported: null };
  const at = Date.parse(sent);
  if (Number.isNaN(at)) return { time: received, skewSeconds: null, reported: sent };
  const reported = isoTime(new Date(at));
  if (at >= Date.parse(EARLIEST_BELIEVED_TIME) && at <= receivedAt.getTime() + MAX_AHEAD_MS) {
    return { time: reported, skewSeconds: null, reported };
  }
  return { time: received, skewSeconds: Math.round((at - receivedAt.getTime()) / 1000), reported };
}
