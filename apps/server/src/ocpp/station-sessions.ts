import type { OcppVersion } from '@cimorings/contracts';
import type { FastifyBaseLogger } from 'fastify';
import type { StationPresence } from '../cluster/station-presence.js';
import type { Admission, ChargePointSession } from '../services/charge-point.service.js';
import type { OcppLogService } from '../services/ocpp-log.service.js';
import { ChargePointConnection, connectionOf } from './connection.js';
import { logFrames } from './frame-log.js';
import type { HandlerTables } from './handler-tables.js';
import type { RecentAnswers } from './recent-answers.js';
import { watchRefusals } from './refusal-budget.js';
import type { RPCClient } from './rpc.js';

/** What is recorded of a known station's connection as it opens, lives and closes. */
export interface ConnectionRecords {
  connected(session: ChargePointSession, ocppVersion: OcppVersion): Promise<void>;
  /** Re-reads a station's stored registration into its session (an approval meanwhile). */
  refreshRegistration(session: ChargePointSession): Promise<void>;
  /** The socket closed, on any node's say: what ran per connection stops. */
  closed(session: ChargePointSession): void;
  /** The station is recorded disconnected (not when its connection is handed over). */
  disconnected(session: ChargePointSession): Promise<void>;
}

export interface SessionSettings {
  /** Ms an unknown charge point has to send a BootNotification before its socket is closed. */
  bootTimeoutMs: number;
  /** Largest frame a charge point may send, bytes (logged with a socket error). */
  maxFrameBytes: number;
}

/**
 * How an admitted socket becomes a connection that speaks its OCPP version: every frame to the
 * message log, from before the first handler is registered, then its version's handlers.
 */
export class ConnectionOpener {
  /** One function for every connection (not a closure each). */
  private readonly refreshRegistration = (session: ChargePointSession) =>
    this.records.refreshRegistration(session);

  constructor(
    private readonly handlers: HandlerTables,
    private readonly messageLog: OcppLogService,
    /** Where the answers to repeated message ids are found: every node's, with several. */
    private readonly recent: RecentAnswers,
    private readonly records: ConnectionRecords,
    private readonly log: FastifyBaseLogger,
  ) {}

  open(client: RPCClient, admission: Admission): ChargePointConnection {
    const connection = new ChargePointConnection(
      client,
      admission,
      this.recent,
      this.refreshRegistration,
      this.log,
    );
    if (this.messageLog.enabled) logFrames(client, admission.chargePointId, this.messageLog, connection);
    this.handlers(connection);
    return connection;
  }
}

/** The sessions holding each open connection, by its client, for the shared listeners. */
const SESSIONS = new WeakMap<RPCClient, StationSessions>();

function onClose(this: RPCClient): void {
  const connection = connectionOf(this);
  if (connection) SESSIONS.get(this)?.closed(connection);
}

function onSocketError(this: RPCClient, error: unknown): void {
  const connection = connectionOf(this);
  if (connection) SESSIONS.get(this)?.socketFailed(connection, error);
}

/**
 * The admitted charge points' connections on this node: one per station (a newer one replaces
 * the older), an unknown one closed when it sends no BootNotification in time, a flood of
 * refused messages closed, and each known station's connecting and closing recorded.
 */
export class StationSessions {
  /** Set by `stop`: closed connections are handed over (other nodes are alive) or recorded. */
  private handOver = false;
  /** Disconnections being recorded, awaited before the database closes. */
  private readonly recording = new Set<Promise<void>>();

  constructor(
    private readonly opener: ConnectionOpener,
    private readonly records: ConnectionRecords,
    private readonly presence: StationPresence,
    private readonly log: FastifyBaseLogger,
    private readonly settings: SessionSettings,
  ) {}

  /** Sets up the connection of a socket admitted with `admission`. */
  async open(client: RPCClient, admission: Admission): Promise<void> {
    const { chargePointId } = admission;
    const connection = this.opener.open(client, admission);
    const replaced = this.presence.register(connection);
    if (replaced) {
      this.log.info({ chargePointId }, 'new connection replaces the old one');
      void replaced.close(4000, 'Replaced by a new connection').catch(() => undefined);
    }
    if (admission.station === null) connection.closeUnlessBootedWithin(this.settings.bootTimeoutMs);
    // Listeners shared by every connection (20,000 idle ones hold no closures of their own).
    SESSIONS.set(client, this);
    client.on('close', onClose);
    watchRefusals(client, this.abused);
    // A frame over maxFrameBytes (ws closes with 1009), an invalid frame, a reset.
    client.on('socketError', onSocketError);

    if (admission.station === null) return;
    try {
      await this.records.connected(admission.station, admission.ocppVersion);
    } catch (error) {
      this.log.error({ err: error, chargePointId }, 'could not record connection');
    }
  }

  /** A connection's socket closed (its client's 'close'): what ran for it stops, its station is recorded. */
  closed(connection: ChargePointConnection): void {
    const { admission } = connection;
    connection.dropBootDeadline();
    if (admission.station !== null) this.records.closed(admission.station);
    if (!this.presence.unregister(connection) || admission.station === null) return;
    if (this.handOver) return;
    const recording = this.records
      .disconnected(admission.station)
      .catch((error: unknown) =>
        this.log.error(
          { err: error, chargePointId: connection.chargePointId },
          'could not record disconnection',
        ),
      );
    this.recording.add(recording);
    void recording.finally(() => this.recording.delete(recording));
  }

  /** A connection's socket failed (its client's 'socketError'); it closes. */
  socketFailed(connection: ChargePointConnection, error: unknown): void {
    this.log.warn(
      { err: error, chargePointId: connection.chargePointId, maxFrameBytes: this.settings.maxFrameBytes },
      'OCPP socket error: closing the connection',
    );
  }

  /** A connection earned too many refusals (`watchRefusals`): closed once its answers are sent. */
  private readonly abused = (client: RPCClient, refusals: number): void => {
    const connection = connectionOf(client);
    if (!connection) return;
    this.log.warn(
      { chargePointId: connection.chargePointId, refusals },
      'too many refused OCPP messages: closing the connection',
    );
    connection.closeAfterAnswers(1008, 'Too many invalid messages');
  };

  /**
   * From now on, connections that close are handed over (`handOver`: other nodes are alive and
   * the stations reconnect to them, so their records stay `connected`) or recorded disconnected.
   */
  stop(handOver: boolean): void {
    this.handOver = handOver;
  }

  /** Resolves once the disconnections being recorded are written. */
  async recorded(): Promise<void> {
    await Promise.all(this.recording);
  }
}
