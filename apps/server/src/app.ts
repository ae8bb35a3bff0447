import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import type { Config } from './config.js';
import { createClusterSeams } from './cluster/index.js';
import type { EventBus } from './cluster/event-bus.js';
import { openInfrastructure } from './composition/infrastructure.js';
import { createRepositories } from './composition/repositories.js';
import { createServices } from './composition/services.js';
import { createOcppServer, createRealtimeServer } from './composition/transports.js';
import { addLifecycleHooks } from './composition/lifecycle.js';
import { startDatabase } from './composition/start.js';
import { systemClock, systemTimers, type Clock, type Timers } from './domain/clock.js';
import { registerDashboard } from './http/dashboard.js';
import { registerRoutes } from './http/routes.js';
import { createHttpServer, registerHttpFoundation } from './http/server.js';
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
  /** Timers on the clock's time, for the load manager's (hysteresis, schedule windows, retries). Default: the real ones. */
  timers?: Timers;
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
    timers: options.timers ?? systemTimers,
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

  addLifecycleHooks(server, {
    infrastructure,
    cluster,
    repositories,
    services,
    ocpp,
    realtime,
    databaseReady,
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
