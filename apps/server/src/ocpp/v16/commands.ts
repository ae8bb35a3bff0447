import { CSMS_ACTIONS } from '@cimorings/contracts';
import type { v16 } from '@cimorings/ocpp';
import {
  OCPP16_COMPONENT,
  type ChargePointCommands,
  type CommandAnswer,
  type CommandChannel,
  type CommandProtocol,
  type VariableChange,
  type VariableReading,
  type VariableRef,
} from '../../services/charge-point-commands.js';
import { AppError } from '../../errors.js';
import { validateRequest } from '../command-validation.js';
import { v16Schemas } from '../validation.js';

/** Sends one OCPP 1.6 message; strict mode has checked the answer against its schema. */
function caller(send: CommandChannel) {
  return async <A extends v16.CentralSystemAction>(action: A, payload: v16.Request<A>) =>
    (await send(action, payload)) as v16.Response<A>;
}

/** The port over an OCPP 1.6 charge point (OCPP 1.6 section 5, the central system's messages). */
export function v16Commands(send: CommandChannel): ChargePointCommands {
  const call = caller(send);
  return {
    remoteStart: ({ connectorId, idToken }) =>
      call('RemoteStartTransaction', {
        idTag: idToken.idTag,
        ...(connectorId !== undefined && { connectorId }),
      }),
    remoteStop: ({ transactionId }) => call('RemoteStopTransaction', { transactionId }),
    reset: (kind) => call('Reset', { type: kind }),
    unlock: (connectorId) => call('UnlockConnector', { connectorId }),
    changeAvailability: (connectorId, type) => call('ChangeAvailability', { connectorId, type }),
    reserveNow: ({ reservationId, connectorId, expiryDate, idToken, group }) =>
      call('ReserveNow', {
        connectorId,
        expiryDate,
        idTag: idToken.idTag,
        reservationId,
        ...(group && { parentIdTag: group.idTag }),
      }),
    cancelReservation: (reservationId) => call('CancelReservation', { reservationId }),
    sendLocalList: ({ listVersion, updateType, entries }) =>
      call('SendLocalList', {
        listVersion,
        updateType,
        localAuthorizationList: entries.map(({ idToken, info }) => ({
          idTag: idToken.idTag,
          ...(info && {
            idTagInfo: {
              status: info.status as v16.AuthorizationStatus,
              ...(info.expiryDate !== undefined && { expiryDate: info.expiryDate }),
              ...(info.group && { parentIdTag: info.group.idTag }),
            },
          }),
        })),
      }),
    getLocalListVersion: async () => (await call('GetLocalListVersion', {})).listVersion,
    clearCache: () => call('ClearCache', {}),
    trigger: (requestedMessage, connectorId) =>
      call('TriggerMessage', { requestedMessage, ...(connectorId !== undefined && { connectorId }) }),
    getVariables: (refs) => getConfiguration(call, refs),
    setVariables: (changes) => changeConfiguration(call, changes),
    getBaseReport: () =>
      Promise.reject(
        new AppError('UNSUPPORTED_ACTION', 'OCPP 1.6 has no device model to report (GetBaseReport)'),
      ),
    setChargingProfile: (connectorId, { transaction, ...profile }) =>
      call('SetChargingProfile', {
        connectorId,
        csChargingProfiles: { ...profile, ...(transaction && { transactionId: transaction.transactionId }) },
      }),
    clearChargingProfile: ({ chargingProfileId, ...criteria }) =>
      call('ClearChargingProfile', {
        ...criteria,
        ...(chargingProfileId !== undefined && { id: chargingProfileId }),
      }),
    getCompositeSchedule: (connectorId, duration, chargingRateUnit) =>
      call('GetCompositeSchedule', { connectorId, duration, ...(chargingRateUnit && { chargingRateUnit }) }),
    countCsmsRootCertificates: async () =>
      (await call('GetInstalledCertificateIds', { certificateType: 'CentralSystemRootCertificate' }))
        .certificateHashData?.length ?? 0,
    // Security whitepaper §2.4 (OCTT TC_083_CSMS): the station keeps its URL; the profile is a key.
    changeSecurityProfile: async ({ profile }) => ({
      step: 'ChangeConfiguration SecurityProfile',
      status: (await call('ChangeConfiguration', { key: 'SecurityProfile', value: String(profile) })).status,
    }),
  };
}

