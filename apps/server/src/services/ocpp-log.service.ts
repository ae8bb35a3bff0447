import type { Clock } from '../domain/clock.js';
import { isoTime } from '../domain/clock.js';
import type { OcppLogEntry, OcppLogRepository } from '../repositories/ocpp-log.repository.js';

export interface OcppLogSettings {
  /** Days a frame stays in the log; 0 keeps no log at all. */
  retentionDays: number;
  /** How often buffered frames are written, in milliseconds. */
  flushIntervalMs: number;
}

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

/**
 * The OCPP message log: every frame in and out, written in batches off the message path so that
 * logging never delays an answer to a charge point, and pruned to the retention window.
 */
export class OcppLogService {
  private buffer: OcppLogEntry[] = [];
  private flushTimer: NodeJS.Timeout | undefined;
  private pruneTimer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly log: OcppLogRepository,
    private readonly clock: Clock,
    private readonly settings: OcppLogSettings,
    private readonly onError: (error: unknown) => void,
  ) {}

  get enabled(): boolean {
    return this.settings.retentionDays > 0;
  }

  record(entry: Omit<OcppLogEntry, 'timestamp'>): void {
    if (!this.enabled) return;
    this.buffer.push({ ...entry, payload: capPayload(entry.payload), timestamp: isoTime(this.clock.now()) });
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

  async prune(): Promise<number> {
    const before = new Date(this.clock.now().getTime() - this.settings.retentionDays * 86_400_000);
    return this.log.prune(isoTime(before));
  }

  async close(): Promise<void> {
    clearInterval(this.pruneTimer);
    await this.flush();
  }
}
