import type { Redis } from 'ioredis';
import { within } from '../domain/deadline.js';
import { keyOf, PER_STATION, type RecentAnswers } from '../ocpp/recent-answers.js';

/** How long a station's answers are kept after its last one: the contract asks for 10 minutes at least. */
export const ANSWERS_EXPIRY_MS = 15 * 60_000;

/** The longest a station's message waits for Redis, ms: past it, it is answered without. */
const CALL_TIMEOUT_MS = 500;

/**
 * Remembers one answer: a hash (message id -> answer) and a list (the ids, oldest first), trimmed
 * to ARGV[3] ids, both expiring ARGV[4] ms after the station's last answer.
 */
const REMEMBER = `
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('LREM', KEYS[2], 0, ARGV[1])
redis.call('RPUSH', KEYS[2], ARGV[1])
while redis.call('LLEN', KEYS[2]) > tonumber(ARGV[3]) do
  redis.call('HDEL', KEYS[1], redis.call('LPOP', KEYS[2]))
end
redis.call('PEXPIRE', KEYS[1], ARGV[4])
redis.call('PEXPIRE', KEYS[2], ARGV[4])
return 1`;

/**
 * The recent answers of every node, in Redis: a station that repeats a message id after it
 * reconnected to another node gets the answer the first node gave. Bounded like the in-memory
 * ones (PER_STATION answers a station, ids kept short), and expiring. When Redis fails, a call is
 * answered as new (and the failure reported): the database's unique keys still keep a retried
 * meter value from being stored twice.
 */
export class RedisRecentAnswers implements RecentAnswers {
  constructor(
    private readonly redis: Redis,
    private readonly onError: (error: unknown) => void,
    private readonly prefix = 'cimorings:answers:',
    private readonly expiryMs = ANSWERS_EXPIRY_MS,
  ) {}

  async get(chargePointId: string, messageId: string, action: string): Promise<unknown> {
    if (!this.reachable()) return undefined;
    try {
      const text = await within(
        this.redis.hget(this.hashOf(chargePointId), keyOf(messageId)),
        CALL_TIMEOUT_MS,
        'Redis (recent answers)',
      );
      if (text === null) return undefined;
      const entry = JSON.parse(text) as { action: string; answer: unknown };
      return entry.action === action ? entry.answer : undefined;
    } catch (error) {
      this.onError(error);
      return undefined;
    }
  }

  async set(chargePointId: string, messageId: string, action: string, answer: unknown): Promise<void> {
    const value = JSON.stringify({ action, answer });
    const keys = [this.hashOf(chargePointId), `${this.hashOf(chargePointId)}:order`];
    if (!this.reachable()) return;
    await within(
      this.redis.eval(REMEMBER, 2, ...keys, keyOf(messageId), value, PER_STATION, this.expiryMs),
      CALL_TIMEOUT_MS,
      'Redis (recent answers)',
    ).catch(this.onError);
  }

  /**
   * Whether Redis is connected now. While it is not, stations are answered without it (a retry
   * across nodes is then caught by the database's unique keys only) rather than each message
   * waiting for ioredis to give up reconnecting.
   */
  private reachable(): boolean {
    return this.redis.status === 'ready';
  }

  /** Both keys of a station in one hash slot, for a Redis Cluster. */
  private hashOf(chargePointId: string): string {
    return `${this.prefix}{${chargePointId}}`;
  }
}
