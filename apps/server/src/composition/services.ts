import type { FastifyBaseLogger } from 'fastify';
import type { ClusterSeams } from '../cluster/index.js';
import type { NodeMembership } from '../cluster/node-membership.js';
import type { Config } from '../config.js';
import type { Clock, Timers } from '../domain/clock.js';
import { KeyedRateLimit } from '../domain/keyed-rate-limit.js';
import { COMMAND_PROTOCOLS } from '../ocpp/commands.js';
import { AuthService } from '../services/auth.service.js';
import { ChargePointClock } from '../services/charge-point-clock.js';
import { ChargePointService } from '../services/charge-point.service.js';
import { isoNow } from '../domain/clock.js';
import { askCertificateRenewal } from '../ocpp/certificate-renewal.js';
import { SecurityProfileRaise } from '../services/security-profile-raise.js';
import type { ChargePointCommands } from '../services/charge-point-commands.js';
import { CertificateRenewal } from '../services/certificate-renewal.js';
import { CertificateIssuer } from '../services/certificate-issuer.js';
import { CertificateService } from '../services/certificate.service.js';
import { CommandAudit } from '../services/command-audit.js';
import { CommandCertificates } from '../services/command-certificates.js';
import { ChargingProfileService } from '../services/charging-profile.service.js';
import { CommandService } from '../services/command.service.js';
import { PeriodicTask } from '../services/periodic-task.js';
import { DataTransferService } from '../services/data-transfer.service.js';
import { DeviceModelService } from '../services/device-model.service.js';
import { IdTagService } from '../services/id-tag.service.js';
import { LoadManager } from '../services/load-manager.js';
import { SessionLimitSender } from '../services/session-limit-sender.js';
import { LocalListService } from '../services/local-list.service.js';
import {
  DEFAULT_RETENTION_BATCHING,
  MeterValueRetention,
} from '../services/meter-value-retention.service.js';
import {
  LOG_CHARS_PER_STATION_PER_MINUTE,
  LOG_CHARS_PER_UNACCEPTED_STATION_PER_MINUTE,
  OcppLogService,
} from '../services/ocpp-log.service.js';
import { PasswordGuard } from '../services/password-guard.js';
import type { PasswordHasher } from '../services/password-hasher.js';
import { ReservationExpiry, ReservationService } from '../services/reservation.service.js';
import { RoleService } from '../services/role.service.js';
import { SecurityEventService } from '../services/security-event.service.js';
import { SetupService } from '../services/setup.service.js';
import { StationAdmissionService } from '../services/station-admission.service.js';
import { StationAuthentication } from '../services/station-authentication.js';
import { SiteService } from '../services/site.service.js';
import { StationApprovalService } from '../services/station-approval.service.js';
import { StationControlService } from '../services/station-control.service.js';
import { StationVariablesService } from '../services/station-variables.service.js';
import { StationService } from '../services/station.service.js';
import { StatsService } from '../services/stats.service.js';
import { TokenService } from '../services/token.service.js';
import { TransactionHistoryService } from '../services/transaction-history.service.js';
import { TransactionService } from '../services/transaction.service.js';
import { UserService } from '../services/user.service.js';
import { loadFirmwareSigningCertificate, loadOcppCa } from './certificates.js';
import type { Repositories } from './repositories.js';
import { createTransactionEventService } from './transaction-events.js';

/** What the services are made from. */
export interface ServiceParts {
  config: Readonly<Config>;
  clock: Clock;
  /** Timers on the clock's time (the load manager's). */
  timers: Timers;
  hasher: PasswordHasher;
  cluster: ClusterSeams;
  repositories: Repositories;
  log: FastifyBaseLogger;
  /** How often active reservations past their expiryDate are expired, in ms. */
  reservationExpiryIntervalMs: number;
  /** How often certificates near their expiry are looked for, in ms. */
  certificateRenewalIntervalMs: number;
}

export type Services = ReturnType<typeof createServices>;

/** Refused upgrades stored per station a minute, past which they are not (anyone can cause them). */
const SERVER_SECURITY_EVENTS_PER_MINUTE = 30;
/** Certificates the OCPP CA signs per station a minute (a renewal needs one). */
const CERTIFICATES_PER_STATION_PER_MINUTE = 3;

