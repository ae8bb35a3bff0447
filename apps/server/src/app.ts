import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import helmet from '@fastify/helmet';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Config } from './config.js';
import { MemoryLoginThrottle, type LoginThrottle } from './cluster/login-throttle.js';
import { RedisLoginThrottle } from './cluster/redis-login-throttle.js';
import { openDatabase } from './db/connect.js';
import { DatabaseLifecycle } from './db/lifecycle.js';
import { migrateToLatest } from './db/migrate.js';
import { systemClock, type Clock } from './domain/clock.js';
import { KeyedRateLimit } from './domain/keyed-rate-limit.js';
import { registerAccessControl } from './http/access.js';
import { clientAddressResolver } from './http/client-address.js';
import { buildRequestValidator } from './http/validation.js';
import { registerDashboard } from './http/dashboard.js';
import { answerFrameworkError, registerErrorHandler } from './http/error-handler.js';
import { guardUpgradeSockets, refuseUnknownUpgrades } from './http/upgrades.js';
import { registerMetrics } from './http/metrics.js';
import { authRoutes } from './http/routes/auth.routes.js';
import { idTagRoutes } from './http/routes/id-tags.routes.js';
import { stationRoutes } from './http/routes/stations.routes.js';
import { transactionRoutes } from './http/routes/transactions.routes.js';
import { reservationRoutes } from './http/routes/reservations.routes.js';
import { siteRoutes } from './http/routes/sites.routes.js';
import { stationOnboardingRoutes } from './http/routes/station-onboarding.routes.js';
import { localListRoutes } from './http/routes/local-list.routes.js';
import { statsRoutes } from './http/routes/stats.routes.js';
import { InMemoryEventBus, type EventBus } from './cluster/event-bus.js';
import { InMemoryStationPresence, type StationPresence } from './cluster/station-presence.js';
import { LocalCommandRouter, type CommandRouter } from './cluster/command-router.js';
import { NodeChannel } from './cluster/node-channel.js';
import { RedisCommandRouter } from './cluster/redis-command-router.js';
import { RedisStationPresence } from './cluster/redis-station-presence.js';
import { OcppServer } from './ocpp/server.js';
import { DEFAULT_REALTIME_SETTINGS, RealtimeServer, type RealtimeSettings } from './realtime/io.js';
import { validateV16Request } from './ocpp/validation.js';
import { StationRepository } from './repositories/station.repository.js';
import { IdTagRepository } from './repositories/id-tag.repository.js';
import { BatchedTransactionRepository } from './repositories/batched-transaction.repository.js';
import { OcppLogRepository } from './repositories/ocpp-log.repository.js';
import { ReservationRepository } from './repositories/reservation.repository.js';
import { SiteRepository } from './repositories/site.repository.js';
import { StatsRepository } from './repositories/stats.repository.js';
import { ChargePointClock } from './services/charge-point-clock.js';
import { ChargePointService } from './services/charge-point.service.js';
import { TransactionService } from './services/transaction.service.js';
import { TransactionHistoryService } from './services/transaction-history.service.js';
import { StationService } from './services/station.service.js';
import { CommandService } from './services/command.service.js';
import { DataTransferService } from './services/data-transfer.service.js';
import {
  LOG_CHARS_PER_STATION_PER_MINUTE,
  LOG_CHARS_PER_UNACCEPTED_STATION_PER_MINUTE,
  OcppLogService,
} from './services/ocpp-log.service.js';
import { IdTagService } from './services/id-tag.service.js';
import { ReservationExpiry, ReservationService } from './services/reservation.service.js';
import { SiteService } from './services/site.service.js';
import { LocalListService } from './services/local-list.service.js';
import { StatsService } from './services/stats.service.js';
import { roleRoutes } from './http/routes/roles.routes.js';
import { systemRoutes } from './http/routes/system.routes.js';
import { userRoutes } from './http/routes/users.routes.js';
import { ErrorSchema, RoleSchema, UserSchema } from './http/schemas.js';
import { RoleRepository } from './repositories/role.repository.js';
import { SettingsRepository } from './repositories/settings.repository.js';
import { UserRepository } from './repositories/user.repository.js';
import { AuthService } from './services/auth.service.js';
import { PasswordGuard } from './services/password-guard.js';
import { argon2Hasher, type PasswordHasher } from './services/password-hasher.js';
import { RoleService } from './services/role.service.js';
import { SetupService, type SetupResult } from './services/setup.service.js';
import { TokenService } from './services/token.service.js';
import { UserService } from './services/user.service.js';

