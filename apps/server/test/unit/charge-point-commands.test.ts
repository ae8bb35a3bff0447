import { describe, expect, it } from 'vitest';
import { COMMAND_PROTOCOLS } from '../../src/ocpp/commands.js';
import { v16Schemas, v201Schemas, v21Schemas, type SchemaValidator } from '../../src/ocpp/validation.js';
import type {
  ChargePointCommands,
  ChargingProfileInput,
  CommandChannel,
} from '../../src/services/charge-point-commands.js';
import { ANSWERS_2 } from '../support/station2-answers.js';

/** What an OCPP 1.6 charge point answers, schema-valid. */
const ANSWERS_16: Record<string, (params: Record<string, unknown>) => unknown> = {
  GetConfiguration: () => ({
    configurationKey: [{ key: 'HeartbeatInterval', readonly: false, value: '300' }],
  }),
  GetLocalListVersion: () => ({ listVersion: 3 }),
  UnlockConnector: () => ({ status: 'Unlocked' }),
  GetCompositeSchedule: () => ({ status: 'Rejected' }),
  ClearChargingProfile: () => ({ status: 'Accepted' }),
};

/**
 * A channel that checks every message against the official request schema of its protocol,
 * keeps it, and answers as a station would (the answer checked against the response schema).
 */
function channel(schemas: SchemaValidator, answers: Record<string, (params: never) => unknown>) {
  const sent: { action: string; payload: unknown }[] = [];
  const send: CommandChannel = async (action, payload) => {
    schemas.validate(`urn:${action}.req`, payload);
    sent.push({ action, payload });
    const answer = answers[action]?.(payload as never) ?? { status: 'Accepted' };
    schemas.validate(`urn:${action}.conf`, answer);
    return answer;
  };
  return { send, sent };
}

const PROFILE: ChargingProfileInput = {
  chargingProfileId: 7,
  stackLevel: 1,
  chargingProfilePurpose: 'ChargePointMaxProfile',
  chargingProfileKind: 'Absolute',
  chargingSchedule: {
    startSchedule: '2026-01-11T14:00:00.000Z',
    chargingRateUnit: 'W',
    chargingSchedulePeriod: [{ startPeriod: 0, limit: 11000, numberPhases: 3 }],
  },
};

/** Every operation of the port, each with inputs a service would give. */
async function useEveryOperation(commands: ChargePointCommands): Promise<void> {
  const idToken = { idTag: 'CARD-1', type: 'ISO15693' };
  const group = { idTag: 'FLEET', type: 'Central' };
  await commands.remoteStart({ connectorId: 1, idToken, group, remoteStartId: 5 });
  await commands.remoteStop({ transactionId: 12, ocppTransactionId: 'TX-12' });
  await commands.reset('Hard');
  await commands.unlock(2);
  await commands.changeAvailability(0, 'Inoperative');
  await commands.reserveNow({
    reservationId: 3,
    connectorId: 0,
    expiryDate: '2026-01-11T16:00:00.000Z',
    idToken,
    group,
  });
  await commands.cancelReservation(3);
  await commands.sendLocalList({
    listVersion: 2,
    updateType: 'Differential',
    entries: [
      { idToken, info: { status: 'Blocked', expiryDate: '2027-01-01T00:00:00.000Z', group } },
      { idToken: group },
    ],
  });
  await commands.getLocalListVersion();
  await commands.clearCache();
  await commands.trigger('BootNotification');
  await commands.trigger('StatusNotification', 2);
  await commands.getVariables([{ component: 'OCPP16', variable: 'HeartbeatInterval' }]);
  await commands.setVariables([{ component: 'OCPP16', variable: 'HeartbeatInterval', value: '60' }]);
  await commands.setChargingProfile(0, PROFILE);
  await commands.setChargingProfile(1, {
    ...PROFILE,
    chargingProfilePurpose: 'TxProfile',
    transaction: { transactionId: 12, ocppTransactionId: 'TX-12' },
  });
  await commands.clearChargingProfile({ connectorId: 1, chargingProfilePurpose: 'ChargePointMaxProfile' });
  await commands.getCompositeSchedule(1, 600, 'A');
}

