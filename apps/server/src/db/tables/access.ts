/** Users, roles and their permissions, and the stations and sites a scoped user sees. */
import type { Generated } from 'kysely';
import type { Flag, IsoTime } from './columns.js';

export interface UsersTable {
  id: Generated<number>;
  username: string;
  password_hash: string;
  /** 0: the user is disabled and every token of theirs is refused. */
  active: Flag;
  /** 1: limited to the stations of user_stations and user_sites; 0: every station. */
  station_scoped: Flag;
  /** Raised when the password changes or the user is disabled: older tokens stop working. */
  token_version: number;
  created_at: IsoTime;
  updated_at: IsoTime;
}

export interface RolesTable {
  id: Generated<number>;
  name: string;
  description: string;
  built_in: Flag;
  created_at: IsoTime;
  updated_at: IsoTime;
}

export interface PermissionsTable {
  name: string;
  description: string;
}

export interface RolePermissionsTable {
  role_id: number;
  permission: string;
}

export interface UserRolesTable {
  user_id: number;
  role_id: number;
}

/** A scoped user's stations, by charge point id (the station need not exist yet). */
export interface UserStationsTable {
  user_id: number;
  charge_point_id: string;
}

export interface UserSitesTable {
  user_id: number;
  site_id: number;
}
