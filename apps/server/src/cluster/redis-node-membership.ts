import type { FastifyBaseLogger } from 'fastify';
import type { Redis } from 'ioredis';
import type { NodeInfo, NodeMembership, StationRecords } from './node-membership.js';
import type { RedisStationPresence } from './redis-station-presence.js';

export interface MembershipTiming {
  /** How often a node heartbeats and looks for dead nodes, ms. */
  heartbeatMs: number;
  /** How long a heartbeat lasts: a node silent this long is dead, ms. */
  expiryMs: number;
}

/** A dead node is noticed within expiryMs + heartbeatMs (20 s): within the contract's 30 s. */
export const MEMBERSHIP_TIMING: MembershipTiming = { heartbeatMs: 5_000, expiryMs: 15_000 };

/** What every membership key starts with. */
const PREFIX = 'cimorings:cluster:';

/**
 * Node liveness through Redis. Each node keeps `{PREFIX}node:{id}` alive (a JSON NodeInfo with
 * an expiry) and lists its id in `{PREFIX}nodes`. Every heartbeat it also reads which node holds
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
  /** Stations recorded as connected that no node held at the last sweep. */
  private unheld = new Set<string>();

  constructor(
    readonly nodeId: string,
    private readonly redis: Redis,
    private readonly presence: RedisStationPresence,
    private readonly log: FastifyBaseLogger,
    private readonly timing: MembershipTiming = MEMBERSHIP_TIMING,
  ) {}

  async nodes(): Promise<NodeInfo[]> {
    const ids = (await this.redis.smembers(`${PREFIX}nodes`)).sort();
    if (ids.length === 0) return [];
    const infos = await this.redis.mget(ids.map((id) => this.keyOf(id)));
    const gone = ids.filter((_id, index) => infos[index] === null);
    if (gone.length > 0) await this.redis.srem(`${PREFIX}nodes`, ...gone);
    return infos.flatMap((info) => (info === null ? [] : [JSON.parse(info) as NodeInfo]));
  }

  async start(stations: StationRecords): Promise<void> {
    await this.heartbeat();
    // Stations recorded under this id by an earlier process with the same NODE_ID are not held now.
    await this.forgetStationsOf(this.nodeId, stations.lost);
    this.timer = setInterval(() => {
      this.sweeping = this.sweeping
        .then(() => this.beatAndSweep(stations))
        .catch((error: unknown) => this.log.warn({ err: error }, 'cluster heartbeat failed'));
    }, this.timing.heartbeatMs);
    this.timer.unref();
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.sweeping;
    await this.redis.del(this.keyOf(this.nodeId)).catch(() => undefined);
    await this.redis.srem(`${PREFIX}nodes`, this.nodeId).catch(() => undefined);
  }

  private async beatAndSweep(stations: StationRecords): Promise<void> {
    await this.heartbeat();
    const holders = await this.presence.holders();
    const others = [...new Set(Object.values(holders))].filter((id) => id !== this.nodeId);
    const alive = others.length === 0 ? [] : await this.redis.mget(others.map((id) => this.keyOf(id)));
    for (const [index, nodeId] of others.entries()) {
      if (alive[index] !== null) continue;
      if (await this.claim(`dead:${nodeId}`)) await this.forgetStationsOf(nodeId, stations.lost, holders);
    }
    await this.sweepUnheld(stations, holders);
  }

  /**
   * Stations recorded as connected that no node holds (their node died before Redis knew of
   * them, or Redis lost its data): disconnected once across the cluster, when two sweeps in a
   * row find them so (a station connecting now is recorded in the database before in Redis).
   */
  private async sweepUnheld(stations: StationRecords, holders: Record<string, string>): Promise<void> {
    const unheld = (await stations.connected()).filter(
      (chargePointId) =>
        holders[chargePointId] === undefined && this.presence.get(chargePointId) === undefined,
    );
    const previous = this.unheld;
    this.unheld = new Set(unheld);
    for (const chargePointId of unheld) {
      if (!previous.has(chargePointId) || !(await this.claim(`unheld:${chargePointId}`))) continue;
      if ((await this.presence.nodeOf(chargePointId)) !== null) continue;
      this.log.warn({ chargePointId }, 'station recorded as connected but held by no node: disconnected');
      await stations
        .lost(chargePointId)
        .catch((error: unknown) =>
          this.log.error(
            { err: error, chargePointId },
            'could not record the disconnection of a lost station',
          ),
        );
    }
  }

  /** Whether this node is the first to claim `name` (a claim lasts two heartbeat expiries). */
  private async claim(name: string): Promise<boolean> {
    const claimed = await this.redis.set(
      `${PREFIX}${name}`,
      this.nodeId,
      'PX',
      this.timing.expiryMs * 2,
      'NX',
    );
    return claimed === 'OK';
  }

  /** Forgets the stations `nodeId` held, handing each one this call forgot to `lost`. */
  private async forgetStationsOf(
    nodeId: string,
    lost: StationRecords['lost'],
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
    await this.redis.sadd(`${PREFIX}nodes`, this.nodeId);
    // Redis forgot this node (it was unreachable too long): others may have swept its stations.
    if (previous === null) await this.presence.reassert();
  }

  private keyOf(nodeId: string): string {
    return `${PREFIX}node:${nodeId}`;
  }
}
