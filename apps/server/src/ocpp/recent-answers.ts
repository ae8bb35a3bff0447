import { createHash } from 'node:crypto';

/** How many answers are remembered per charge point. */
export const PER_STATION = 16;
/** How many charge points' answers are remembered, the least recently answered forgotten first. */
const STATIONS = 10_000;
/**
 * Longest message id kept as it is (OCPP-J 1.6 §4.1.3 allows 36 characters); a longer one is kept
 * as its SHA-256, so that a charge point cannot make the server hold 16 ids of 64 KB each.
 */
const MAX_ID_CHARS = 64;

/** What is kept of a message id: itself, or the SHA-256 of a long one. */
export function keyOf(messageId: string): string {
  return messageId.length <= MAX_ID_CHARS
    ? messageId
    : `sha256:${createHash('sha256').update(messageId).digest('base64')}`;
}

/**
 * The last answers given to each charge point, by message id, so that a call repeated with the
 * same message id (a retry after a lost answer, OCPP-J 1.6 §4.1.3) gets the same answer without
 * being applied twice. Kept across reconnections, since that is when retries happen, and, with
 * several nodes, where every node finds them (RedisRecentAnswers), since a station may reconnect
 * to another node. One contract suite runs against both.
 */
export interface RecentAnswers {
  /** The answer given to this message id and action, `undefined` when none is remembered. */
  get(chargePointId: string, messageId: string, action: string): Promise<unknown>;
  set(chargePointId: string, messageId: string, action: string, answer: unknown): Promise<void>;
}

/**
 * One node: in memory. Bounded in every direction: answers per station, stations, and the length
 * of what is kept of an id.
 */
export class MemoryRecentAnswers implements RecentAnswers {
  private readonly byStation = new Map<string, Map<string, { action: string; answer: unknown }>>();

  get(chargePointId: string, messageId: string, action: string): Promise<unknown> {
    const entry = this.byStation.get(chargePointId)?.get(keyOf(messageId));
    return Promise.resolve(entry?.action === action ? entry.answer : undefined);
  }

  set(chargePointId: string, messageId: string, action: string, answer: unknown): Promise<void> {
    this.remember(chargePointId, messageId, action, answer);
    return Promise.resolve();
  }

  private remember(chargePointId: string, messageId: string, action: string, answer: unknown): void {
    const answers =
      this.byStation.get(chargePointId) ?? new Map<string, { action: string; answer: unknown }>();
    // Re-inserted so that the map's order is least recently answered first.
    this.byStation.delete(chargePointId);
    this.byStation.set(chargePointId, answers);
    answers.set(keyOf(messageId), { action, answer });
    if (answers.size > PER_STATION) {
      const oldest = answers.keys().next().value;
      if (oldest !== undefined) answers.delete(oldest);
    }
    if (this.byStation.size > STATIONS) {
      const oldest = this.byStation.keys().next().value;
      if (oldest !== undefined) this.byStation.delete(oldest);
    }
  }
}