/** GetConfiguration (§5.8): the keys asked for (all when none), as variables of component OCPP16. */
async function getConfiguration(
  call: ReturnType<typeof caller>,
  refs: readonly VariableRef[],
): Promise<VariableReading[]> {
  const keys = refs.filter((ref) => ref.component === OCPP16_COMPONENT).map((ref) => ref.variable);
  const foreign = refs.filter((ref) => ref.component !== OCPP16_COMPONENT);
  if (refs.length > 0 && keys.length === 0) return foreign.map((ref) => unknownVariable(ref));
  const answer = await call('GetConfiguration', keys.length > 0 ? { key: keys } : {});
  return [
    ...(answer.configurationKey ?? []).map((entry): VariableReading => ({
      component: OCPP16_COMPONENT,
      variable: entry.key,
      attributeType: 'Actual',
      value: entry.value ?? null,
      mutability: entry.readonly ? 'ReadOnly' : 'ReadWrite',
      attributeStatus: 'Accepted',
    })),
    ...(answer.unknownKey ?? []).map((key) =>
      unknownVariable({ component: OCPP16_COMPONENT, variable: key }),
    ),
    ...foreign.map((ref) => unknownVariable(ref)),
  ];
}

function unknownVariable(ref: VariableRef): VariableReading {
  return {
    ...ref,
    attributeType: ref.attributeType ?? 'Actual',
    value: null,
    mutability: null,
    attributeStatus: ref.component === OCPP16_COMPONENT ? 'UnknownVariable' : 'UnknownComponent',
  };
}

/**
 * ChangeConfiguration (§5.3), one key at a time and in order, since 1.6 changes one key per
 * message. A change of another component than OCPP16, or of another attribute than Actual, is
 * answered UnknownComponent / NotSupportedAttributeType without asking the charge point.
 * @throws AppError VALIDATION_ERROR before anything is sent when a key or value breaks the schema.
 */
async function changeConfiguration(call: ReturnType<typeof caller>, changes: readonly VariableChange[]) {
  // Every change is checked before the first is sent: a bad one further down refuses them all.
  for (const change of changes) {
    if (change.component === OCPP16_COMPONENT) {
      validateRequest(v16Schemas, 'ChangeConfiguration', { key: change.variable, value: change.value });
    }
  }
  const results = [];
  for (const change of changes) {
    const { value: _value, ...ref } = change;
    const attributeType = change.attributeType ?? 'Actual';
    let attributeStatus: string;
    if (change.component !== OCPP16_COMPONENT) attributeStatus = 'UnknownComponent';
    else if (attributeType !== 'Actual') attributeStatus = 'NotSupportedAttributeType';
    else
      attributeStatus = (await call('ChangeConfiguration', { key: change.variable, value: change.value }))
        .status;
    results.push({ ...ref, attributeType, attributeStatus });
  }
  return results;
}

/** The OCPP 1.6 command adapter. */
export const v16CommandProtocol: CommandProtocol = {
  actions: CSMS_ACTIONS,
  validate: (action, payload) => validateRequest(v16Schemas, action, payload),
  commands: v16Commands,
  acceptedPassword(action, payload, response) {
    const { key, value } = (payload ?? {}) as Partial<v16.Request<'ChangeConfiguration'>>;
    const { status } = (response ?? {}) as Partial<CommandAnswer>;
    // OCPP 1.6 security whitepaper: the accepted AuthorizationKey is the Basic auth password from then on.
    return action === 'ChangeConfiguration' && status === 'Accepted' && key === 'AuthorizationKey' && value
      ? value
      : null;
  },
};
