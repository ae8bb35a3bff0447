import type { FastifyBaseLogger } from 'fastify';
import type { Redis } from 'ioredis';
import type { Server as NodeHttpServer } from 'node:http';
import type { ClusterSeams } from '../cluster/index.js';
import type { Config } from '../config.js';
import { clientAddressResolver, trustedPeerResolver } from '../http/client-address.js';
import { handlerTables } from '../ocpp/handler-tables.js';
import { OcppServer } from '../ocpp/server.js';
import { ConnectionOpener, StationSessions, type ConnectionRecords } from '../ocpp/station-sessions.js';
import { DEFAULT_REALTIME_SETTINGS, RealtimeServer, type RealtimeSettings } from '../realtime/io.js';
import type { Services } from './services.js';

/** The OCPP WebSocket server (1.6, 2.0.1 and 2.1) over the services. */
export function createOcppServer(
  config: Readonly<Config>,
  services: Services,
  cluster: ClusterSeams,
  isDatabaseReady: () => boolean,
  log: FastifyBaseLogger,
): OcppServer {
  const { admission, ocppLog } = services;
  if (config.ocppUnknownStations === 'accept') {
    // Accepted unknown stations have no password: anyone can connect with any id and act as a station.
    log.warn(
      'OCPP_UNKNOWN_STATIONS=accept: any charge point that connects is registered and accepted without a ' +
        'password, so anyone who knows or guesses a station id can impersonate it; use pending for production',
    );
  }
  const handlers = handlerTables(
    {
      chargePoints: services.chargePoints,
      transactions: services.transactions,
      dataTransfer: services.dataTransfer,
      securityEvents: services.securityEvents,
      deviceModel: services.deviceModel,
      transactionEvents: services.transactionEvents,
      reservations: services.reservations,
      certificates: services.certificates,
      callTimeoutMs: config.ocppCallTimeoutMs,
    },
    log,
  );
  const { chargePoints, transactionEvents } = services;
  const records: ConnectionRecords = {
    connected: (session, ocppVersion) => chargePoints.connected(session, ocppVersion),
    refreshRegistration: (session) => chargePoints.refreshRegistration(session),
    closed: (session) => transactionEvents.connectionClosed(session),
    disconnected: (session) => chargePoints.disconnected(session),
  };
  const sessions = new StationSessions(
    new ConnectionOpener(handlers, ocppLog, cluster.recentAnswers, records, log),
    records,
    cluster.presence,
    log,
    { bootTimeoutMs: config.ocppBootTimeout * 1000, maxFrameBytes: config.ocppMaxFrameBytes },
  );
  const upgrades = {
    stations: admission,
    isDatabaseReady,
    clientAddress: clientAddressResolver(config.trustProxy),
    proxy: {
      isTrusted: trustedPeerResolver(config.trustProxy),
      clientCertHeader: config.tlsProxyClientCertHeader?.toLowerCase() ?? null,
    },
  };
  return new OcppServer(upgrades, sessions, cluster.presence, log, {
    heartbeatInterval: config.ocppHeartbeatInterval,
    pingIntervalMs: 30_000,
    // Often enough to notice silence within a minute of 2.5 intervals, as the contract asks.
    livenessCheckMs: Math.min(15_000, config.ocppHeartbeatInterval * 500),
    maxFrameBytes: config.ocppMaxFrameBytes,
  });
}

/** The customer's real-time API; with Redis, its adapter carries broadcasts between nodes. */
export function createRealtimeServer(
  httpServer: NodeHttpServer,
  services: Services,
  cluster: ClusterSeams,
  redis: Redis | null,
  log: FastifyBaseLogger,
  settings: Partial<RealtimeSettings> = {},
): RealtimeServer {
  const realtime = new RealtimeServer(
    services.auth,
    cluster.events,
    log,
    { ...DEFAULT_REALTIME_SETTINGS, ...settings },
    redis,
  );
  realtime.attach(httpServer);
  return realtime;
}
