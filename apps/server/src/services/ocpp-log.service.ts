import type { Clock } from '../domain/clock.js';
import { isoNow, isoTime } from '../domain/clock.js';
import { KeyedRateLimit } from '../domain/keyed-rate-limit.js';
import type { OcppLogEntry, OcppLogRepository } from '../repositories/ocpp-log.repository.js';

export interface OcppLogSettings {
  /** Days a frame stays in the log; 0 keeps no log at all. */
  retentionDays: number;
  /** How often buffered frames are written, in milliseconds. */
  flushIntervalMs: number;
  /**
   * Characters of log (payloads and message ids) one station may add in a minute, also its
   * largest burst; frames past it are left out (see OcppLogService.record).
   */
  charsPerStationPerMinute: number;
  /** The same for a station whose registration is not accepted (unknown or pending). */
  charsPerUnacceptedStationPerMinute: number;
}

/**
 * The default of OcppLogSettings.charsPerStationPerMinute: 256 Ki characters. A charge point at
 * work (heartbeats, a few dozen samples a minute, its transactions) logs a few KiB a minute; a
 * pending station that streams BootNotifications with 60 KB message ids wrote 1.2 GB in eight
 * seconds before this budget. At most about 370 MB a day per station.
 */
export const LOG_CHARS_PER_STATION_PER_MINUTE = 256 * 1024;

/**
 * The default of OcppLogSettings.charsPerUnacceptedStationPerMinute: 8 Ki characters. Of an
 * unknown or pending charge point the log keeps only BootNotification exchanges, of a few hundred
 * characters, one per interval when it follows OCPP 1.6 §4.2; anyone may be one (200 at a time
 * under the default policy), so their budget is small: about 12 MB a day each.
 */
export const LOG_CHARS_PER_UNACCEPTED_STATION_PER_MINUTE = 8 * 1024;

/**
 * Characters of a message id the log keeps: OCPP-J 1.6 §4.1.3 allows 36, and a longer one from a
 * station that ignores it is shown by its head.
 */
export const MAX_LOGGED_MESSAGE_ID_CHARS = 64;

/**
 * Characters of one payload the log keeps (16 KiB). Frames may be up to OCPP_MAX_FRAME_BYTES,
 * but the log is for reading what happened, and a 30 MB DataTransfer stored whole would make
 * every page of it heavy (issue 10, item 3); a longer payload keeps its head.
 */
export const MAX_LOGGED_PAYLOAD_CHARS = 16 * 1024;

/**
 * The payload as kept in the log: itself when short enough, else a JSON object saying it was
 * truncated, with its length and its first characters, so that every row stays valid JSON.
 */
export function capPayload(payload: string): string {
  if (payload.length <= MAX_LOGGED_PAYLOAD_CHARS) return payload;
  let head = payload.slice(0, MAX_LOGGED_PAYLOAD_CHARS - 100);
  let capped = JSON.stringify({ truncated: true, length: payload.length, head });
  // Escaping (quotes, control characters) can make the head up to six times longer.
  while (capped.length > MAX_LOGGED_PAYLOAD_CHARS) {
    head = head.slice(0, Math.floor(head.length / 2));
    capped = JSON.stringify({ truncated: true, length: payload.length, head });
  }
  return capped;
}

/** Buffered frames beyond which a write starts at once rather than at the next tick. */
const FLUSH_AT = 500;
const PRUNE_EVERY_MS = 60 * 60 * 1000;
/** Log entries deleted per statement when pruning, and the pause between two statements. */
const PRUNE_BATCH = 2000;
const PRUNE_PAUSE_MS = 10;

/**
 * The OCPP message log: every frame in and out, written in batches off the message path so that
 * logging never delays an answer to a charge point, and pruned to the retention window.
 */
