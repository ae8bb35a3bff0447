import type { NodeInfo } from '../cluster/node-membership.js';
import type { FastifyInstance } from 'fastify';
import type { OcppLogRepository } from '../repositories/ocpp-log.repository.js';
import type { AuthService } from '../services/auth.service.js';
import type { ChargingProfileService } from '../services/charging-profile.service.js';
import type { LoadManager } from '../services/load-manager.js';
import type { CommandService } from '../services/command.service.js';
import type { IdTagService } from '../services/id-tag.service.js';
import type { LocalListService } from '../services/local-list.service.js';
import type { ReservationService } from '../services/reservation.service.js';
import type { RoleService } from '../services/role.service.js';
import type { SecurityEventService } from '../services/security-event.service.js';
import type { SiteService } from '../services/site.service.js';
import type { StationApprovalService } from '../services/station-approval.service.js';
import type { StationControlService } from '../services/station-control.service.js';
import type { StationVariablesService } from '../services/station-variables.service.js';
import type { StationService } from '../services/station.service.js';
import type { StatsService } from '../services/stats.service.js';
import type { TransactionHistoryService } from '../services/transaction-history.service.js';
import type { UserService } from '../services/user.service.js';
import { authRoutes } from './routes/auth.routes.js';
import { chargingProfileRoutes } from './routes/charging-profiles.routes.js';
import { idTagRoutes } from './routes/id-tags.routes.js';
import { localListRoutes } from './routes/local-list.routes.js';
import { reservationRoutes } from './routes/reservations.routes.js';
import { roleRoutes } from './routes/roles.routes.js';
import { siteRoutes } from './routes/sites.routes.js';
import { stationOnboardingRoutes } from './routes/station-onboarding.routes.js';
import { stationControlRoutes } from './routes/station-control.routes.js';
import { stationVariableRoutes } from './routes/station-variables.routes.js';
import type { CertificateService } from '../services/certificate.service.js';
import { stationSecurityRoutes } from './routes/station-security.routes.js';
import { stationRoutes } from './routes/stations.routes.js';
import { statsRoutes } from './routes/stats.routes.js';
import { systemRoutes } from './routes/system.routes.js';
import { transactionRoutes } from './routes/transactions.routes.js';
import { userRoutes } from './routes/users.routes.js';

/** What the REST routes call. */
export interface RouteServices {
  auth: AuthService;
  users: UserService;
  roles: RoleService;
  stations: StationService;
  commands: CommandService;
  control: StationControlService;
  approvals: StationApprovalService;
  variables: StationVariablesService;
  idTags: IdTagService;
  transactionHistory: TransactionHistoryService;
  reservations: ReservationService;
  sites: SiteService;
  stats: StatsService;
  localLists: LocalListService;
  securityEvents: SecurityEventService;
  certificates: CertificateService;
  chargingProfiles: ChargingProfileService;
  loadManager: LoadManager;
}

export interface RouteSettings {
  /** Resolves when the database (and Redis, when configured) answers; rejects otherwise. */
  checkReady: () => Promise<void>;
  /** The nodes alive now, for `GET /api/cluster`. */
  clusterNodes: () => Promise<NodeInfo[]>;
  /** The message log and command audit, read by the station routes. */
  ocppLog: OcppLogRepository;
  /** Seconds, for the onboarding values of a station. */
  heartbeatInterval: number;
}

/** Every REST route, one `register` line per group. */
export async function registerRoutes(
  server: FastifyInstance,
  services: RouteServices,
  { checkReady, clusterNodes, ocppLog, heartbeatInterval }: RouteSettings,
): Promise<void> {
  const { stations, commands } = services;
  await server.register(systemRoutes, { checkReady, clusterNodes });
  await server.register(authRoutes, { auth: services.auth });
  await server.register(userRoutes, { users: services.users });
  await server.register(roleRoutes, { roles: services.roles });
  await server.register(stationRoutes, {
    stations,
    approvals: services.approvals,
    commands,
    ocppLog,
    heartbeatInterval,
  });
  await server.register(idTagRoutes, { idTags: services.idTags });
  await server.register(transactionRoutes, { transactions: services.transactionHistory });
  await server.register(reservationRoutes, { reservations: services.reservations });
  await server.register(siteRoutes, { sites: services.sites, loads: services.loadManager });
  await server.register(statsRoutes, { stats: services.stats });
  await server.register(localListRoutes, { localLists: services.localLists });
  await server.register(stationOnboardingRoutes, { stations, heartbeatInterval });
  await server.register(stationSecurityRoutes, {
    securityEvents: services.securityEvents,
    certificates: services.certificates,
  });
  await server.register(stationControlRoutes, { control: services.control });
  await server.register(stationVariableRoutes, { variables: services.variables });
  await server.register(chargingProfileRoutes, { profiles: services.chargingProfiles });
}
