import { inject, type InjectionKey } from 'vue';
import { ApiClient, type ApiClientOptions } from './client';
import type * as types from './types';

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
        client.post<types.LoginResponse>('/api/auth/login', { username, password }),
      me: () => client.get<types.UserView>('/api/auth/me'),
      changePassword: (currentPassword: string, newPassword: string) =>
        client.post<types.LoginResponse>('/api/auth/password', { currentPassword, newPassword }),
    },
    stations: {
      list: (filters: types.StationFilters & Paging = {}) =>
        client.get<types.Page<types.Station>>('/api/stations', { ...filters }),
      get: (chargePointId: string) => client.get<types.Station>(`/api/stations/${id(chargePointId)}`),
      /** `ocppPassword` absent: the server generates one (answered once); `null`: no password. */
      create: (body: types.NewStation) => client.post<types.CreatedStation>('/api/stations', body),
      update: (chargePointId: string, body: types.StationChanges) =>
        client.patch<types.Station>(`/api/stations/${id(chargePointId)}`, body),
      remove: (chargePointId: string) => client.delete(`/api/stations/${id(chargePointId)}`),
      approve: (chargePointId: string) =>
        client.post<types.Station>(`/api/stations/${id(chargePointId)}/approve`),
      onboarding: (chargePointId: string) =>
        client.get<types.Onboarding>(`/api/stations/${id(chargePointId)}/onboarding`),
      messages: (chargePointId: string, paging: Paging = {}) =>
        client.get<types.Page<types.OcppMessage>>(`/api/stations/${id(chargePointId)}/messages`, {
          ...paging,
        }),
      /** What the station reported and what the server recorded about it, newest first. */
      securityEvents: (chargePointId: string, paging: Paging = {}) =>
        client.get<types.Page<types.SecurityEvent>>(`/api/stations/${id(chargePointId)}/security-events`, {
          ...paging,
        }),
      /** The certificates the OCPP CA signed for the station, latest first. */
      certificates: (chargePointId: string, paging: Paging = {}) =>
        client.get<types.Page<types.StationCertificate>>(`/api/stations/${id(chargePointId)}/certificates`, {
          ...paging,
        }),
      revokeCertificate: (chargePointId: string, serialNumber: string) =>
        client.post<types.StationCertificate>(
          `/api/stations/${id(chargePointId)}/certificates/${id(serialNumber)}/revoke`,
        ),
      commandLog: (chargePointId: string, paging: Paging = {}) =>
        client.get<types.Page<types.CommandAudit>>(`/api/stations/${id(chargePointId)}/commands`, {
          ...paging,
        }),
      /** SendLocalList from the id tag table, the whole list or the changes since the last one. */
      sendLocalList: (chargePointId: string, updateType: types.LocalListRequest['updateType']) =>
        client.post<types.LocalListResult>(`/api/stations/${id(chargePointId)}/local-list`, { updateType }),
      /** The station's device model (1.6: its configuration keys, component "OCPP16"). */
      variables: (chargePointId: string, query: Paging & { component?: string } = {}) =>
        client.get<types.Page<types.StationVariable>>(`/api/stations/${id(chargePointId)}/variables`, {
          ...query,
        }),
      /** Changes variables (SetVariables, or ChangeConfiguration per key); one result per item. */
      setVariables: (chargePointId: string, changes: types.VariableChanges) =>
        client.patch<types.VariableResults>(`/api/stations/${id(chargePointId)}/variables`, changes),
      /** One of the operations every station offers (remote start, reset, ...), in its own OCPP version. */
      control: <O extends types.StationOperation>(
        chargePointId: string,
        operation: O,
        body: types.StationOperationBodies[O],
      ) => client.post<types.StationAnswer>(`/api/stations/${id(chargePointId)}/${operation}`, body),
      /** Sends a message of the station's own OCPP version (1.6 or 2.0.1 names); answers its response payload. */
      message: (chargePointId: string, action: string, payload: object) =>
        client.post<Record<string, unknown>>(
          `/api/stations/${id(chargePointId)}/commands/${id(action)}`,
          payload,
        ),
    },
    stats: {
      get: () => client.get<types.Stats>('/api/stats'),
    },
    sites: {
      list: () => client.get<types.Page<types.Site>>('/api/sites', { limit: 1000 }),
      create: (body: types.NewSite) => client.post<types.Site>('/api/sites', body),
      get: (siteId: number) => client.get<types.Site>(`/api/sites/${siteId}`),
      update: (siteId: number, body: types.SiteChanges) =>
        client.patch<types.Site>(`/api/sites/${siteId}`, body),
      load: (siteId: number) => client.get<types.SiteLoad>(`/api/sites/${siteId}/load`),
    },
    chargingProfiles: {
      list: (chargePointId: string) =>
        client.get<types.Page<types.StationChargingProfile>>(
          `/api/stations/${id(chargePointId)}/charging-profiles`,
        ),
      install: (chargePointId: string, body: types.NewChargingProfile) =>
        client.post<types.StationChargingProfile>(
          `/api/stations/${id(chargePointId)}/charging-profiles`,
          body,
        ),
      remove: (chargePointId: string, chargingProfileId: number) =>
        client.delete(`/api/stations/${id(chargePointId)}/charging-profiles/${chargingProfileId}`),
    },
    transactions: {
      list: (filters: types.TransactionFilters & Paging = {}) =>
        client.get<types.Page<types.Transaction>>('/api/transactions', { ...filters }),
      get: (transactionId: number) =>
        client.get<types.TransactionDetail>(`/api/transactions/${transactionId}`),
      csv: (filters: types.TransactionFilters) => client.download('/api/transactions.csv', { ...filters }),
      /** Closes a transaction whose station went silent, with the reason kept as stopReason. */
      close: (transactionId: number, reason: string) =>
        client.post<types.Transaction>(`/api/transactions/${transactionId}/close`, { reason }),
    },
    reservations: {
      list: (filters: { status?: types.ReservationStatus | ''; chargePointId?: string } & Paging = {}) =>
        client.get<types.Page<types.Reservation>>('/api/reservations', { ...filters }),
      create: (body: types.NewReservation) => client.post<types.Reservation>('/api/reservations', body),
      cancel: (reservationId: number) =>
        client.delete<types.Reservation>(`/api/reservations/${reservationId}`),
    },
    idTags: {
      list: (query: { search?: string } & Paging = {}) =>
        client.get<types.Page<types.IdTag>>('/api/id-tags', { ...query }),
      create: (idTag: string, fields: types.IdTagFields) =>
        client.post<types.IdTag>('/api/id-tags', { idTag, ...fields }),
      update: (idTag: string, fields: types.IdTagFields) =>
        client.patch<types.IdTag>(`/api/id-tags/${id(idTag)}`, fields),
      remove: (idTag: string) => client.delete(`/api/id-tags/${id(idTag)}`),
      importCsv: (csv: string) =>
        client.request<types.ImportReport>('POST', '/api/id-tags/import', {
          body: csv,
          contentType: 'text/csv',
        }),
    },
    users: {
      list: (paging: Paging = {}) => client.get<types.Page<types.User>>('/api/users', { ...paging }),
      create: (body: types.NewUser) => client.post<types.User>('/api/users', body),
      update: (userId: number, body: types.UserChanges) =>
        client.patch<types.User>(`/api/users/${userId}`, body),
      remove: (userId: number) => client.delete(`/api/users/${userId}`),
    },
    roles: {
      list: () => client.get<types.Page<types.Role>>('/api/roles', { limit: 1000 }),
      create: (body: types.NewRole) => client.post<types.Role>('/api/roles', body),
      update: (roleId: number, body: types.RoleChanges) =>
        client.patch<types.Role>(`/api/roles/${roleId}`, body),
      remove: (roleId: number) => client.delete(`/api/roles/${roleId}`),
      permissions: () => client.get<types.Page<types.PermissionInfo>>('/api/permissions', { limit: 1000 }),
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
