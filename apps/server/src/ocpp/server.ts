import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { RPCServer } from './rpc.js';
import type { FastifyBaseLogger } from 'fastify';
import { refuseUpgrade, safeUpgradeHandler } from '../http/upgrades.js';
import type { StationPresence } from '../cluster/station-presence.js';
import { within } from '../domain/deadline.js';
import { AppError, databaseUnavailable } from '../errors.js';
import type { ClientAddressOf } from '../http/client-address.js';
import type { Admission } from '../services/charge-point.service.js';
import type { StationAdmissionService } from '../services/station-admission.service.js';
import { ChargePointConnection } from './connection.js';
import { connectionSecurityOf, type ProxyTrust } from './connection-security.js';
import type { StationSessions } from './station-sessions.js';
import { v16Schemas, v201Schemas, v21Schemas } from './validation.js';
import { pickSubprotocol, SUBPROTOCOLS, versionOf } from './protocols.js';
import { isIdentity, OCPP_PATH, readableSubprotocols, readStationPath } from './upgrade-request.js';

export { OCPP_PATH } from './upgrade-request.js';

export interface OcppServerSettings {
  /** Seconds between heartbeats asked of charge points. */
  heartbeatInterval: number;
  /** WebSocket ping period, ms (dead sockets are found within two periods). */
  pingIntervalMs: number;
  /** How often silent stations are looked for, ms. */
  livenessCheckMs: number;
  /** Largest frame a charge point may send, bytes; a bigger one closes the socket with 1009. */
  maxFrameBytes: number;
}

/** What the endpoint consults to admit a charge point at its upgrade request. */
export interface UpgradeAdmission {
  /** The station's identity, password and connection → its admission, or a refusal. */
  stations: StationAdmissionService;
  /** False until the database is set up: charge points are turned away with 503 until then. */
  isDatabaseReady: () => boolean;
  /** The client address of an upgrade request, honouring TRUST_PROXY. */
  clientAddress: ClientAddressOf;
  /** What a TLS-terminating proxy of TRUST_PROXY may tell: TLS, the client certificate. */
  proxy: ProxyTrust;
}

/**
 * Unreadable frames in a row (not JSON, not an OCPP message) after which a connection is closed
 * (1002): a charge point that speaks OCPP sends none, so ten is a peer that does not.
 */
const MAX_BAD_MESSAGES = 10;

/**
 * The OCPP-J endpoint: admits charge points at the WebSocket upgrade (identity, subprotocol,
 * Basic auth), hands each admitted socket to the StationSessions, notices when stations go
 * silent, and closes them all at shutdown.
 */
export class OcppServer {
  private readonly rpc: RPCServer;
  private livenessTimer: NodeJS.Timeout | undefined;
  /** Set by `close`: new stations are turned away. */
  private stopping = false;

  constructor(
    private readonly admission: UpgradeAdmission,
    private readonly sessions: StationSessions,
    private readonly presence: StationPresence,
    private readonly log: FastifyBaseLogger,
    private readonly settings: OcppServerSettings,
  ) {
    this.rpc = new RPCServer({
      protocols: [...SUBPROTOCOLS],
      strictMode: true,
      strictModeValidators: [v16Schemas, v201Schemas, v21Schemas] as never,
      pingIntervalMs: settings.pingIntervalMs,
      callConcurrency: 1,
      maxBadMessages: MAX_BAD_MESSAGES,
      // ws accepts 100 MiB messages by default, all buffered in memory before any check runs.
      wssOptions: { maxPayload: settings.maxFrameBytes },
    });
    this.rpc.auth((accept, reject, handshake) => {
      void this.admit(handshake).then(
        (admission) => accept(admission, admission.subprotocol),
        (failure: unknown) => {
          // A database that is busy or unreachable is a 503 the charge point retries, not a 500.
          const error = failure instanceof AppError ? failure : (databaseUnavailable(failure) ?? failure);
          const status = error instanceof AppError ? error.httpStatus : 500;
          if (status >= 500)
            this.log.error({ err: error, identity: handshake.identity }, 'OCPP admission failed');
          else if (status === 429)
            this.log.warn(
              { identity: handshake.identity, source: this.admission.clientAddress(handshake.request) },
              `OCPP connection refused: ${(error as Error).message}`,
            );
          reject(status, error instanceof AppError ? error.message : 'Internal error');
        },
      );
    });
    // The WebSocketServer's errors surface here; an 'error' event without a listener would throw.
    this.rpc.on('error', (error: unknown) => this.log.warn({ err: error }, 'OCPP server error'));
    this.rpc.on('client', (client) => {
      this.sessions.open(client, client.session as Admission).catch((error: unknown) => {
        this.log.error({ err: error, identity: client.identity }, 'could not set up an OCPP connection');
        void client.close({ code: 1011, reason: 'Internal error', force: true }).catch(() => undefined);
      });
    });
  }

