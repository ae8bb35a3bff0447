import type { StationPresence } from './station-presence.js';

/** A node as `GET /api/cluster` lists it (CONTRACT section 6). */
export interface NodeInfo {
  nodeId: string;
  startedAt: string;
  lastSeenAt: string;
  /** Station WebSockets the node holds. */
  stations: number;
}

/** What the membership needs of the stations' records. */
export interface StationRecords {
  /** Told, once across the cluster, of each station no live node holds: it is disconnected. */
  lost(chargePointId: string): Promise<void>;
  /** The stations recorded as connected. */
  connected(): Promise<string[]>;
}

/**
 * The nodes alive now. One node alone: itself (InMemoryNodeMembership). Several sharing Redis:
 * each heartbeats with an expiry, and a survivor that finds a node's heartbeat gone hands each
 * station that node held to `lost`, once across the cluster, as it does a station recorded as
 * connected that no node holds (RedisNodeMembership).
 */
export interface NodeMembership {
  readonly nodeId: string;
  /** The nodes alive now, this one included, by nodeId. */
  nodes(): Promise<NodeInfo[]>;
  /** Starts heartbeating and watching the other nodes; resolves after the first heartbeat. */
  start(stations: StationRecords): Promise<void>;
  /** Stops heartbeating; the node leaves the list. */
  close(): Promise<void>;
}

export class InMemoryNodeMembership implements NodeMembership {
  private readonly startedAt = new Date().toISOString();

  constructor(
    readonly nodeId: string,
    private readonly presence: StationPresence,
  ) {}

  nodes(): Promise<NodeInfo[]> {
    const { nodeId, startedAt } = this;
    const lastSeenAt = new Date().toISOString();
    return Promise.resolve([{ nodeId, startedAt, lastSeenAt, stations: this.presence.all().length }]);
  }

  /** No other node can die under it. */
  start(): Promise<void> {
    return Promise.resolve();
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
