import { V2_CSMS_ACTIONS } from '@cimorings/contracts';
import type { v201 } from '@cimorings/ocpp';
import type {
  ChargePointCommands,
  CommandChannel,
  CommandProtocol,
  IdTokenRef,
  SecurityProfileChange,
  SecurityProfileChangeAnswer,
  TokenInfo,
} from '../../services/charge-point-commands.js';
import { AppError } from '../../errors.js';
import { chargingProfileOf, clearRequestOf } from './charging-profiles.js';
import { validateRequest } from '../command-validation.js';
import { caller, getVariables, setVariables, type V2Call } from './variable-commands.js';
import { v201Schemas, v21Schemas } from '../validation.js';

function idTokenOf(ref: IdTokenRef): v201.IdTokenType {
  return { idToken: ref.idTag, type: ref.type as v201.IdTokenEnumType };
}

function tokenInfoOf(info: TokenInfo): v201.IdTokenInfoType {
  return {
    status: info.status as v201.AuthorizationStatusEnumType,
    ...(info.expiryDate !== undefined && { cacheExpiryDateTime: info.expiryDate }),
    ...(info.group && { groupIdToken: idTokenOf(info.group) }),
  };
}

export function v2Commands(send: CommandChannel): ChargePointCommands {
  const call = caller(send);
  return {
    // OCPP 2.0.1 F01: RequestStartTransaction, the station choosing the EVSE when none is given.
    remoteStart: ({ connectorId, idToken, group, remoteStartId }) =>
      call('RequestStartTransaction', {
        idToken: idTokenOf(idToken),
        remoteStartId,
        ...(connectorId !== undefined && connectorId > 0 && { evseId: connectorId }),
        ...(group && { groupIdToken: idTokenOf(group) }),
      }),
    // OCPP 2.0.1 F03: the station's own transaction id.
    remoteStop: async ({ transactionId, ocppTransactionId }) => {
      if (ocppTransactionId === null) {
        throw new AppError('NOT_FOUND', `Transaction ${transactionId} has no id of the station's`);
      }
      return call('RequestStopTransaction', { transactionId: ocppTransactionId });
    },
    // OCPP 2.0.1 B11/B12: Soft waits for the station to be idle, Hard does not.
    reset: (kind) => call('Reset', { type: kind === 'Soft' ? 'OnIdle' : 'Immediate' }),
    // OCPP 2.0.1 F05: one plug per EVSE as far as the station object knows.
    unlock: (connectorId) => call('UnlockConnector', { evseId: connectorId, connectorId: 1 }),
    // OCPP 2.0.1 G03/G04: no evse changes the whole station.
    changeAvailability: (connectorId, kind) =>
      call('ChangeAvailability', {
        operationalStatus: kind,
        ...(connectorId > 0 && { evse: { id: connectorId } }),
      }),
    // OCPP 2.0.1 H01: no evseId reserves any EVSE.
    reserveNow: ({ reservationId, connectorId, expiryDate, idToken, group }) =>
      call('ReserveNow', {
        id: reservationId,
        expiryDateTime: expiryDate,
        idToken: idTokenOf(idToken),
        ...(connectorId > 0 && { evseId: connectorId }),
        ...(group && { groupIdToken: idTokenOf(group) }),
      }),
    cancelReservation: (reservationId) => call('CancelReservation', { reservationId }),
    // OCPP 2.0.1 D01: the list, when not empty (the schema wants at least one entry).
    sendLocalList: ({ listVersion, updateType, entries }) => {
      const list = entries.map(({ idToken, info }) => ({
        idToken: idTokenOf(idToken),
        ...(info && { idTokenInfo: tokenInfoOf(info) }),
      }));
      const [first, ...rest] = list;
      return call('SendLocalList', {
        versionNumber: listVersion,
        updateType,
        ...(first && { localAuthorizationList: [first, ...rest] }),
      });
    },
    getLocalListVersion: async () => (await call('GetLocalListVersion', {})).versionNumber,
    clearCache: () => call('ClearCache', {}),
    // OCPP 2.0.1 F06.FR.13: a StatusNotification is asked for one connector of an EVSE.
    trigger: (requestedMessage, connectorId) =>
      call('TriggerMessage', {
        requestedMessage,
        ...(connectorId !== undefined &&
          connectorId > 0 && {
            evse: { id: connectorId, ...(requestedMessage === 'StatusNotification' && { connectorId: 1 }) },
          }),
      }),
    getVariables: (refs, limits) => getVariables(call, refs, limits),
    setVariables: (changes, limits, answered) => setVariables(call, changes, limits, answered),
    // OCPP 2.0.1 B07: the report itself arrives in NotifyReport parts.
    getBaseReport: (requestId, reportBase) => call('GetBaseReport', { requestId, reportBase }),
    // OCPP 2.0.1 K01, K10, K08.
    setChargingProfile: async (connectorId, profile) =>
      call('SetChargingProfile', { evseId: connectorId, chargingProfile: chargingProfileOf(profile) }),
    clearChargingProfile: (criteria) => call('ClearChargingProfile', clearRequestOf(criteria)),
    getCompositeSchedule: (connectorId, duration, chargingRateUnit) =>
      call('GetCompositeSchedule', {
        evseId: connectorId,
        duration,
        ...(chargingRateUnit && { chargingRateUnit }),
      }),
    countCsmsRootCertificates: async () => {
      const answer = await call('GetInstalledCertificateIds', { certificateType: ['CSMSRootCertificate'] });
      return answer.certificateHashDataChain?.length ?? 0;
    },
    changeSecurityProfile: (change) => changeSecurityProfile(call, change),
  };
}

