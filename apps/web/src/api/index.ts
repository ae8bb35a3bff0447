import { inject, type InjectionKey } from 'vue';
import { ApiClient, type ApiClientOptions } from './client';
import type {
  CommandAudit,
  CreatedStation,
  IdTag,
  IdTagFields,
  ImportReport,
  LocalListRequest,
  LocalListResult,
  LoginResponse,
  NewReservation,
  NewRole,
  NewChargingProfile,
  NewSite,
  NewStation,
  NewUser,
  OcppMessage,
  Onboarding,
  Page,
  PermissionInfo,
  Reservation,
  ReservationStatus,
  Role,
  RoleChanges,
  SecurityEvent,
  Site,
  SiteChanges,
  SiteLoad,
  Station,
  StationCertificate,
  StationChanges,
  StationAnswer,
  StationChargingProfile,
  StationFilters,
  StationOperation,
  StationOperationBodies,
  StationVariable,
  Stats,
  Transaction,
  TransactionDetail,
  TransactionFilters,
  User,
  UserChanges,
  UserView,
  VariableChanges,
  VariableResults,
} from './types';

export { ApiClient, ApiError } from './client';
export type * from './types';

export interface Paging {
  limit?: number;
  offset?: number;
}

const id = encodeURIComponent;

/** Every REST call of the dashboard, by area. */
export function createApi(client: ApiClient) {
  return {
    auth: {
      login: (username: string, password: string) =>
        client.post<LoginResponse>('/api/auth/login', { username, password }),
      me: () => client.get<UserView>('/api/auth/me'),
      changePassword: (currentPassword: string, newPassword: string) =>
        client.post<LoginResponse>('/api/auth/password', { currentPassword, newPassword }),
    },
    stations: {
      list: (filters: StationFilters & Paging = {}) =>
        client.get<Page<Station>>('/api/stations', { ...filters }),
      get: (chargePointId: string) => client.get<Station>(`/api/stations/${id(chargePointId)}`),
      /** `ocppPassword` absent: the server generates one (answered once); `null`: no password. */
      create: (body: NewStation) => client.post<CreatedStation>('/api/stations', body),
      update: (chargePointId: string, body: StationChanges) =>
        client.patch<Station>(`/api/stations/${id(chargePointId)}`, body),
      remove: (chargePointId: string) => client.delete(`/api/stations/${id(chargePointId)}`),
      approve: (chargePointId: string) => client.post<Station>(`/api/stations/${id(chargePointId)}/approve`),
      onboarding: (chargePointId: string) =>
        client.get<Onboarding>(`/api/stations/${id(chargePointId)}/onboarding`),
      messages: (chargePointId: string, paging: Paging = {}) =>
        client.get<Page<OcppMessage>>(`/api/stations/${id(chargePointId)}/messages`, { ...paging }),
      /** What the station reported and what the server recorded about it, newest first. */
      securityEvents: (chargePointId: string, paging: Paging = {}) =>
        client.get<Page<SecurityEvent>>(`/api/stations/${id(chargePointId)}/security-events`, { ...paging }),
      /** The certificates the OCPP CA signed for the station, latest first. */
      certificates: (chargePointId: string, paging: Paging = {}) =>
        client.get<Page<StationCertificate>>(`/api/stations/${id(chargePointId)}/certificates`, {
          ...paging,
        }),
      revokeCertificate: (chargePointId: string, serialNumber: string) =>
        client.post<StationCertificate>(
          `/api/stations/${id(chargePointId)}/certificates/${id(serialNumber)}/revoke`,
        ),
      commandLog: (chargePointId: string, paging: Paging = {}) =>
        client.get<Page<CommandAudit>>(`/api/stations/${id(chargePointId)}/commands`, { ...paging }),
      /** SendLocalList from the id tag table, the whole list or the changes since the last one. */
      sendLocalList: (chargePointId: string, updateType: LocalListRequest['updateType']) =>
        client.post<LocalListResult>(`/api/stations/${id(chargePointId)}/local-list`, { updateType }),
      /** The station's device model (1.6: its configuration keys, component "OCPP16"). */
      variables: (chargePointId: string, query: Paging & { component?: string } = {}) =>
        client.get<Page<StationVariable>>(`/api/stations/${id(chargePointId)}/variables`, { ...query }),
      /** Changes variables (SetVariables, or ChangeConfiguration per key); one result per item. */
      setVariables: (chargePointId: string, changes: VariableChanges) =>
        client.patch<VariableResults>(`/api/stations/${id(chargePointId)}/variables`, changes),
      /** One of the operations every station offers (remote start, reset, ...), in its own OCPP version. */
      control: <O extends StationOperation>(
        chargePointId: string,
        operation: O,
        body: StationOperationBodies[O],
      ) => client.post<StationAnswer>(`/api/stations/${id(chargePointId)}/${operation}`, body),
      /** Sends a message of the station's own OCPP version (1.6 or 2.0.1 names); answers its response payload. */
      message: (chargePointId: string, action: string, payload: object) =>
        client.post<Record<string, unknown>>(
          `/api/stations/${id(chargePointId)}/commands/${id(action)}`,
          payload,
        ),
    },
    stats: {
      get: () => client.get<Stats>('/api/stats'),
    },
    sites: {
      list: () => client.get<Page<Site>>('/api/sites', { limit: 1000 }),
      create: (body: NewSite) => client.post<Site>('/api/sites', body),
      get: (siteId: number) => client.get<Site>(`/api/sites/${siteId}`),
      update: (siteId: number, body: SiteChanges) => client.patch<Site>(`/api/sites/${siteId}`, body),
      load: (siteId: number) => client.get<SiteLoad>(`/api/sites/${siteId}/load`),
    },
    chargingProfiles: {
      list: (chargePointId: string) =>
        client.get<Page<StationChargingProfile>>(`/api/stations/${id(chargePointId)}/charging-profiles`),
      install: (chargePointId: string, body: NewChargingProfile) =>
        client.post<StationChargingProfile>(`/api/stations/${id(chargePointId)}/charging-profiles`, body),
      remove: (chargePointId: string, chargingProfileId: number) =>
        client.delete(`/api/stations/${id(chargePointId)}/charging-profiles/${chargingProfileId}`),
    },
    transactions: {
      list: (filters: TransactionFilters & Paging = {}) =>
        client.get<Page<Transaction>>('/api/transactions', { ...filters }),
      get: (transactionId: number) => client.get<TransactionDetail>(`/api/transactions/${transactionId}`),
      csv: (filters: TransactionFilters) => client.download('/api/transactions.csv', { ...filters }),
      /** Closes a transaction whose station went silent, with the reason kept as stopReason. */
      close: (transactionId: number, reason: string) =>
        client.post<Transaction>(`/api/transactions/${transactionId}/close`, { reason }),
    },
    reservations: {
      list: (filters: { status?: ReservationStatus | ''; chargePointId?: string } & Paging = {}) =>
        client.get<Page<Reservation>>('/api/reservations', { ...filters }),
      create: (body: NewReservation) => client.post<Reservation>('/api/reservations', body),
      cancel: (reservationId: number) => client.delete<Reservation>(`/api/reservations/${reservationId}`),
    },
    idTags: {
      list: (query: { search?: string } & Paging = {}) =>
        client.get<Page<IdTag>>('/api/id-tags', { ...query }),
      create: (idTag: string, fields: IdTagFields) =>
        client.post<IdTag>('/api/id-tags', { idTag, ...fields }),
      update: (idTag: string, fields: IdTagFields) =>
        client.patch<IdTag>(`/api/id-tags/${id(idTag)}`, fields),
      remove: (idTag: string) => client.delete(`/api/id-tags/${id(idTag)}`),
      importCsv: (csv: string) =>
        client.request<ImportReport>('POST', '/api/id-tags/import', { body: csv, contentType: 'text/csv' }),
    },
    users: {
      list: (paging: Paging = {}) => client.get<Page<User>>('/api/users', { ...paging }),
      create: (body: NewUser) => client.post<User>('/api/users', body),
      update: (userId: number, body: UserChanges) => client.patch<User>(`/api/users/${userId}`, body),
      remove: (userId: number) => client.delete(`/api/users/${userId}`),
    },
    roles: {
      list: () => client.get<Page<Role>>('/api/roles', { limit: 1000 }),
      create: (body: NewRole) => client.post<Role>('/api/roles', body),
      update: (roleId: number, body: RoleChanges) => client.patch<Role>(`/api/roles/${roleId}`, body),
      remove: (roleId: number) => client.delete(`/api/roles/${roleId}`),
      permissions: () => client.get<Page<PermissionInfo>>('/api/permissions', { limit: 1000 }),
    },
  };
}

export type Api = ReturnType<typeof createApi>;

/** The app's Api, provided once in main.ts (tests provide a fake). */
export const API_KEY: InjectionKey<Api> = Symbol('api');

/**
 * The provided Api. Call it where inject() works: a component's or composable's setup, or the
 * setup function of a store (Pinia runs it in the app's context).
 */
export function useApi(): Api {
  const api = inject(API_KEY, null);
  if (!api) throw new Error('No Api provided: app.provide(API_KEY, api) first');
  return api;
}

export function apiFor(options: ApiClientOptions): Api {
  return createApi(new ApiClient(options));
}