describe('the command adapters', () => {
  it('send only schema-valid OCPP 1.6 messages, and read the answers', async () => {
    const { send, sent } = channel(v16Schemas, ANSWERS_16);
    const commands = COMMAND_PROTOCOLS['1.6'].commands(send);
    await useEveryOperation(commands);
    expect(sent.map((m) => m.action)).toEqual([
      'RemoteStartTransaction',
      'RemoteStopTransaction',
      'Reset',
      'UnlockConnector',
      'ChangeAvailability',
      'ReserveNow',
      'CancelReservation',
      'SendLocalList',
      'GetLocalListVersion',
      'ClearCache',
      'TriggerMessage',
      'TriggerMessage',
      'GetConfiguration',
      'ChangeConfiguration',
      'SetChargingProfile',
      'SetChargingProfile',
      'ClearChargingProfile',
      'GetCompositeSchedule',
    ]);
    expect(sent.find((m) => m.action === 'ReserveNow')?.payload).toEqual({
      connectorId: 0,
      expiryDate: '2026-01-11T16:00:00.000Z',
      idTag: 'CARD-1',
      reservationId: 3,
      parentIdTag: 'FLEET',
    });
    expect(sent[11]?.payload).toEqual({ requestedMessage: 'StatusNotification', connectorId: 2 });
    expect(sent[14]?.payload).toMatchObject({ connectorId: 0, csChargingProfiles: { chargingProfileId: 7 } });
    expect(sent[15]?.payload).toMatchObject({ csChargingProfiles: { transactionId: 12 } });
    expect(await commands.getLocalListVersion()).toBe(3);
  });

  it.each([
    ['2.0.1', v201Schemas],
    ['2.1', v21Schemas],
  ] as const)('send only schema-valid OCPP %s messages, and read the answers', async (version, schemas) => {
    const { send, sent } = channel(schemas, ANSWERS_2);
    const commands = COMMAND_PROTOCOLS[version].commands(send);
    await useEveryOperation(commands);
    expect(sent.map((m) => m.action)).toContain('RequestStartTransaction');
    const payload = (action: string, nth = 0) => sent.filter((m) => m.action === action)[nth]?.payload;
    expect(payload('RequestStopTransaction')).toEqual({ transactionId: 'TX-12' });
    expect(payload('TriggerMessage', 1)).toEqual({
      requestedMessage: 'StatusNotification',
      evse: { id: 2, connectorId: 1 },
    });
    expect(payload('ReserveNow')).toEqual({
      id: 3,
      expiryDateTime: '2026-01-11T16:00:00.000Z',
      idToken: { idToken: 'CARD-1', type: 'ISO15693' },
      groupIdToken: { idToken: 'FLEET', type: 'Central' },
    });
    expect(payload('SendLocalList')).toEqual({
      versionNumber: 2,
      updateType: 'Differential',
      localAuthorizationList: [
        {
          idToken: { idToken: 'CARD-1', type: 'ISO15693' },
          idTokenInfo: {
            status: 'Blocked',
            cacheExpiryDateTime: '2027-01-01T00:00:00.000Z',
            groupIdToken: { idToken: 'FLEET', type: 'Central' },
          },
        },
        { idToken: { idToken: 'FLEET', type: 'Central' } },
      ],
    });
    expect(payload('SetChargingProfile')).toEqual({
      evseId: 0,
      chargingProfile: {
        id: 7,
        stackLevel: 1,
        chargingProfilePurpose: 'ChargingStationMaxProfile',
        chargingProfileKind: 'Absolute',
        chargingSchedule: [
          {
            id: 7,
            chargingRateUnit: 'W',
            startSchedule: '2026-01-11T14:00:00.000Z',
            chargingSchedulePeriod: [{ startPeriod: 0, limit: 11000, numberPhases: 3 }],
          },
        ],
      },
    });
    expect(payload('SetChargingProfile', 1)).toMatchObject({ chargingProfile: { transactionId: 'TX-12' } });
    expect(payload('ClearChargingProfile')).toEqual({
      chargingProfileCriteria: { evseId: 1, chargingProfilePurpose: 'ChargingStationMaxProfile' },
    });
    expect(payload('GetCompositeSchedule')).toEqual({ evseId: 1, duration: 600, chargingRateUnit: 'A' });
  });

  it('refuses, without sending, what a 2.x station cannot be told: a transaction it has no id of', async () => {
    const { send, sent } = channel(v201Schemas, ANSWERS_2);
    const commands = COMMAND_PROTOCOLS['2.0.1'].commands(send);
    await expect(commands.remoteStop({ transactionId: 9, ocppTransactionId: null })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(
      commands.setChargingProfile(1, {
        ...PROFILE,
        chargingProfilePurpose: 'TxProfile',
        transaction: { transactionId: 9, ocppTransactionId: null },
      }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(sent).toEqual([]);
  });

  const CHANGE = { profile: 3, csmsUrl: 'wss://csms.example.test/ocpp', messageTimeoutSeconds: 30 } as const;

  it('asks a 1.6 station for its CentralSystemRootCertificates and to change SecurityProfile', async () => {
    const { send, sent } = channel(v16Schemas, {
      GetInstalledCertificateIds: () => ({ status: 'NotFound' }),
    });
    const commands = COMMAND_PROTOCOLS['1.6'].commands(send);
    expect(await commands.countCsmsRootCertificates()).toBe(0);
    expect(await commands.changeSecurityProfile(CHANGE)).toEqual({
      step: 'ChangeConfiguration SecurityProfile',
      status: 'Accepted',
    });
    expect(sent).toEqual([
      { action: 'GetInstalledCertificateIds', payload: { certificateType: 'CentralSystemRootCertificate' } },
      { action: 'ChangeConfiguration', payload: { key: 'SecurityProfile', value: '3' } },
    ]);
  });

  it.each([
    ['2.0.1', v201Schemas, '0,3', 4, '4,0,3'],
    ['2.1', v21Schemas, '0', 1, '1,0'],
    ['2.0.1', v201Schemas, null, 1, '1'],
  ] as const)(
    'gives an OCPP %s station the new profile in a free slot and puts it first',
    async (version, schemas, priority, slot, order) => {
      const { send, sent } = channel(schemas, {
        ...ANSWERS_2,
        GetInstalledCertificateIds: () => ({
          status: 'Accepted',
          certificateHashDataChain: [
            {
              certificateType: 'CSMSRootCertificate',
              certificateHashData: {
                hashAlgorithm: 'SHA256',
                issuerNameHash: 'a'.repeat(64),
                issuerKeyHash: 'b'.repeat(64),
                serialNumber: '1',
              },
            },
          ],
        }),
        GetVariables: (params: { getVariableData: { component: object; variable: object }[] }) => ({
          getVariableResult: params.getVariableData.map((data) => ({
            ...data,
            attributeStatus: priority === null ? 'UnknownVariable' : 'Accepted',
            ...(priority !== null && { attributeValue: priority }),
          })),
        }),
      });
      const commands = COMMAND_PROTOCOLS[version].commands(send);
      expect(await commands.countCsmsRootCertificates()).toBe(1);
      expect(await commands.changeSecurityProfile(CHANGE)).toEqual({
        step: 'SetVariables OCPPCommCtrlr.NetworkConfigurationPriority',
        status: 'Accepted',
      });
      expect(sent.map((m) => m.action)).toEqual([
        'GetInstalledCertificateIds',
        'GetVariables',
        'SetNetworkProfile',
        'SetVariables',
      ]);
      expect(sent[0]?.payload).toEqual({ certificateType: ['CSMSRootCertificate'] });
      expect(sent[2]?.payload).toEqual({
        configurationSlot: slot,
        connectionData: {
          ocppVersion: 'OCPP20',
          ocppTransport: 'JSON',
          ocppCsmsUrl: CHANGE.csmsUrl,
          messageTimeout: 30,
          securityProfile: 3,
          ocppInterface: 'Wired0',
        },
      });
      expect(sent[3]?.payload).toMatchObject({ setVariableData: [{ attributeValue: order }] });
    },
  );
});