/** The slots of OCPPCommCtrlr.NetworkConfigurationPriority (OCPP 2.0.1 B09), in order. */
const NETWORK_PRIORITY = { component: 'OCPPCommCtrlr', variable: 'NetworkConfigurationPriority' };

/**
 * OCPP 2.0.1 B09 with A05 (upgrade the security profile): the new connection profile goes into a
 * slot the station does not use, then that slot is put first in NetworkConfigurationPriority,
 * the slots it had staying behind it. The station takes it at its next boot (the Reset that
 * follows). 2.1 stations are sent ocppVersion OCPP20 too, which their schema allows.
 */
async function changeSecurityProfile(
  call: V2Call,
  { profile, csmsUrl, messageTimeoutSeconds }: SecurityProfileChange,
): Promise<SecurityProfileChangeAnswer> {
  const [reading] = await getVariables(call, [NETWORK_PRIORITY]);
  const slots = priorityOf(reading?.attributeStatus === 'Accepted' ? (reading.value ?? '') : '');
  const slot = slots === null ? NaN : Math.max(0, ...slots) + 1;
  const priority = [slot, ...(slots ?? [])].join(',');
  // A station's own list that cannot be kept behind the new slot (not slot numbers, a slot past
  // what a configurationSlot holds, a list longer than SetVariables takes): ask it nothing.
  if (!(slot <= MAX_SLOT) || priority.length > MAX_VARIABLE_VALUE) {
    return { step: 'GetVariables OCPPCommCtrlr.NetworkConfigurationPriority', status: 'Rejected' };
  }
  const set = await call('SetNetworkProfile', {
    configurationSlot: slot,
    connectionData: {
      ocppVersion: 'OCPP20',
      ocppTransport: 'JSON',
      ocppCsmsUrl: csmsUrl,
      messageTimeout: messageTimeoutSeconds,
      securityProfile: profile,
      ocppInterface: 'Wired0',
    },
  });
  if (set.status !== 'Accepted') return { step: `SetNetworkProfile (slot ${slot})`, status: set.status };
  const [stored] = await setVariables(call, [{ ...NETWORK_PRIORITY, value: priority }]);
  const status = stored?.attributeStatus ?? 'Rejected';
  // RebootRequired is an acceptance: the new order counts from the Reset on.
  return {
    step: 'SetVariables OCPPCommCtrlr.NetworkConfigurationPriority',
    status: status === 'RebootRequired' ? 'Accepted' : status,
  };
}

/** The highest configurationSlot we send (an int32 in the schema). */
const MAX_SLOT = 2 ** 31 - 1;
/** SetVariables' attributeValue holds at most 1,000 characters. */
const MAX_VARIABLE_VALUE = 1000;

/**
 * The slots of a NetworkConfigurationPriority value ('' or unread: none), each once, in order;
 * `null` when an entry is not a slot number.
 */
function priorityOf(value: string): number[] | null {
  const entries = value.split(',').filter((entry) => entry.trim() !== '');
  const slots = entries.map((entry) => (/^\s*\d{1,10}\s*$/.test(entry) ? Number(entry) : NaN));
  if (slots.some((slot) => !Number.isSafeInteger(slot) || slot > MAX_SLOT)) return null;
  return [...new Set(slots)];
}

/** The component and variable of the Basic auth password (OCPP 2.0.1 A01, SecurityCtrlr). */
const BASIC_AUTH_PASSWORD = { component: 'SecurityCtrlr', variable: 'BasicAuthPassword' };

/** The OCPP 2.0.1 / 2.1 command adapter, with the schemas of `subprotocol`. */
export function v2CommandProtocol(subprotocol: 'ocpp2.0.1' | 'ocpp2.1'): CommandProtocol {
  return {
    actions: V2_CSMS_ACTIONS,
    validate: (action, payload) =>
      validateRequest(subprotocol === 'ocpp2.1' ? v21Schemas : v201Schemas, action, payload),
    commands: v2Commands,
    acceptedPassword(action, payload, response) {
      if (action !== 'SetVariables') return null;
      const request = payload as v201.SetVariablesRequest;
      const results = (response as v201.SetVariablesResponse).setVariableResult;
      // OCPP 2.0.1 A01: the accepted BasicAuthPassword is the password from the next connection on.
      const sent = request.setVariableData.find(
        (item) =>
          item.component.name === BASIC_AUTH_PASSWORD.component &&
          item.variable.name === BASIC_AUTH_PASSWORD.variable &&
          (item.attributeType ?? 'Actual') === 'Actual',
      );
      const accepted = results.some(
        (result) =>
          result.component.name === BASIC_AUTH_PASSWORD.component &&
          result.variable.name === BASIC_AUTH_PASSWORD.variable &&
          result.attributeStatus === 'Accepted',
      );
      return sent && accepted ? sent.attributeValue : null;
    },
  };
}
