/**
 * The database as Kysely sees it: one interface a table, kept by area in `tables/`.
 * Both dialects read back the same JavaScript types (see `tables/columns.ts`).
 */
import type {
  PermissionsTable,
  RolePermissionsTable,
  RolesTable,
  UserRolesTable,
  UserSitesTable,
  UserStationsTable,
  UsersTable,
} from './tables/access.js';
import type {
  ChargingProfilesTable,
  ConnectorsTable,
  LoadAllocationsTable,
  SecurityEventsTable,
  SitesTable,
  StationCertificatesTable,
  StationVariablesTable,
  StationsTable,
} from './tables/stations.js';
import type { CommandsTable, OcppMessagesTable, SettingsTable } from './tables/system.js';
import type {
  IdTagDeletionsTable,
  IdTagsTable,
  MeterValueAggregatesTable,
  MeterValuesTable,
  ReservationsTable,
  TransactionCountsTable,
  TransactionEnergyDaysTable,
  TransactionEventsTable,
  TransactionsTable,
  UnmatchedStopsTable,
} from './tables/transactions.js';

export type { Flag, IsoTime } from './tables/columns.js';
export type * from './tables/access.js';
export type * from './tables/stations.js';
export type * from './tables/system.js';
export type * from './tables/transactions.js';

export interface Database {
  settings: SettingsTable;
  users: UsersTable;
  roles: RolesTable;
  permissions: PermissionsTable;
  role_permissions: RolePermissionsTable;
  user_roles: UserRolesTable;
  user_stations: UserStationsTable;
  user_sites: UserSitesTable;
  sites: SitesTable;
  stations: StationsTable;
  connectors: ConnectorsTable;
  id_tags: IdTagsTable;
  id_tag_deletions: IdTagDeletionsTable;
  transactions: TransactionsTable;
  transaction_counts: TransactionCountsTable;
  transaction_energy_days: TransactionEnergyDaysTable;
  unmatched_stops: UnmatchedStopsTable;
  meter_values: MeterValuesTable;
  meter_value_aggregates: MeterValueAggregatesTable;
  reservations: ReservationsTable;
  ocpp_messages: OcppMessagesTable;
  commands: CommandsTable;
  security_events: SecurityEventsTable;
  transaction_events: TransactionEventsTable;
  station_variables: StationVariablesTable;
  station_certificates: StationCertificatesTable;
  charging_profiles: ChargingProfilesTable;
  load_allocations: LoadAllocationsTable;
}
