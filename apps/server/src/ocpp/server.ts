import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { RPCServer, type RPCClient } from './rpc.js';
import type { FastifyBaseLogger } from 'fastify';
import type { StationPresence } from '../cluster/station-presence.js';
import { AppError } from '../errors.js';
import type { ChargePointService, ChargePointSession } from '../services/charge-point.service.js';
import type { OcppLogService } from '../services/ocpp-log.service.js';
import { ChargePointConnection } from './connection.js';
import { RecentAnswers } from './recent-answers.js';
import { v16Schemas } from './validation.js';
import { registerV16Handlers, type V16Services } from './v16/handlers.js';

/** The path prefix of the OCPP endpoint: `ws://HOST:PORT/ocpp/{chargePointId}`. */
export const OCPP_PATH = '/ocpp';
const SUBPROTOCOL = 'ocpp1.6';
/** Charge point ids we accept in the URL: printable, no separators, at most 48 characters. */
const IDENTITY = /^[A-Za-z0-9._:*+-]{1,48}$/;

export interface OcppServerSettings {
  /** Seconds between heartbeats asked of charge points. */
  heartbeatInterval: number;
  /** WebSocket ping period, ms (dead sockets are found within two periods). */
  pingIntervalMs: number;
  /** How often silent stations are looked for, ms. */
  livenessCheckMs: number;
  /** False until the database is set up: charge points are turned away with 503 until then. */
  isDatabaseReady: () => boolean;
}

/**
 * The OCPP-J endpoint: admits charge points at the WebSocket upgrade (identity, subprotocol,
 * Basic auth), keeps one connection per station (a newer one replaces the older), hands their
 * calls to the 1.6 handlers and notices when they go silent.
 */
export class OcppServer {
  private readonly rpc: RPCServer;
  private readonly recent = new RecentAnswers();
  private livenessTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly chargePoints: ChargePointService,
    private readonly services: V16Services,
    private readonly presence: StationPresence,
    private readonly messageLog: OcppLogService,
    private readonly log: FastifyBaseLogger,
    private readonly settings: OcppServerSettings,
  ) {
    this.rpc = new RPCServer({
      protocols: [SUBPROTOCOL],
      strictMode: true,
      strictModeValidators: [v16Schemas as never],
      pingIntervalMs: settings.pingIntervalMs,
      callConcurrency: 1,
    });
    this.rpc.auth((accept, reject, handshake) => {
      void this.admit(handshake).then(
        (session) => accept(session, SUBPROTOCOL),
        (error: unknown) => {
          const status = error instanceof AppError ? error.httpStatus : 500;
          if (status >= 500)
            this.log.error({ err: error, identity: handshake.identity }, 'OCPP admission failed');
          reject(status, error instanceof AppError ? error.message : 'Internal error');
        },
      );
    });
    this.rpc.on('client', (client) => void this.onClient(client));
  }

  /** Takes the upgrade requests of `/ocpp/...` from the HTTP server. */
  attach(server: Server): void {
    server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
      const path = (request.url ?? '').split('?')[0] ?? '';
      if (path.startsWith(`${OCPP_PATH}/`)) void this.rpc.handleUpgrade(request, socket as never, head);
    });
    this.livenessTimer = setInterval(() => this.closeSilent(), this.settings.livenessCheckMs);
    this.livenessTimer.unref();
  }

  async close(): Promise<void> {
    clearInterval(this.livenessTimer);
    await this.rpc.close({ code: 1001, reason: 'Server shutting down', awaitPending: false, force: false });
  }

  private async admit(handshake: {
    identity: string;
    endpoint: string;
    protocols: Set<string>;
    password: Buffer | undefined;
  }): Promise<ChargePointSession> {
    if (handshake.endpoint !== OCPP_PATH) throw new AppError('NOT_FOUND', 'Unknown OCPP endpoint');
    if (!this.settings.isDatabaseReady())
      throw new AppError('DATABASE_UNAVAILABLE', 'The database is not available yet');
    if (!IDENTITY.test(handshake.identity)) throw new AppError('BAD_REQUEST', 'Invalid charge point id');
    if (!handshake.protocols.has(SUBPROTOCOL)) {
      throw new AppError('BAD_REQUEST', `The ${SUBPROTOCOL} subprotocol is required`);
    }
    return this.chargePoints.admit(handshake.identity, handshake.password?.toString('utf8'));
  }

  private async onClient(client: RPCClient & { session: unknown }): Promise<void> {
    const session = client.session as ChargePointSession;
    const connection = new ChargePointConnection(client, session, this.recent, this.messageLog, this.log);
    registerV16Handlers(connection, this.services);
    const replaced = this.presence.register(connection);
    if (replaced) {
      this.log.info({ chargePointId: session.chargePointId }, 'new connection replaces the old one');
      void replaced.close(4000, 'Replaced by a new connection').catch(() => undefined);
    }
    client.on('close', () => {
      if (!this.presence.unregister(connection)) return;
      this.chargePoints
        .disconnected(session)
        .catch((error: unknown) =>
          this.log.error(
            { err: error, chargePointId: session.chargePointId },
            'could not record disconnection',
          ),
        );
    });
    try {
      await this.chargePoints.connected(session);
    } catch (error) {
      this.log.error({ err: error, chargePointId: session.chargePointId }, 'could not record connection');
    }
  }

  /** Closes the sockets of stations silent for 2.5 heartbeat intervals (CONTRACT section 4). */
  private closeSilent(): void {
    const deadline = Date.now() - this.settings.heartbeatInterval * 2500;
    for (const connection of this.presence.all()) {
      if (connection instanceof ChargePointConnection && connection.lastSeen < deadline) {
        this.log.info({ chargePointId: connection.chargePointId }, 'station silent: closing its connection');
        void connection.close(4001, 'No message within 2.5 heartbeat intervals', true).catch(() => undefined);
      }
    }
  }
}