export class OcppLogService {
  private buffer: OcppLogEntry[] = [];
  private flushTimer: NodeJS.Timeout | undefined;
  private pruneTimer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();
  private readonly budget: KeyedRateLimit;
  private readonly unacceptedBudget: KeyedRateLimit;
  /** Stations whose last frame was left out of the log, so that the gap is marked once. */
  private readonly overBudget = new Set<string>();

  constructor(
    private readonly log: OcppLogRepository,
    private readonly clock: Clock,
    private readonly settings: OcppLogSettings,
    private readonly onError: (error: unknown) => void,
  ) {
    const now = () => clock.now().getTime();
    this.budget = new KeyedRateLimit(settings.charsPerStationPerMinute, now);
    this.unacceptedBudget = new KeyedRateLimit(settings.charsPerUnacceptedStationPerMinute, now);
  }

  get enabled(): boolean {
    return this.settings.retentionDays > 0;
  }

  /**
   * Buffers one frame for the log. A station that sends more than its budget of log a minute
   * (charsPerStationPerMinute, or charsPerUnacceptedStationPerMinute while `accepted` is false)
   * has its frames left out until the budget refills, so that no charge point, let alone an
   * unknown one booting in a loop, can fill the disk through the log; one marker row (message
   * type 0) says where frames are missing.
   */
  record(entry: Omit<OcppLogEntry, 'timestamp'>, accepted: boolean): void {
    if (!this.enabled) return;
    const payload = capPayload(entry.payload);
    const messageId = entry.messageId.slice(0, MAX_LOGGED_MESSAGE_ID_CHARS);
    const { chargePointId } = entry;
    const budget = accepted ? this.budget : this.unacceptedBudget;
    if (!budget.take(chargePointId, payload.length + messageId.length)) {
      if (this.overBudget.has(chargePointId)) return;
      // Ids come and go (unknown charge points); a forgotten one is merely marked again.
      if (this.overBudget.size >= 10_000) this.overBudget.clear();
      this.overBudget.add(chargePointId);
      this.push({
        chargePointId,
        direction: entry.direction,
        messageType: 0,
        messageId: '',
        action: null,
        payload: JSON.stringify({
          omitted: 'more characters of log a minute than the station may add; frames left out',
        }),
      });
      return;
    }
    this.overBudget.delete(chargePointId);
    this.push({ ...entry, messageId, payload });
  }

  private push(entry: Omit<OcppLogEntry, 'timestamp'>): void {
    this.buffer.push({ ...entry, timestamp: isoNow(this.clock) });
    if (this.buffer.length >= FLUSH_AT) void this.flush();
    else this.flushTimer ??= setTimeout(() => void this.flush(), this.settings.flushIntervalMs);
  }

  /** Writes what is buffered; resolves once it is stored. */
  flush(): Promise<void> {
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    const batch = this.buffer;
    this.buffer = [];
    this.writing = this.writing.then(() => this.log.append(batch).catch(this.onError));
    return this.writing;
  }

  startPruning(): void {
    if (!this.enabled) return;
    const prune = () => void this.prune().catch(this.onError);
    prune();
    this.pruneTimer = setInterval(prune, PRUNE_EVERY_MS);
    this.pruneTimer.unref();
  }

  /**
   * Deletes the entries past the retention, in batches of PRUNE_BATCH with a pause between, so
   * that a long log is pruned without holding the database from the frames and samples being
   * written meanwhile; answers how many were deleted.
   */
  async prune(): Promise<number> {
    const before = isoTime(new Date(this.clock.now().getTime() - this.settings.retentionDays * 86_400_000));
    let pruned = 0;
    for (;;) {
      const deleted = await this.log.pruneOldest(before, PRUNE_BATCH);
      pruned += deleted;
      if (deleted === 0) return pruned;
      await new Promise((resolve) => setTimeout(resolve, PRUNE_PAUSE_MS));
    }
  }

  async close(): Promise<void> {
    clearInterval(this.pruneTimer);
    await this.flush();
  }
}