  /** Takes the upgrade requests of `/ocpp/...` from the HTTP server. */
  attach(server: Server): void {
    const upgrade = safeUpgradeHandler(this.log, (request: IncomingMessage, socket: Duplex, head: Buffer) => {
      const url = request.url ?? '';
      if (!url.startsWith(`${OCPP_PATH}/`)) return;
      if (this.stopping) {
        refuseUpgrade(socket, 503, 'Shutting down: connect to another node');
        return;
      }
      const target = readableSubprotocols(request.headers['sec-websocket-protocol'])
        ? readStationPath(url)
        : { status: 400 as const, message: 'Malformed Sec-WebSocket-Protocol header' };
      if ('status' in target) {
        this.log.info({ url: url.slice(0, 200), status: target.status }, 'OCPP upgrade refused');
        refuseUpgrade(socket, target.status, target.message);
        return;
      }
      return this.rpc.handleUpgrade(request, socket as never, head);
    });
    server.on('upgrade', upgrade);
    this.livenessTimer = setInterval(() => this.closeSilent(), this.settings.livenessCheckMs);
    this.livenessTimer.unref();
  }

  /**
   * Closes every station's WebSocket with 1001 once the answers under way are sent (so that
   * nothing it was told is stored goes unanswered), at most `graceMs`, then drops what is left.
   * `handOver`: other nodes are alive and the stations will reconnect to them, so their records
   * stay `connected` (marking them Unavailable now would race their reconnection elsewhere);
   * one that does not come back is found by the survivors' sweep of stations no node holds.
   * Otherwise each is recorded disconnected, and those writes are finished before this resolves.
   */
  async close({ handOver = false, graceMs = 10_000 } = {}): Promise<void> {
    this.stopping = true;
    this.sessions.stop(handOver);
    clearInterval(this.livenessTimer);
    const closing = this.presence
      .all()
      .map((connection) =>
        connection instanceof ChargePointConnection
          ? connection.closeWhenAnswered(1001, 'Server shutting down')
          : connection.close(1001, 'Server shutting down'),
      );
    await within(Promise.all(closing), graceMs, 'the stations closing').catch((error: unknown) =>
      this.log.warn({ err: error }, 'stations still open at shutdown: dropping them'),
    );
    await this.rpc.close({ code: 1001, reason: 'Server shutting down', awaitPending: false, force: true });
    await this.sessions.recorded();
  }

  private async admit(handshake: {
    identity: string;
    endpoint: string;
    protocols: Set<string>;
    password: Buffer | undefined;
    request: IncomingMessage;
  }): Promise<Admission & { subprotocol: string }> {
    if (handshake.endpoint !== OCPP_PATH) throw new AppError('NOT_FOUND', 'Unknown OCPP endpoint');
    if (!this.admission.isDatabaseReady())
      throw new AppError('DATABASE_UNAVAILABLE', 'The database is not available yet');
    if (!isIdentity(handshake.identity)) throw new AppError('BAD_REQUEST', 'Invalid charge point id');
    // Of the protocols a charge point offers, the newest we speak (CONTRACT section 7).
    const subprotocol = pickSubprotocol(handshake.protocols);
    if (subprotocol === undefined) {
      throw new AppError('BAD_REQUEST', `One of the subprotocols ${SUBPROTOCOLS.join(', ')} is required`);
    }
    const admission = await this.admission.stations.admit(
      handshake.identity,
      handshake.password?.toString('utf8'),
      this.admission.clientAddress(handshake.request),
      connectionSecurityOf(handshake.request, this.admission.proxy),
      versionOf(subprotocol),
    );
    return Object.assign(admission, { subprotocol });
  }

  /**
   * Closes the sockets of stations silent for 2.5 heartbeat intervals (CONTRACT section 4); one
   * waiting for the answer to a call is not silent, and its time starts again with the answer.
   */
  private closeSilent(): void {
    const now = Date.now();
    const deadline = now - this.settings.heartbeatInterval * 2500;
    for (const connection of this.presence.all()) {
      if (!(connection instanceof ChargePointConnection)) continue;
      if (connection.awaitingAnswer) connection.lastSeen = now;
      else if (connection.lastSeen < deadline) {
        this.log.info({ chargePointId: connection.chargePointId }, 'station silent: closing its connection');
        void connection.close(4001, 'No message within 2.5 heartbeat intervals', true).catch(() => undefined);
      }
    }
  }
}
