import type { FastifyBaseLogger } from 'fastify';
import type { Redis } from 'ioredis';
import type { NodeInfo, NodeMembership, StationLost } from './node-membership.js';
import type { RedisStationPresence } from './redis-station-presence.js';

export interface MembershipTiming {
  /** How often a node heartbeats and looks for dead nodes, ms. */
  heartbeatMs: number;
  /** How long a heartbeat lasts: a node silent this long is dead, ms. */
  expiryMs: number;
}

/** A dead node is noticed within expiryMs + heartbeatMs (20 s): within the contract's 30 s. */
export const MEMBERSHIP_TIMING: MembershipTiming = { heartbeatMs: 5_000, expiryMs: 15_000 };

/**
 * Node liveness through Redis. Each node keeps `{prefix}node:{id}` alive (a JSON NodeInfo with
 * an expiry) and lists its id in `{prefix}nodes`. Every heartbeat it also reads which node holds
 * each station (the presence hash): a holder whose heartbeat expired is dead, and the first
 * survivor to claim it (SET NX with an expiry, so that a claimant that dies midway is relieved)
 * forgets its stations one by one, each only if still that node's (RedisStationPresence
 * `forgetNode`), and hands those to `lost`. So each station of a dead node is lost once across
 * the cluster, and not at all when it reconnected to another node meanwhile.
 */
export class RedisNodeMembership implements NodeMembership {
  private readonly startedAt = new Date().toISOString();
  private timer: NodeJS.Timeout | undefined;
  private sweeping: Promise<void> = Promise.resolve();

  constructor(
    readonly nodeId: string,
    private readonly redis: Redis,
    private readonly presence: RedisStationPresence,
    private readonly log: FastifyBaseLogger,
    private readonly timing: MembershipTiming = MEMBERSHIP_TIMING,
    private readonly prefix = 'cimorings:cluster:',
  ) {}

  async nodes(): Promise<NodeInfo[]> {
    const ids = (await this.redis.smembers(`${this.prefix}nodes`)).sort();
    if (ids.length === 0) return [];
    const infos = await this.redis.mget(ids.map((id) => this.keyOf(id)));
    const gone = ids.filter((_id, index) => infos[index] === null);
    if (gone.length > 0) await this.redis.srem(`${this.prefix}nodes`, ...gone);
    return infos.flatMap((info) => (info === null ? [] : [JSON.parse(info) as NodeInfo]));
  }

  async start(lost: StationLost): Promise<void> {
    await this.heartbeat();
    // Stations recorded under this id by an earlier process with the same NODE_ID are not held now.
    await this.forgetStationsOf(this.nodeId, lost);
    this.timer = setInterval(() => {
      this.sweeping = this.sweeping
        .then(() => this.beatAndSweep(lost))
        .catch((error: unknown) => this.log.warn({ err: error }, 'cluster heartbeat failed'));
    }, this.timing.heartbeatMs);
    this.timer.unref();
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.sweeping;
    await this.redis.del(this.keyOf(this.nodeId)).catch(() => undefined);
    await this.redis.srem(`${this.prefix}nodes`, this.nodeId).catch(() => undefined);
  }

  private async beatAndSweep(lost: StationLost): Promise<void> {
    await this.heartbeat();
    const holders = await this.presence.holders();
    const others = [...new Set(Object.values(holders))].filter((id) => id !== this.nodeId);
    if (others.length === 0) return;
    const alive = await this.redis.mget(others.map((id) => this.keyOf(id)));
    for (const [index, nodeId] of others.entries()) {
      if (alive[index] !== null) continue;
      const claim = `${this.prefix}dead:${nodeId}`;
      const claimed = await this.redis.set(claim, this.nodeId, 'PX', this.timing.expiryMs * 2, 'NX');
      if (claimed === 'OK') await this.forgetStationsOf(nodeId, lost, holders);
    }
  }

  /** Forgets the stations `nodeId` held, handing each one this call forgot to `lost`. */
  private async forgetStationsOf(
    nodeId: string,
    lost: StationLost,
    holders?: Record<string, string>,
  ): Promise<void> {
    const held = Object.entries(holders ?? (await this.presence.holders()))
      .filter(
        ([chargePointId, holder]) => holder === nodeId && this.presence.get(chargePointId) === undefined,
      )
      .map(([chargePointId]) => chargePointId);
    let count = 0;
    for (const chargePointId of held) {
      if (!(await this.presence.forgetNode(nodeId, chargePointId))) continue;
      count++;
      await lost(chargePointId).catch((error: unknown) =>
        this.log.error({ err: error, chargePointId }, 'could not record the disconnection of a lost station'),
      );
    }
    if (count > 0)
      this.log.warn({ deadNode: nodeId, stations: count }, 'node gone: its stations are disconnected');
  }

  private async heartbeat(): Promise<void> {
    const info: NodeInfo = {
      nodeId: this.nodeId,
      startedAt: this.startedAt,
      lastSeenAt: new Date().toISOString(),
      stations: this.presence.all().length,
    };
    const previous = await this.redis.set(
      this.keyOf(this.nodeId),
      JSON.stringify(info),
      'PX',
      this.timing.expiryMs,
      'GET',
    );
    await this.redis.sadd(`${this.prefix}nodes`, this.nodeId);
    // Redis forgot this node (it was unreachable too long): others may have swept its stations.
    if (previous === null) await this.presence.reassert();
  }

  private keyOf(nodeId: string): string {
    return `${this.prefix}node:${nodeId}`;
  }
}
