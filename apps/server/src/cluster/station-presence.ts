/** A live OCPP connection to one charge point, as the rest of the server may use it. */
export interface StationConnection {
  readonly chargePointId: string;
  /** Sends a CALL and resolves with the CALLRESULT payload; rejects on CALLERROR or timeout. */
  call(action: string, payload: unknown, timeoutMs: number): Promise<unknown>;
  /** @param force drop the socket at once, without a closing handshake (for a dead peer). */
  close(code: number, reason: string, force?: boolean): Promise<void>;
}

/** What `nodeOf` answers for a charge point connected to this node when there is only one node. */
export const THIS_NODE = 'this-node';

/**
 * Which charge points are connected, and through which connection. A newer connection for the
 * same id replaces the older one. Connections are always local; `nodeOf` tells which node holds
 * a charge point: in memory, this one or none (InMemoryStationPresence); with several nodes, as
 * recorded in Redis (RedisStationPresence). One contract suite runs against both.
 */
export interface StationPresence {
  /** Records the connection and answers the one it replaced, if any. */
  register(connection: StationConnection): StationConnection | undefined;
  /** Forgets the connection if it is still the current one; answers whether it was. */
  unregister(connection: StationConnection): boolean;
  get(chargePointId: string): StationConnection | undefined;
  isCurrent(connection: StationConnection): boolean;
  all(): StationConnection[];
  /** The id of the node holding the charge point, `null` when none does. */
  nodeOf(chargePointId: string): Promise<string | null>;
  /**
   * Forgets that `nodeId` holds the charge point (that node is gone), unless another took it
   * since; answers whether this call forgot it (true for one caller only, across the cluster).
   */
  forgetNode(nodeId: string, chargePointId: string): Promise<boolean>;
  /** Lets go of this node's stations as it shuts down. */
  close(): Promise<void>;
}

export class InMemoryStationPresence implements StationPresence {
  private readonly connections = new Map<string, StationConnection>();

  register(connection: StationConnection): StationConnection | undefined {
    const previous = this.connections.get(connection.chargePointId);
    this.connections.set(connection.chargePointId, connection);
    return previous === connection ? undefined : previous;
  }

  unregister(connection: StationConnection): boolean {
    if (!this.isCurrent(connection)) return false;
    this.connections.delete(connection.chargePointId);
    return true;
  }

  get(chargePointId: string): StationConnection | undefined {
    return this.connections.get(chargePointId);
  }

  isCurrent(connection: StationConnection): boolean {
    return this.connections.get(connection.chargePointId) === connection;
  }

  all(): StationConnection[] {
    return [...this.connections.values()];
  }

  nodeOf(chargePointId: string): Promise<string | null> {
    return Promise.resolve(this.connections.has(chargePointId) ? THIS_NODE : null);
  }

  /** One node alone: no other node can hold a station, so there is nothing to forget. */
  forgetNode(): Promise<boolean> {
    return Promise.resolve(false);
  }

  /** Forgets every connection: the node no longer holds any station. */
  close(): Promise<void> {
    this.connections.clear();
    return Promise.resolve();
  }
}
