import type { Redis } from 'ioredis';
import { InMemoryStationPresence, type StationConnection, type StationPresence } from './station-presence.js';
import type { NodeChannel } from './node-channel.js';

/** Deletes the field only if it still names this node: a newer node's entry stays. */
const RELEASE = `if redis.call('HGET', KEYS[1], ARGV[1]) == ARGV[2] then return redis.call('HDEL', KEYS[1], ARGV[1]) end return 0`;

/**
 * Station presence shared by every node: connections stay local, and a Redis hash records which
 * node holds each charge point. A charge point that reconnects through another node has its old
 * connection closed by the node that held it.
 */
export class RedisStationPresence implements StationPresence {
  private readonly local = new InMemoryStationPresence();

  constructor(
    private readonly redis: Redis,
    private readonly channel: NodeChannel,
    private readonly onError: (error: unknown) => void,
    private readonly key = 'cimorings:presence',
  ) {
    channel.on('evict', (message) => {
      const connection = this.local.get(message.chargePointId);
      if (connection) {
        this.local.unregister(connection);
        void connection.close(4000, 'Replaced by a new connection').catch(() => undefined);
      }
    });
  }

  register(connection: StationConnection): StationConnection | undefined {
    const replaced = this.local.register(connection);
    const { chargePointId } = connection;
    void this.redis
      .hget(this.key, chargePointId)
      .then(async (previous) => {
        await this.redis.hset(this.key, chargePointId, this.channel.nodeId);
        if (previous && previous !== this.channel.nodeId) {
          await this.channel.send(previous, { kind: 'evict', chargePointId });
        }
      })
      .catch(this.onError);
    return replaced;
  }

  unregister(connection: StationConnection): boolean {
    if (!this.local.unregister(connection)) return false;
    void this.redis
      .eval(RELEASE, 1, this.key, connection.chargePointId, this.channel.nodeId)
      .catch(this.onError);
    return true;
  }

  get(chargePointId: string): StationConnection | undefined {
    return this.local.get(chargePointId);
  }

  isCurrent(connection: StationConnection): boolean {
    return this.local.isCurrent(connection);
  }

  all(): StationConnection[] {
    return this.local.all();
  }

  /** As far as Redis knows. */
  async nodeOf(chargePointId: string): Promise<string | null> {
    return this.redis.hget(this.key, chargePointId);
  }

  async forgetNode(nodeId: string, chargePointId: string): Promise<boolean> {
    return (await this.redis.eval(RELEASE, 1, this.key, chargePointId, nodeId)) === 1;
  }

  /** Every charge point recorded in Redis, with the node holding it. */
  async holders(): Promise<Record<string, string>> {
    return this.redis.hgetall(this.key);
  }

  /** Records again every station held here (after Redis forgot this node, e.g. while unreachable). */
  async reassert(): Promise<void> {
    const held = this.local.all().map((connection) => connection.chargePointId);
    if (held.length === 0) return;
    await this.redis.hset(this.key, Object.fromEntries(held.map((id) => [id, this.channel.nodeId])));
  }

  async close(): Promise<void> {
    await Promise.all(
      this.local
        .all()
        .map((connection) =>
          this.redis
            .eval(RELEASE, 1, this.key, connection.chargePointId, this.channel.nodeId)
            .catch(this.onError),
        ),
    );
  }
}
