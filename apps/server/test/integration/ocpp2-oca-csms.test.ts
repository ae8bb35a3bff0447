import ocppRpc from 'ocpp-rpc';
import { describe, expect, it } from 'vitest';
import { createIdTags } from '../support/builders.js';
import { DIALECTS } from '../support/databases.js';
import { useOcaStation } from '../support/oca-station.js';
import { TX_DEFAULT_PROFILE_2 } from '../support/requests2.js';
import { variableToSet } from '../support/station2-answers.js';
import { useTestApp } from '../support/use-test-app.js';

/**
 * The CSMS-initiated test cases of the OCA OCPP 2.0.1 test case document (part 6) that need no
 * TLS, for blocks B (provisioning: variables, reports, reset), D (local authorization list),
 * F (remote control), H (reservation) and K (smart charging), each named by its test case id.
 * The operator's action is a REST call; the station is a strict 2.0.1 client that checks every
 * message against the official schema, and the test checks what the test case checks of it.
 */
describe.each(DIALECTS)('OCA OCPP 2.0.1 CSMS test cases, blocks B D F H K, on %s', (dialect) => {
  const app = useTestApp(dialect, { env: { OCPP_UNKNOWN_STATIONS: 'accept', OCPP_CALL_TIMEOUT_MS: '500' } });
  const { cs, request, station, command, answering, exchange, last } = useOcaStation(app, 'OCA-201');

  describe('D: local authorization list', () => {
    /** Sends the list through the REST route; checks the answer and the SendLocalList sent. */
    async function sendList(
      updateType: 'Full' | 'Differential',
      counts: { listVersion: number; updated?: number; removed?: number },
      localAuthorizationList?: unknown[],
    ) {
      const response = await station('local-list', { updateType });
      expect(response.body).toMatchObject({ status: 'Accepted', ...counts });
      expect(last()).toEqual({
        action: 'SendLocalList',
        params: {
          versionNumber: counts.listVersion,
          updateType,
          ...(localAuthorizationList && { localAuthorizationList }),
        },
      });
    }

    it('TC_D_04_CSMS sends a Full list without entries when the id tag table is empty', async () => {
      await sendList('Full', { listVersion: 1, updated: 0 });
    });

    it('TC_D_01_CSMS sends a Full list, every entry with its idTokenInfo and type', async () => {
      await createIdTags(
        app,
        app.admin,
        { idTag: '100000C01', type: 'Central' },
        { idTag: 'RFID-2', parentIdTag: '100000C01', status: 'Blocked' },
      );
      await sendList('Full', { listVersion: 2, updated: 2 }, [
        { idToken: { idToken: '100000C01', type: 'Central' }, idTokenInfo: { status: 'Accepted' } },
        {
          idToken: { idToken: 'RFID-2', type: 'ISO14443' },
          idTokenInfo: { status: 'Blocked', groupIdToken: { idToken: '100000C01', type: 'Central' } },
        },
      ]);
    });

    it('TC_D_02_CSMS sends a Differential update with a higher version and the changed entries', async () => {
      await createIdTags(app, app.admin, {
        idTag: 'NEW-3',
        type: 'KeyCode',
        expiryDate: '2030-01-01T00:00:00.000Z',
      });
      await sendList('Differential', { listVersion: 3, updated: 1 }, [
        {
          idToken: { idToken: 'NEW-3', type: 'KeyCode' },
          idTokenInfo: { status: 'Accepted', cacheExpiryDateTime: '2030-01-01T00:00:00.000Z' },
        },
      ]);
    });

    it('TC_D_03_CSMS removes a deleted tag with a Differential entry without idTokenInfo, of its type', async () => {
      expect((await request('DELETE', '/api/id-tags/NEW-3')).status).toBe(204);
      await sendList('Differential', { listVersion: 4, removed: 1 }, [
        { idToken: { idToken: 'NEW-3', type: 'KeyCode' } },
      ]);
    });

    it('TC_D_08_CSMS and TC_D_09_CSMS ask for the local list version and answer it', async () => {
      const listed = await answering(
        'GetLocalListVersion',
        () => ({ versionNumber: 4 }),
        () => command('GetLocalListVersion', {}),
      );
      expect(listed.body).toEqual({ versionNumber: 4 });
      expect((await command('GetLocalListVersion', {})).body).toEqual({ versionNumber: 0 });
    });
  });

  describe('F: remote control', () => {
    it('TC_F_01_CSMS to TC_F_03_CSMS send RequestStartTransaction with the configured idToken and a remoteStartId', async () => {
      const response = await station('remote-start', {
        connectorId: 1,
        idTag: '100000C01',
      });
      expect(response.body).toEqual({ status: 'Accepted' });
      expect(last()).toEqual({
        action: 'RequestStartTransaction',
        params: {
          idToken: { idToken: '100000C01', type: 'Central' },
          evseId: 1,
          remoteStartId: expect.any(Number),
        },
      });
    });

    it('TC_F_06_CSMS sends UnlockConnector with the evseId and connectorId and answers Unlocked', async () => {
      const response = await station('unlock', { connectorId: 1 });
      expect(response.body).toEqual({ status: 'Unlocked' });
      expect(last()).toEqual({ action: 'UnlockConnector', params: { evseId: 1, connectorId: 1 } });
    });

    it.each([
      ['TC_F_11_CSMS', { requestedMessage: 'MeterValues', evse: { id: 1 } }],
      ['TC_F_12_CSMS', { requestedMessage: 'MeterValues' }],
      ['TC_F_13_CSMS', { requestedMessage: 'TransactionEvent', evse: { id: 1 } }],
      ['TC_F_14_CSMS', { requestedMessage: 'TransactionEvent' }],
      ['TC_F_15_CSMS', { requestedMessage: 'LogStatusNotification' }],
      ['TC_F_18_CSMS', { requestedMessage: 'FirmwareStatusNotification' }],
      ['TC_F_20_CSMS', { requestedMessage: 'Heartbeat' }],
      ['TC_F_23_CSMS', { requestedMessage: 'StatusNotification', evse: { id: 1, connectorId: 1 } }],
    ])('%s sends TriggerMessage %j', async (_id, payload) => {
      const response = await exchange('TriggerMessage', payload);
      expect(response.body).toEqual({ status: 'Accepted' });
    });

    it('TC_F_27_CSMS answers the station’s NotImplemented for TriggerMessage with 502', async () => {
      const response = await answering(
        'TriggerMessage',
        () => {
          throw ocppRpc.createRPCError('NotImplemented', 'no triggers');
        },
        () => command('TriggerMessage', { requestedMessage: 'SignChargingStationCertificate' }),
      );
      expect(response.status).toBe(502);
      expect(response.body.error.details.ocppErrorCode).toBe('NotImplemented');
    });
  });

  describe('H: reservation', () => {
    const reserve = (connectorId: number, idTag = '100000C01') =>
      request('POST', '/api/reservations', {
        chargePointId: 'OCA-201',
        connectorId,
        idTag,
        expiryDate: new Date(Date.now() + 3_600_000).toISOString(),
      });

    it('TC_H_01_CSMS reserves a specific EVSE with the idToken', async () => {
      const response = await reserve(1);
      expect(response.status, response.text).toBe(201);
      expect(last()).toEqual({
        action: 'ReserveNow',
        params: {
          id: response.body.reservationId,
          expiryDateTime: response.body.expiryDate,
          idToken: { idToken: '100000C01', type: 'Central' },
          evseId: 1,
        },
      });
    });

    it('TC_H_08_CSMS reserves an unspecified EVSE: connector 0 sends no evseId', async () => {
      const response = await reserve(0);
      expect(response.status, response.text).toBe(201);
      expect(last()?.params).not.toHaveProperty('evseId');
    });

    it('TC_H_17_CSMS cancels a reservation with the reservationId of its ReserveNow', async () => {
      const made = await reserve(2);
      const cancelled = await request('DELETE', `/api/reservations/${made.body.reservationId}`);
      expect(cancelled.status, cancelled.text).toBe(200);
      expect(last()).toEqual({
        action: 'CancelReservation',
        params: { reservationId: made.body.reservationId },
      });
    });

    it('TC_H_19_CSMS reserves with the groupIdToken of the tag’s parent', async () => {
      const response = await reserve(1, 'RFID-2');
      expect(response.status, response.text).toBe(201);
      expect(last()?.params).toMatchObject({
        idToken: { idToken: 'RFID-2', type: 'ISO14443' },
        groupIdToken: { idToken: '100000C01', type: 'Central' },
      });
    });

    it.each([
      ['TC_H_07_CSMS', 'Expired', 'expired'],
      ['TC_H_20_CSMS', 'Removed', 'cancelled'],
    ])(
      '%s ends the reservation the station reports %s in a ReservationStatusUpdate',
      async (_id, update, status) => {
        const made = await reserve(1);
        expect(made.status, made.text).toBe(201);
        const { reservationId } = made.body;
        await cs.call('ReservationStatusUpdate', { reservationId, reservationUpdateStatus: update });
        const after = await app.request('GET', `/api/reservations/${reservationId}`, { token: app.admin });
        expect(after.body).toMatchObject({ reservationId, status });
      },
    );

    it('TC_H_22_CSMS handles a Rejected ReserveNow: 409 RESERVATION_REFUSED, nothing active', async () => {
      const response = await answering(
        'ReserveNow',
        () => ({ status: 'Rejected' }),
        () => reserve(1),
      );
      expect(response.status).toBe(409);
      expect(response.body.error).toMatchObject({
        code: 'RESERVATION_REFUSED',
        details: { status: 'Rejected' },
      });
    });
  });

  describe('K: smart charging', () => {
    const profile = (changes: Record<string, unknown>) => ({ ...TX_DEFAULT_PROFILE_2, ...changes });

    it.each([
      ['TC_K_01_CSMS', { evseId: 1, chargingProfile: profile({}) }, 'Accepted'],
      [
        'TC_K_03_CSMS',
        { evseId: 0, chargingProfile: profile({ chargingProfilePurpose: 'ChargingStationMaxProfile' }) },
        'Accepted',
      ],
      ['TC_K_10_CSMS', { evseId: 0, chargingProfile: profile({ id: 12 }) }, 'Accepted'],
      [
        'TC_K_19_CSMS',
        {
          evseId: 1,
          chargingProfile: profile({ chargingProfileKind: 'Recurring', recurrencyKind: 'Daily' }),
        },
        'Accepted',
      ],
      [
        'TC_K_02_CSMS',
        {
          evseId: 1,
          chargingProfile: profile({ chargingProfilePurpose: 'TxProfile', chargingProfileKind: 'Relative' }),
        },
        'Rejected',
      ],
    ])('%s sends SetChargingProfile and answers the station’s %s', async (_id, payload, status) => {
      const response = await exchange('SetChargingProfile', payload, { status });
      expect(response.body).toEqual({ status });
    });

    it('TC_K_15_CSMS answers the station’s NotSupported CallError for SetChargingProfile with 502', async () => {
      const response = await answering(
        'SetChargingProfile',
        () => {
          throw ocppRpc.createRPCError('NotSupported', 'no smart charging');
        },
        () => command('SetChargingProfile', { evseId: 1, chargingProfile: profile({}) }),
      );
      expect(response.status).toBe(502);
      expect(response.body.error.details.ocppErrorCode).toBe('NotSupported');
    });

    it.each([
      ['TC_K_05_CSMS', { chargingProfileId: 11 }, 'Accepted'],
      [
        'TC_K_06_CSMS',
        { chargingProfileCriteria: { evseId: 1, chargingProfilePurpose: 'TxDefaultProfile', stackLevel: 0 } },
        'Accepted',
      ],
      [
        'TC_K_08_CSMS',
        { chargingProfileCriteria: { evseId: 1, chargingProfilePurpose: 'TxDefaultProfile', stackLevel: 0 } },
        'Unknown',
      ],
    ])('%s sends ClearChargingProfile and answers the station’s %s', async (_id, payload, status) => {
      const response = await exchange('ClearChargingProfile', payload, { status });
      expect(response.body).toEqual({ status });
    });

    it.each([
      [
        'TC_K_29_CSMS',
        { requestId: 29, evseId: 0, chargingProfile: { chargingProfilePurpose: 'TxProfile' } },
      ],
      [
        'TC_K_30_CSMS',
        { requestId: 30, evseId: 1, chargingProfile: { chargingProfilePurpose: 'TxDefaultProfile' } },
      ],
      ['TC_K_31_CSMS', { requestId: 31, chargingProfile: { chargingProfilePurpose: 'TxDefaultProfile' } }],
      ['TC_K_32_CSMS', { requestId: 32, chargingProfile: { chargingProfileId: [11] } }],
      ['TC_K_33_CSMS', { requestId: 33, evseId: 1, chargingProfile: { stackLevel: 0 } }],
      ['TC_K_34_CSMS', { requestId: 34, evseId: 1, chargingProfile: { chargingLimitSource: ['CSO'] } }],
      [
        'TC_K_35_CSMS',
        { requestId: 35, evseId: 1, chargingProfile: { chargingProfilePurpose: 'TxDefaultProfile' } },
      ],
      [
        'TC_K_36_CSMS',
        {
          requestId: 36,
          evseId: 1,
          chargingProfile: { chargingProfilePurpose: 'TxDefaultProfile', stackLevel: 0 },
        },
      ],
    ])('%s sends GetChargingProfiles with its criteria', async (_id, payload) => {
      const response = await exchange('GetChargingProfiles', payload, { status: 'Accepted' });
      expect(response.body).toEqual({ status: 'Accepted' });
    });

    it.each([
      ['TC_K_43_CSMS', 1],
      ['TC_K_44_CSMS', 0],
    ])('%s asks for the composite schedule of EVSE %i with duration and rate unit', async (_id, evseId) => {
      const payload = { evseId, duration: 300, chargingRateUnit: 'W' };
      const response = await exchange('GetCompositeSchedule', payload);
      expect(response.body).toMatchObject({ status: 'Accepted', schedule: { evseId, duration: 300 } });
    });

    it('TC_K_37_CSMS starts a transaction remotely with a TxProfile', async () => {
      const payload = {
        idToken: { idToken: '100000C01', type: 'Central' },
        remoteStartId: 37,
        evseId: 1,
        chargingProfile: profile({ chargingProfilePurpose: 'TxProfile', chargingProfileKind: 'Relative' }),
      };
      expect((await exchange('RequestStartTransaction', payload)).body).toEqual({ status: 'Accepted' });
    });
  });

  describe('B: provisioning, CSMS-initiated', () => {
    it('TC_B_06_CSMS gets a single variable', async () => {
      const payload = {
        getVariableData: [{ component: { name: 'OCPPCommCtrlr' }, variable: { name: 'OfflineThreshold' } }],
      };
      const response = await exchange('GetVariables', payload);
      expect(response.body.getVariableResult).toHaveLength(1);
    });

    it('TC_B_07_CSMS gets several variables in one request', async () => {
      const payload = {
        getVariableData: [
          { component: { name: 'OCPPCommCtrlr' }, variable: { name: 'OfflineThreshold' } },
          { component: { name: 'AuthCtrlr' }, variable: { name: 'AuthorizeRemoteStart' } },
        ],
      };
      expect((await command('GetVariables', payload)).body.getVariableResult).toHaveLength(2);
    });

    it('TC_B_09_CSMS and TC_B_10_CSMS set one and several variables, through the variables route', async () => {
      const single = await request('PATCH', '/api/stations/OCA-201/variables', [
        { component: 'OCPPCommCtrlr', variable: 'OfflineThreshold', value: '123' },
      ]);
      expect(single.body.results).toEqual([
        {
          component: 'OCPPCommCtrlr',
          variable: 'OfflineThreshold',
          attributeType: 'Actual',
          attributeStatus: 'Accepted',
        },
      ]);
      const several = await request('PATCH', '/api/stations/OCA-201/variables', [
        { component: 'OCPPCommCtrlr', variable: 'OfflineThreshold', value: '123' },
        { component: 'AuthCtrlr', variable: 'AuthorizeRemoteStart', value: 'false' },
      ]);
      expect(several.body.results).toHaveLength(2);
      expect(last()).toEqual({
        action: 'SetVariables',
        params: {
          setVariableData: [
            variableToSet('OCPPCommCtrlr', 'OfflineThreshold', '123'),
            variableToSet('AuthCtrlr', 'AuthorizeRemoteStart', 'false'),
          ],
        },
      });
    });

    it.each([
      ['TC_B_12_CSMS', 'ConfigurationInventory'],
      ['TC_B_13_CSMS', 'FullInventory'],
      ['TC_B_14_CSMS', 'SummaryInventory'],
    ])('%s sends GetBaseReport %s', async (_id, reportBase) => {
      const payload = { requestId: 12, reportBase };
      expect((await exchange('GetBaseReport', payload)).body).toEqual({ status: 'Accepted' });
    });

    it('TC_B_18_CSMS sends GetReport with componentCriteria and answers EmptyResultSet as the station does', async () => {
      const response = await answering(
        'GetReport',
        () => ({ status: 'EmptyResultSet' }),
        () => command('GetReport', { requestId: 18, componentCriteria: ['Problem'] }),
      );
      expect(response.body).toEqual({ status: 'EmptyResultSet' });
    });

    it('TC_B_20_CSMS resets the station OnIdle without an evseId', async () => {
      expect((await station('reset', { type: 'Soft' })).body).toEqual({
        status: 'Accepted',
      });
      expect(last()).toEqual({ action: 'Reset', params: { type: 'OnIdle' } });
    });

    it('TC_B_25_CSMS resets one EVSE through the commands endpoint', async () => {
      expect((await exchange('Reset', { type: 'OnIdle', evseId: 1 })).body).toEqual({ status: 'Accepted' });
    });

    it('TC_B_42_CSMS and TC_B_44_CSMS send SetNetworkProfile and answer Accepted or Failed', async () => {
      const payload = {
        configurationSlot: 1,
        connectionData: {
          ocppVersion: 'OCPP20',
          ocppTransport: 'JSON',
          ocppCsmsUrl: 'ws://csms.example/ocpp',
          messageTimeout: 30,
          securityProfile: 1,
          ocppInterface: 'Wired0',
        },
      };
      expect((await command('SetNetworkProfile', payload)).body).toEqual({ status: 'Accepted' });
      const failed = await answering(
        'SetNetworkProfile',
        () => ({ status: 'Failed' }),
        () => command('SetNetworkProfile', payload),
      );
      expect(failed.body).toEqual({ status: 'Failed' });
    });
  });
});