export interface AppOptions {
  logger: FastifyBaseLogger;
  clock?: Clock;
  hasher?: PasswordHasher;
  /** The built dashboard to serve at `/` (`apps/web/dist`); unset serves none. */
  dashboardRoot?: string;
  /** Told the generated admin password, once, on the start that created the admin. */
  announceAdminPassword?: (password: string) => void;
  /** How often active reservations past their expiryDate are expired, in ms; default 15 000. */
  reservationExpiryIntervalMs?: number;
  /** Real-time limits other than the defaults (DEFAULT_REALTIME_SETTINGS), e.g. for tests. */
  realtimeSettings?: Partial<RealtimeSettings>;
}

export interface App {
  server: FastifyInstance;
  /** Domain events, for the real-time API and for tests that watch what happened. */
  events: EventBus;
  /** Where vendor-specific DataTransfer handlers are registered. */
  dataTransfer: DataTransferService;
  /** Resolves once the database is migrated and seeded; rejects on a non-transient failure. */
  databaseReady: Promise<SetupResult>;
}

/** A request id from the caller's `X-Request-Id` when it is sane, else a new one. */
function requestId(header: unknown): string {
  return typeof header === 'string' && /^[\w.:-]{1,64}$/.test(header) ? header : randomUUID();
}

/**
 * The composition root: the only place that picks concrete classes. Builds the whole server
 * without listening, so that tests can `inject()` or listen on port 0.
 */
