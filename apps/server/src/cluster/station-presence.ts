/** A live OCPP connection to one charge point, as the rest of the server may use it. */
export interface StationConnection {
  readonly chargePointId: string;
  /** Sends a CALL and resolves with the CALLRESULT payload; rejects on CALLERROR or timeout. */
  call(action: string, payload: unknown, timeoutMs: number): Promise<unknown>;
  /** @param force drop the socket at once, without a closing handshake (for a dead peer). */
  close(code: number, reason: string, force?: boolean): Promise<void>;
}

/**
 * Which charge points are connected, and through which connection. A newer connection for the
 * same id replaces the older one. In memory for one node; with several nodes a Redis
 * implementation records which node holds each station.
 */
export interface StationPresence {
  /** Records the connection and answers the one it replaced, if any. */
  register(connection: StationConnection): StationConnection | undefined;
  /** Forgets the connection if it is still the current one; answers whether it was. */
  unregister(connection: StationConnection): boolean;
  get(chargePointId: string): StationConnection | undefined;
  isCurrent(connection: StationConnection): boolean;
  all(): StationConnection[];
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
}