/**
 * Load management: a session drawing less than its share may take 2 kW more than it draws
 * before the rest goes to others; limits within 0.2 kW of the one in force are not sent again.
 */
const LOAD_HEADROOM_KW = 2;
const LOAD_HYSTERESIS_KW = 0.2;

/** Every service, each given exactly what it uses. */
export function createServices(parts: ServiceParts) {
  const { config, clock, timers, hasher, cluster, repositories: repos, log } = parts;
  const { events, presence, router, throttle } = cluster;
  const tokens = new TokenService(config.jwtExpiresIn, clock);
  // The server's clock as OCPP services read it: with the one rule for charge point timestamps.
  const chargePointClock = new ChargePointClock(clock, repos.stations);
  const links = { presence, router, callTimeoutMs: config.ocppCallTimeoutMs };
  const profileRaise: SecurityProfileRaise = new SecurityProfileRaise(
    {
      hasCurrentCertificate: (stationId) => repos.certificates.hasCurrent(stationId, isoNow(clock)),
      countActiveTransactions: (chargePointId) => repos.stations.countActiveTransactions(chargePointId),
      claimPendingProfile: (chargePointId, from, target) =>
        repos.pendingProfiles.claim(chargePointId, from, target, isoNow(clock)),
      releasePendingProfile: (chargePointId, target) =>
        repos.pendingProfiles.release(chargePointId, target, isoNow(clock)),
      recordEvent: (stationId, { type, techInfo }) => {
        const now = isoNow(clock);
        return repos.securityEvents.add(stationId, { type, timestamp: now, techInfo, source: 'server' }, now);
      },
    },
    // The CommandService needs the StationService, which needs this: bound once both exist.
    async (actor, chargePointId): Promise<ChargePointCommands> =>
      (await commands.to(actor, chargePointId)).commands,
    {
      tls: config.tlsCertFile !== null || config.trustProxy.length > 0,
      clientCertificates: config.tlsClientCaFile !== null || config.tlsProxyClientCertHeader !== null,
      csmsUrl: config.ocppPublicUrl,
      messageTimeoutSeconds: Math.ceil(config.ocppCallTimeoutMs / 1000),
    },
    (error) => log.warn({ err: error }, 'Reset after a security profile raise failed'),
  );
  const stations = new StationService(
    repos.stations,
    hasher,
    { links, profiles: profileRaise },
    events,
    clock,
  );
  const commands = new CommandService(
    stations,
    links,
    new CommandAudit(repos.ocppLog, clock),
    COMMAND_PROTOCOLS,
    new CommandCertificates(loadFirmwareSigningCertificate(config)),
  );
  const deviceModel = new DeviceModelService(repos.stationVariables, repos.stations, commands, clock);
  const securityEvents = new SecurityEventService(
    repos.securityEvents,
    stations,
    chargePointClock,
    new KeyedRateLimit(SERVER_SECURITY_EVENTS_PER_MINUTE, () => clock.now().getTime()),
  );
  const issuer = new CertificateIssuer(
    loadOcppCa(config),
    {
      validityDays: config.ocppCertificateValidityDays,
      signings: new KeyedRateLimit(CERTIFICATES_PER_STATION_PER_MINUTE, () => clock.now().getTime()),
    },
    clock,
    (message) => log.warn(message),
  );
  const certificates = new CertificateService(issuer, repos.certificates, stations, securityEvents, clock);
  const renewal = new CertificateRenewal(
    repos.certificates,
    (chargePointId) => presence.get(chargePointId) !== undefined,
    askCertificateRenewal(repos.stations, router, config.ocppCallTimeoutMs),
    clock,
    { renewalDays: config.ocppCertificateRenewalDays },
  );
  const chargePointSettings = {
    unknownStations: config.ocppUnknownStations,
    heartbeatInterval: config.ocppHeartbeatInterval,
    pendingStationsMax: config.ocppPendingStationsMax,
  };
  const chargePoints = new ChargePointService(
    repos.stations,
    repos.connectors,
    events,
    chargePointClock,
    chargePointSettings,
  );
  return {
    tokens,
    auth: new AuthService(
      repos.users,
      { hasher, guard: new PasswordGuard(throttle, clock, 'login') },
      tokens,
      clock,
      events,
    ),
    setup: new SetupService(repos.users, repos.roles, repos.settings, hasher, clock),
    chargePoints,
    admission: new StationAdmissionService(
      repos.stations,
      new StationAuthentication(
        repos.stations,
        { hasher, guard: new PasswordGuard(throttle, clock, 'ocpp') },
        securityEvents,
        (fingerprint) => certificates.isRevoked(fingerprint),
        clock,
      ),
      new KeyedRateLimit(config.ocppNewStationsPerMinute, () => clock.now().getTime()),
      chargePointSettings,
    ),
    securityEvents,
    certificates,
    certificateRenewal: new PeriodicTask(
      () => renewal.askDue(),
      parts.certificateRenewalIntervalMs,
      (error) => log.error({ err: error }, 'certificate renewal failed'),
    ),
    transactions: new TransactionService(
      repos.transactions,
      repos.idTags,
      repos.reservations,
      events,
      chargePointClock,
    ),
    transactionEvents: createTransactionEventService(repos, chargePoints, events, chargePointClock),
    dataTransfer: new DataTransferService(),
    deviceModel,
    stations,
    commands,
    control: new StationControlService(commands, repos.transactions, repos.idTags),
    approvals: new StationApprovalService(stations, commands),
    variables: new StationVariablesService(commands, deviceModel),
    reservations: new ReservationService(repos.reservations, repos.idTags, commands, events, clock),
    // Within a minute of expiryDate, as the contract asks; at start too, for those that expired meanwhile.
    reservationExpiry: new ReservationExpiry(
      repos.reservations,
      events,
      clock,
      { intervalMs: parts.reservationExpiryIntervalMs },
      (error) => log.error({ err: error }, 'reservation expiry failed'),
    ),
    ocppLog: new OcppLogService(
      repos.ocppLog,
      clock,
      {
        retentionDays: config.ocppLogRetentionDays,
        flushIntervalMs: 200,
        charsPerStationPerMinute: LOG_CHARS_PER_STATION_PER_MINUTE,
        charsPerUnacceptedStationPerMinute: LOG_CHARS_PER_UNACCEPTED_STATION_PER_MINUTE,
      },
      (error) => log.error({ err: error }, 'OCPP message log write failed'),
    ),
    meterValueRetention: new MeterValueRetention(
      repos.meterValueRetention,
      clock,
      { retentionDays: config.meterValuesRetentionDays, ...DEFAULT_RETENTION_BATCHING },
      (error) => log.error({ err: error }, 'meter value retention failed'),
    ),
    users: new UserService(repos.users, { roles: repos.roles, sites: repos.sites }, hasher, events, clock),
    roles: new RoleService(repos.roles, repos.users, events, clock),
    idTags: new IdTagService(repos.idTags, repos.users, clock),
    transactionHistory: new TransactionHistoryService(repos.transactions, events, clock, {
      stuckAfterMinutes: config.transactionStuckAfterMinutes,
    }),
    sites: new SiteService(repos.sites, events, clock),
    stats: new StatsService(repos.stats, clock),
    localLists: new LocalListService(repos.stations, repos.idTags, commands, clock),
    chargingProfiles: new ChargingProfileService(repos.chargingProfiles, commands, events, clock, log),
    loadManager: new LoadManager(
      { loads: repos.loads, sites: repos.sites },
      new SessionLimitSender(commands, log, clock),
      { events, log, drives: () => drivesLoadManagement(cluster.membership) },
      { clock, timers },
      {
        intervalMs: config.loadManagementIntervalMs,
        headroomKw: LOAD_HEADROOM_KW,
        hysteresisKw: LOAD_HYSTERESIS_KW,
      },
    ),
  };
}

/**
 * Whether this node drives site load management: the alive node with the lowest NODE_ID does
 * (a node alone always does), so that one node sends the profiles. While membership changes (a
 * node starting or dying) two nodes may drive for a moment; their passes compute the same
 * limits from the same stored allocations.
 */
export async function drivesLoadManagement(membership: NodeMembership): Promise<boolean> {
  const [first] = (await membership.nodes()).map((node) => node.nodeId).sort();
  return first === undefined || first === membership.nodeId;
}
