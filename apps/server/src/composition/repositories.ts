import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { CertificateRepository } from '../repositories/certificate.repository.js';
import { IdTagRepository } from '../repositories/id-tag.repository.js';
import { MeterValueRetentionRepository } from '../repositories/meter-value-retention.repository.js';
import { ChargingProfileRepository } from '../repositories/charging-profile.repository.js';
import { LoadRepository } from '../repositories/load.repository.js';
import { MeterValueRepository } from '../repositories/meter-value.repository.js';
import { PendingProfileRepository } from '../repositories/pending-profile.repository.js';
import { OcppLogRepository } from '../repositories/ocpp-log.repository.js';
import { ReservationRepository } from '../repositories/reservation.repository.js';
import { RoleRepository } from '../repositories/role.repository.js';
import { SecurityEventRepository } from '../repositories/security-event.repository.js';
import { SettingsRepository } from '../repositories/settings.repository.js';
import { SiteRepository } from '../repositories/site.repository.js';
import { StationRepository } from '../repositories/station.repository.js';
import { StationVariableRepository } from '../repositories/station-variable.repository.js';
import { StatsRepository } from '../repositories/stats.repository.js';
import { TransactionEventRepository } from '../repositories/transaction-event.repository.js';
import { TransactionRepository } from '../repositories/transaction.repository.js';
import { ConnectorRepository } from '../repositories/connector.repository.js';
import { UserRepository } from '../repositories/user.repository.js';

export interface Repositories {
  users: UserRepository;
  roles: RoleRepository;
  settings: SettingsRepository;
  sites: SiteRepository;
  stations: StationRepository;
  pendingProfiles: PendingProfileRepository;
  /** Partly written by group commit: flush before the database closes. */
  connectors: ConnectorRepository;
  idTags: IdTagRepository;
  /** Written by group commit: flush before the database closes. */
  meterValues: MeterValueRepository;
  meterValueRetention: MeterValueRetentionRepository;
  transactions: TransactionRepository;
  ocppLog: OcppLogRepository;
  reservations: ReservationRepository;
  stats: StatsRepository;
  securityEvents: SecurityEventRepository;
  stationVariables: StationVariableRepository;
  transactionEvents: TransactionEventRepository;
  certificates: CertificateRepository;
  chargingProfiles: ChargingProfileRepository;
  loads: LoadRepository;
}

export function createRepositories(db: Kysely<Database>): Repositories {
  const meterValues = new MeterValueRepository(db);
  return {
    users: new UserRepository(db),
    roles: new RoleRepository(db),
    settings: new SettingsRepository(db),
    sites: new SiteRepository(db),
    stations: new StationRepository(db),
    pendingProfiles: new PendingProfileRepository(db),
    connectors: new ConnectorRepository(db),
    idTags: new IdTagRepository(db),
    meterValues,
    meterValueRetention: new MeterValueRetentionRepository(db),
    transactions: new TransactionRepository(db, meterValues),
    ocppLog: new OcppLogRepository(db),
    reservations: new ReservationRepository(db),
    stats: new StatsRepository(db),
    securityEvents: new SecurityEventRepository(db),
    stationVariables: new StationVariableRepository(db),
    transactionEvents: new TransactionEventRepository(db),
    certificates: new CertificateRepository(db),
    chargingProfiles: new ChargingProfileRepository(db),
    loads: new LoadRepository(db),
  };
}