export async function buildApp(config: Readonly<Config>, options: AppOptions): Promise<App> {
  const clock = options.clock ?? systemClock;
  const hasher = options.hasher ?? argon2Hasher;
  const log = options.logger;

  const server = Fastify({
    loggerInstance: log,
    // TRUST_PROXY (CONTRACT section 1): request.ip is the client behind the trusted proxies only.
    trustProxy: config.trustProxy.length > 0 ? [...config.trustProxy] : false,
    genReqId: (request) => requestId(request.headers['x-request-id']),
    schemaController: { compilersFactory: { buildValidator: buildRequestValidator } },
    frameworkErrors: answerFrameworkError,
  }).withTypeProvider<TypeBoxTypeProvider>();

  if (config.ocppUnknownStations === 'accept') {
    // Accepted unknown stations have no password: anyone can connect with any id and act as a station.
    log.warn(
      'OCPP_UNKNOWN_STATIONS=accept: any charge point that connects is registered and accepted without a ' +
        'password, so anyone who knows or guesses a station id can impersonate it; use pending for production',
    );
  }
  const database = openDatabase(config.database, (error) =>
    log.warn({ err: error }, 'database connection lost'),
  );
  const redis = config.redisUrl === null ? null : new Redis(config.redisUrl, { maxRetriesPerRequest: 2 });
  redis?.on('error', (error) => log.warn({ err: error }, 'redis error'));

  const users = new UserRepository(database.db);
  const roles = new RoleRepository(database.db);
  const settings = new SettingsRepository(database.db);
  const siteRepository = new SiteRepository(database.db);
  // Password guesses are counted where every node sees them; without Redis, in this process.
  const throttle: LoginThrottle = redis ? new RedisLoginThrottle(redis) : new MemoryLoginThrottle();
  const tokens = new TokenService(config.jwtExpiresIn, () => clock.now().getTime());
  const events = new InMemoryEventBus((error, event) =>
    log.error({ err: error, event: event.type }, 'event listener failed'),
  );
  const auth = new AuthService(
    users,
    hasher,
    tokens,
    new PasswordGuard(throttle, clock, 'login'),
    clock,
    events,
  );
  const setup = new SetupService(users, roles, settings, hasher, clock);
  const lifecycle = new DatabaseLifecycle(log);

  // Several nodes share Redis: stations are found, and commands delivered, through it.
  const clusterError = (error: unknown) => log.warn({ err: error }, 'cluster coordination failed');
  const channel = redis ? new NodeChannel(redis, clusterError) : null;
  const sharedPresence = redis && channel ? new RedisStationPresence(redis, channel, clusterError) : null;
  const presence: StationPresence = sharedPresence ?? new InMemoryStationPresence();
  const sharedRouter = sharedPresence && channel ? new RedisCommandRouter(sharedPresence, channel) : null;
  const router: CommandRouter = sharedRouter ?? new LocalCommandRouter(presence);
  const stationRepository = new StationRepository(database.db);
  const idTagRepository = new IdTagRepository(database.db);
  // Meter values by group commit: one write per event-loop turn, each answer once stored.
  const transactionRepository = new BatchedTransactionRepository(database.db);
  const ocppLogRepository = new OcppLogRepository(database.db);
  const reservationRepository = new ReservationRepository(database.db);
  const stationGuard = new PasswordGuard(throttle, clock, 'ocpp');
  // The server's clock as OCPP services read it: with the one rule for charge point timestamps.
  const chargePointClock = new ChargePointClock(clock, stationRepository);
  const chargePoints = new ChargePointService(
    stationRepository,
    hasher,
    stationGuard,
    events,
    chargePointClock,
    {
      unknownStations: config.ocppUnknownStations,
      heartbeatInterval: config.ocppHeartbeatInterval,
      pendingStationsMax: config.ocppPendingStationsMax,
    },
    new KeyedRateLimit(config.ocppNewStationsPerMinute, () => clock.now().getTime()),
  );
  const transactions = new TransactionService(
    transactionRepository,
    idTagRepository,
    reservationRepository,
    events,
    chargePointClock,
  );
  const stations = new StationService(
    stationRepository,
    transactionRepository,
    hasher,
    presence,
    router,
    events,
    clock,
    config.ocppCallTimeoutMs,
  );
  const commands = new CommandService(
    stations,
    router,
    ocppLogRepository,
    validateV16Request,
    clock,
    config.ocppCallTimeoutMs,
  );
  const reservations = new ReservationService(
    reservationRepository,
    stations,
    commands,
    idTagRepository,
    events,
    clock,
  );
  // Within a minute of expiryDate, as the contract asks; at start too, for those that expired meanwhile.
  const reservationExpiry = new ReservationExpiry(
    reservationRepository,
    events,
    clock,
    { intervalMs: options.reservationExpiryIntervalMs ?? 15_000 },
    (error) => log.error({ err: error }, 'reservation expiry failed'),
  );
  const dataTransfer = new DataTransferService();
  const ocppLog = new OcppLogService(
    ocppLogRepository,
    clock,
    {
      retentionDays: config.ocppLogRetentionDays,
      flushIntervalMs: 200,
      charsPerStationPerMinute: LOG_CHARS_PER_STATION_PER_MINUTE,
      charsPerUnacceptedStationPerMinute: LOG_CHARS_PER_UNACCEPTED_STATION_PER_MINUTE,
    },
    (error) => log.error({ err: error }, 'OCPP message log write failed'),
  );
  const ocpp = new OcppServer(
    chargePoints,
    { chargePoints, transactions, dataTransfer },
    presence,
    ocppLog,
    log,
    {
      heartbeatInterval: config.ocppHeartbeatInterval,
      pingIntervalMs: 30_000,
      // Often enough to notice silence within a minute of 2.5 intervals, as the contract asks.
      livenessCheckMs: Math.min(15_000, config.ocppHeartbeatInterval * 500),
      isDatabaseReady: () => lifecycle.isReady(),
      clientAddress: clientAddressResolver(config.trustProxy),
      bootTimeoutMs: config.ocppBootTimeout * 1000,
      maxFrameBytes: config.ocppMaxFrameBytes,
    },
  );
  const realtime = new RealtimeServer(
    server.server,
    auth,
    events,
    log,
    { ...DEFAULT_REALTIME_SETTINGS, ...options.realtimeSettings },
    redis,
  );

  const databaseReady = lifecycle.start(async () => {
    await channel?.whenReady();
    await migrateToLatest(database.db, database.dialect);
    const result = await setup.seed(config.adminPassword);
    tokens.useSecret(await setup.jwtSecret(config.jwtSecret));
    // One node alone knows that no station socket survived its restart; with several, others may hold some.
    if (redis === null) await chargePoints.resetConnections();
    ocppLog.startPruning();
    return result;
  });
  databaseReady.then(
    (result) => {
      log.info({ dialect: database.dialect, adminCreated: result.adminCreated }, 'database ready');
      if (result.generatedAdminPassword !== null) {
        options.announceAdminPassword?.(result.generatedAdminPassword);
      }
    },
    (error: unknown) => log.error({ err: error }, 'database set-up failed'),
  );

  // Once serving and the database is set up; not at build time, so that whoever subscribed to
  // the events after buildApp also hears of the reservations that expired while it was down.
  server.addHook('onReady', async () => {
    void databaseReady.then(
      () => reservationExpiry.start(),
      () => undefined,
    );
  });
  server.addHook('onSend', async (request, reply) => {
    void reply.header('x-request-id', request.id);
  });
  // Live connections first: the HTTP server cannot finish closing while sockets stay open.
  server.addHook('preClose', async () => {
    realtime.close();
    await ocpp.close();
  });
  server.addHook('onClose', async () => {
    lifecycle.stop();
    await databaseReady.catch(() => undefined);
    await reservationExpiry.stop();
    await ocppLog.close();
    await transactionRepository.flushMeterValues();
    sharedRouter?.close();
    await sharedPresence?.close();
    await channel?.close();
    await throttle.close();
    await database.close();
    await redis?.quit().catch(() => undefined);
  });

  await server.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        'img-src': ["'self'", 'data:', 'blob:'],
        'connect-src': ["'self'", 'ws:', 'wss:'],
        // The dashboard is often served over plain http on a site's own network; browsers would
        // otherwise rewrite its scripts and sockets to https and fail.
        'upgrade-insecure-requests': null,
      },
    },
  });
  registerErrorHandler(server);
  registerMetrics(server);
  registerAccessControl(server, { auth, isDatabaseReady: () => lifecycle.isReady() });

  server.addSchema(ErrorSchema);
  server.addSchema(UserSchema);
  server.addSchema(RoleSchema);
  await server.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'CIMORINGS API',
        description: 'Charging Integration Monitoring System: REST API of the CSMS',
        version: '0.1.0',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
    },
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => String(json.$id ?? `def-${i}`) },
  });
  await server.register(swaggerUi, { routePrefix: '/api/docs' });
  server.get('/api/docs/openapi.json', { schema: { hide: true } }, async () => server.swagger());

  await server.register(systemRoutes, {
    checkReady: async () => {
      if (!lifecycle.isReady()) throw new Error('database not set up yet');
      await database.ping();
      if (redis) await redis.ping();
    },
  });
  await server.register(authRoutes, { auth });
  await server.register(userRoutes, {
    users: new UserService(users, roles, siteRepository, hasher, events, clock),
  });
  await server.register(roleRoutes, { roles: new RoleService(roles, users, events, clock) });
  await server.register(stationRoutes, {
    stations,
    commands,
    ocppLog: ocppLogRepository,
    heartbeatInterval: config.ocppHeartbeatInterval,
  });
  await server.register(idTagRoutes, { idTags: new IdTagService(idTagRepository, users, clock) });
  await server.register(transactionRoutes, {
    transactions: new TransactionHistoryService(transactionRepository, events, clock, {
      stuckAfterMinutes: config.transactionStuckAfterMinutes,
    }),
  });
  await server.register(reservationRoutes, { reservations });
  await server.register(siteRoutes, { sites: new SiteService(siteRepository, clock) });
  await server.register(statsRoutes, { stats: new StatsService(new StatsRepository(database.db), clock) });
  await server.register(localListRoutes, {
    localLists: new LocalListService(stations, stationRepository, idTagRepository, commands, clock),
  });
  await server.register(stationOnboardingRoutes, {
    stations,
    heartbeatInterval: config.ocppHeartbeatInterval,
  });
  guardUpgradeSockets(server.server, log);
  ocpp.attach(server.server);
  refuseUnknownUpgrades(server.server);
  if (options.dashboardRoot !== undefined) await registerDashboard(server, options.dashboardRoot);

  return { server, databaseReady, events, dataTransfer };
}
