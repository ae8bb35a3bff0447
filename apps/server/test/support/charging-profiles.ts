import { expect } from 'vitest';
import type { UsedTestApp } from './use-test-app.js';

/** A valid body of the charging profiles route (OCPP 1.6 SetChargingProfile.req), changed by `profile`. */
export function profileBody(connectorId: number, profile: Record<string, unknown> = {}) {
  return {
    connectorId,
    csChargingProfiles: {
      chargingProfileId: 7,
      stackLevel: 1,
      chargingProfilePurpose: 'TxDefaultProfile',
      chargingProfileKind: 'Absolute',
      chargingSchedule: {
        startSchedule: '2026-01-01T00:00:00.000Z',
        chargingRateUnit: 'A',
        chargingSchedulePeriod: [
          { startPeriod: 0, limit: 16 },
          { startPeriod: 3600, limit: 10.5 },
        ],
      },
      ...profile,
    },
  };
}

/** A request recorded by a test station: the action and its params. */
export interface ReceivedCall {
  action: string;
  params: Record<string, unknown>;
}

/**
 * The charging profiles route of one station as the tests call it: `post` a body (as the admin
 * unless `token` is given), `install` one the station is to accept (201, installed as given), the
 * profiles it `kept`, its composite `schedule` for a query string, and what the station was
 * `sent` of an action.
 */
export function profileRoute(app: UsedTestApp, chargePointId: string, received: readonly ReceivedCall[]) {
  const path = `/api/stations/${chargePointId}/charging-profiles`;
  const post = (payload: unknown, token = app.admin) => app.request('POST', path, { token, body: payload });
  return {
    path,
    post,
    install: async (payload: ReturnType<typeof profileBody>) => {
      const response = await post(payload);
      expect(response.status, response.text).toBe(201);
      expect(response.body).toEqual({
        chargingProfileId: payload.csChargingProfiles.chargingProfileId,
        connectorId: payload.connectorId,
        csChargingProfiles: payload.csChargingProfiles,
        status: 'installed',
      });
      return response;
    },
    kept: async () => (await app.request('GET', path, { token: app.admin })).body,
    schedule: (query: string) =>
      app.request('GET', `/api/stations/${chargePointId}/composite-schedule?${query}`, { token: app.admin }),
    sent: (action: string) => received.filter((r) => r.action === action),
  };
}
