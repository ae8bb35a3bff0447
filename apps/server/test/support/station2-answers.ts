import { V2_CSMS_ACTIONS, type V2CsmsAction } from '@cimorings/contracts';
import type { v201 } from '@cimorings/ocpp';
import type { TestChargePoint } from './ocpp-client.js';

/** A message a test station received from the server, in order. */
export interface Received {
  action: string;
  params: unknown;
}

type Answer = (params: never) => unknown;

/**
 * One SetVariableData entry of a SetVariables request (OCPP 2.0.1 B05): `variable` of `component`,
 * of the component on EVSE `evseId` when given, set to `attributeValue`.
 */
export function variableToSet(component: string, variable: string, attributeValue: string, evseId?: number) {
  return {
    component: evseId === undefined ? { name: component } : { name: component, evse: { id: evseId } },
    variable: { name: variable },
    attributeValue,
  };
}

/** What a cooperative 2.0.1 station answers other than a bare `{ status: 'Accepted' }`. */
const OTHER_ANSWERS_2: Partial<Record<V2CsmsAction, Answer>> = {
  ClearVariableMonitoring: (params: v201.ClearVariableMonitoringRequest) => ({
    clearMonitoringResult: params.id.map((id) => ({ id, status: 'Accepted' })),
  }),
  DataTransfer: () => ({ status: 'Accepted', data: 'pong' }),
  GetChargingProfiles: () => ({ status: 'NoProfiles' }),
  GetCompositeSchedule: (params: v201.GetCompositeScheduleRequest) => ({
    status: 'Accepted',
    schedule: {
      evseId: params.evseId,
      duration: params.duration,
      scheduleStart: '2026-01-11T14:30:00.000Z',
      chargingRateUnit: params.chargingRateUnit ?? 'A',
      chargingSchedulePeriod: [{ startPeriod: 0, limit: 16 }],
    },
  }),
  GetInstalledCertificateIds: () => ({ status: 'NotFound' }),
  GetLocalListVersion: () => ({ versionNumber: 0 }),
  GetLog: () => ({ status: 'Accepted', filename: 'station.log' }),
  GetTransactionStatus: () => ({ messagesInQueue: false }),
  GetVariables: (params: v201.GetVariablesRequest) => ({
    getVariableResult: params.getVariableData.map((data) => ({
      attributeStatus: 'Accepted',
      component: data.component,
      variable: data.variable,
      attributeValue: '42',
    })),
  }),
  SetVariableMonitoring: (params: v201.SetVariableMonitoringRequest) => ({
    setMonitoringResult: params.setMonitoringData.map((data) => ({
      status: 'Accepted',
      type: data.type,
      severity: data.severity,
      component: data.component,
      variable: data.variable,
    })),
  }),
  SetVariables: (params: v201.SetVariablesRequest) => ({
    setVariableResult: params.setVariableData.map((data) => ({
      attributeStatus: 'Accepted',
      component: data.component,
      variable: data.variable,
      ...(data.attributeType !== undefined && { attributeType: data.attributeType }),
    })),
  }),
  UnlockConnector: () => ({ status: 'Unlocked' }),
};

/**
 * Schema-valid OCPP 2.0.1 answers to every message a CSMS may send (the 30 of CONTRACT
 * section 7), as a cooperative station gives them: a bare Accepted unless OTHER_ANSWERS_2 says
 * otherwise. Tests override the few they need otherwise.
 */
export const ANSWERS_2: Record<string, Answer> = Object.fromEntries(
  V2_CSMS_ACTIONS.map((action) => [action, OTHER_ANSWERS_2[action] ?? (() => ({ status: 'Accepted' }))]),
);

/**
 * Handlers for a test station that record what it receives in `received` and answer with
 * `overrides[action]` as it is when the message arrives (tests may change it), else ANSWERS_2;
 * an answer may throw an RPC error, or never settle.
 */
export function recordingHandlers(
  received: Received[],
  overrides: Record<string, Answer> = {},
): Record<string, (params: unknown) => unknown> {
  return Object.fromEntries(
    Object.keys(ANSWERS_2).map((action) => [
      action,
      (params: unknown) => {
        received.push({ action, params });
        const answer = overrides[action] ?? ANSWERS_2[action];
        return answer?.(params as never);
      },
    ]),
  );
}

/** Has a 1.6 test charge point record each call it receives in `received` and answer it with `answer`. */
export function recordCalls(
  client: TestChargePoint,
  received: Received[],
  answer: (action: string, params: unknown) => unknown,
): void {
  client.handle(async ({ method, params }) => {
    received.push({ action: method ?? '', params });
    return answer(method ?? '', params) as Record<string, unknown>;
  });
}
