import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import type { Config } from './config.js';
import { createClusterSeams, type ClusterSeams } from './cluster/index.js';
import type { EventBus } from './cluster/event-bus.js';
import { within } from './domain/deadline.js';
import { openInfrastructure } from './composition/infrastructure.js';
import { createRepositories } from './composition/repositories.js';
import { createServices } from './composition/services.js';
import { createOcppServer, createRealtimeServer } from './composition/transports.js';
import { startDatabase } from './composition/start.js';
import { systemClock, type Clock } from './domain/clock.js';
import { registerDashboard } from './http/dashboard.js';
import { registerRoutes } from './http/routes.js';
import { createHttpServer, registerHttpFoundation, stopAccepting } from './http/server.js';
import { guardUpgradeSockets, refuseUnknownUpgrades } from './http/upgrades.js';
import type { RealtimeSettings } from './realtime/io.js';
import type { DataTransferService } from './services/data-transfer.service.js';
import type { DeviceModelService } from './services/device-model.service.js';
import { argon2Hasher, type PasswordHasher } from './services/password-hasher.js';
import type { SetupResult } from './services/setup.service.js';

export interface AppOptions {
  logger: FastifyBaseLogger;
  /** Default: the system clock. */
  clock?: Clock;
  /** Default: argon2. */
  hasher?: PasswordHasher;
  /** The built dashboard to serve at `/` (`apps/web/dist`); unset serves none. */
  dashboardRoot?: string;
  /** Told the generated admin password, once, on the start that created the admin. */
  announceAdminPassword?: (password: string) => void;
  /** How often active reservations past their expiryDate are expired, in ms; default 15 000. */
  reservationExpiryIntervalMs?: number;
  /** How often certificates near their expiry are looked for, in ms; default one hour. */
  certificateRenewalIntervalMs?: number;
  /** Real-time limits other than the defaults (DEFAULT_REALTIME_SETTINGS), e.g. for tests. */
  realtimeSettings?: Partial<RealtimeSettings>;
}

export interface App {
  server: FastifyInstance;
  /** Domain events, for the real-time API and for tests that watch what happened. */
  events: EventBus;
  /** Where vendor-specific DataTransfer handlers are registered. */
  dataTransfer: DataTransferService;
  /** A station's device model as kept (tests read it; the REST routes come with v2cmds). */
  deviceModel: DeviceModelService;
  /** Resolves once the database is migrated and seeded; rejects on a non-transient failure. */
  databaseReady: Promise<SetupResult>;
}

/**
 * The composition root: the only place that picks concrete classes. Builds the whole server
 * without listening, so that tests can `inject()` or listen on port 0.
 */
export async function buildApp(config: Readonly<Config>, options: AppOptions): Promise<App> {
  const { logger: log, announceAdminPassword } = options;
  const clock = options.clock ?? systemClock;
  const hasher = options.hasher ?? argon2Hasher;
  const reservationExpiryIntervalMs = options.reservationExpiryIntervalMs ?? 15_000;
  const certificateRenewalIntervalMs = options.certificateRenewalIntervalMs ?? 3_600_000;

  const infrastructure = openInfrastructure(config, log);
  const { database, lifecycle, redis } = infrastructure;
  const cluster = createClusterSeams(redis, log, config.nodeId);
  const repositories = createRepositories(database.db);
  const services = createServices({
    config,
    clock,
    hasher,
    cluster,
    repositories,
    log,
    reservationExpiryIntervalMs,
    certificateRenewalIntervalMs,
  });

  const server = createHttpServer(config, log);
  const isDatabaseReady = () => lifecycle.isReady();
  const ocpp = createOcppServer(config, services, cluster, isDatabaseReady, log);
  const realtime = createRealtimeServer(
    server.server,
    services,
    cluster,
    redis,
    log,
    options.realtimeSettings,
  );
  const databaseReady = startDatabase({
    config,
    infrastructure,
    cluster,
    services,
    log,
    announceAdminPassword,
  });

  // Once serving and the database is set up; not at build time, so that whoever subscribed to
  // the events after buildApp also hears of the reservations that expired while it was down.
  server.addHook('onReady', async () => {
    void databaseReady.then(
      () => {
        services.reservationExpiry.start();
        services.certificateRenewal.start();
        services.chargingProfiles.start();
        services.loadManager.start();
      },
      () => undefined,
    );
  });
  // Graceful stop (CONTRACT section 6): take no new connections (the load balancer sends them to
  // another node), close the stations' sockets once their answers are out, then this node's
  // dashboards (after the stations' last events), and wait for the rest to end.
  server.addHook('preClose', async () => {
    const ended = stopAccepting(server.server);
    await ocpp.close({ handOver: await otherNodesAlive(cluster) });
    await realtime.close();
    await ended;
  });
  server.addHook('onClose', async () => {
    lifecycle.stop();
    await databaseReady.catch(() => undefined);
    await services.reservationExpiry.stop();
    await services.meterValueRetention.stop();
    await services.certificateRenewal.stop();
    services.chargingProfiles.stop();
    await services.loadManager.stop();
    await services.ocppLog.close();
    await repositories.meterValues.flush();
    await repositories.transactionEvents.flush();
    await repositories.stations.flush();
    await cluster.close();
    await infrastructure.close();
  });

  await registerHttpFoundation(
    server,
    { auth: services.auth, isDatabaseReady },
    { conflatedMeterValues: () => realtime.conflatedMeterValues },
  );
  await registerRoutes(server, services, {
    checkReady: infrastructure.checkReady,
    clusterNodes: () => cluster.membership.nodes(),
    ocppLog: repositories.ocppLog,
    heartbeatInterval: config.ocppHeartbeatInterval,
  });
  guardUpgradeSockets(server.server, log);
  ocpp.attach(server.server);
  refuseUnknownUpgrades(server.server);
  if (options.dashboardRoot !== undefined) await registerDashboard(server, options.dashboardRoot);

  return {
    server,
    databaseReady,
    events: cluster.events,
    dataTransfer: services.dataTransfer,
    deviceModel: services.deviceModel,
  };
}

/**
 * Whether another node is alive to take this one's stations as it stops (false without Redis,
 * or when Redis does not answer within 2 s: then the stations are recorded disconnected here).
 */
async function otherNodesAlive(cluster: ClusterSeams): Promise<boolean> {
  if (!cluster.shared) return false;
  const nodes = await within(cluster.membership.nodes(), 2_000, 'Redis').catch(() => []);
  return nodes.some((node) => node.nodeId !== cluster.membership.nodeId);
}
