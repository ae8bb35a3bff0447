import { beforeAll, describe, expect, it } from 'vitest';
import { createStation } from '../support/builders.js';
import { DIALECTS } from '../support/databases.js';
import { useOcaStation } from '../support/oca-station.js';
import { BOOT2, connectStation2 } from '../support/ocpp2-client.js';
import { at, sendEvent, sendStatus, transactionEvent, type EventFields } from '../support/ocpp2-session.js';
import { TX_DEFAULT_PROFILE_2 } from '../support/requests2.js';
import { recordingHandlers, type Received } from '../support/station2-answers.js';
import { useTestApp } from '../support/use-test-app.js';

const scheduled = () => ({ status: 'Scheduled' });

/**
 * The OCA OCPP 2.0.1 CSMS test cases of blocks B, C, E, F, G, H and K where the operator acts on
 * a station, often one with a transaction running: the operator's action is a REST call, the
 * station a strict 2.0.1 client that answers as the test case says and tells what follows.
 */
describe.each(DIALECTS)('OCA OCPP 2.0.1 CSMS test cases, operator control, on %s', (dialect) => {
  // Unknown stations wait for approval (TC_B_31_CSMS); the station of the other cases is known.
  const app = useTestApp(dialect);
  beforeAll(async () => {
    await createStation(app, app.admin, { chargePointId: 'OCA-CTL' });
    const cleared = await app.request('PATCH', '/api/stations/OCA-CTL', {
      token: app.admin,
      body: { ocppPassword: null },
    });
    expect(cleared.status, cleared.text).toBe(200);
  });
  const { cs, got, station, command, answering, exchange, last, connector, transaction } = useOcaStation(
    app,
    'OCA-CTL',
    ['VALID-1'],
  );

  /** EnergyTransferStarted on `evseId`, for the cases run during a transaction. */
  const charging = (tx: string, evseId = 1) =>
    sendEvent(cs, 'Started', tx, 0, { evseId, idToken: 'VALID-1', chargingState: 'Charging' });
  const ended = (tx: string, seqNo: number, fields: EventFields = {}) =>
    sendEvent(cs, 'Ended', tx, seqNo, { chargingState: 'Idle', stoppedReason: 'EVDisconnected', ...fields });
  /** The integer id clients use for the station's transaction `tx`. */
  const idOf = async (tx: string) => (await transaction(tx)).transactionId as number;

  describe('B: reset', () => {
    // OnIdle: the station answers Scheduled and resets once the transaction has ended as it
    // would; Immediate: it ends the transaction with ImmediateReset at once.
    it.each([
      [
        'TC_B_21_CSMS: Reset Charging Station - With Ongoing Transaction - OnIdle',
        'reset',
        { type: 'OnIdle' },
      ],
      [
        'TC_B_22_CSMS: Reset Charging Station - With Ongoing Transaction - Immediate',
        'reset',
        { type: 'Immediate' },
      ],
      [
        'TC_B_26_CSMS: Reset EVSE - With Ongoing Transaction - OnIdle',
        'Reset',
        { type: 'OnIdle', evseId: 1 },
      ],
      [
        'TC_B_27_CSMS: Reset EVSE - With Ongoing Transaction - Immediate',
        'Reset',
        { type: 'Immediate', evseId: 1 },
      ],
    ])('%s', async (title, route, params) => {
      const tx = `TX-${title.slice(3, 7)}`;
      const immediate = params.type === 'Immediate';
      await charging(tx);
      const reset = () =>
        route === 'reset'
          ? station('reset', { type: immediate ? 'Hard' : 'Soft' })
          : command('Reset', params);
      const response = await answering(
        'Reset',
        () => ({ status: immediate ? 'Accepted' : 'Scheduled' }),
        reset,
      );
      expect(response.body).toEqual({ status: immediate ? 'Accepted' : 'Scheduled' });
      expect(last()).toEqual({ action: 'Reset', params });
      const stoppedReason = immediate ? 'ImmediateReset' : 'EVDisconnected';
      await ended(tx, 1, {
        triggerReason: immediate ? 'ResetCommand' : 'EVCommunicationLost',
        stoppedReason,
      });
      expect(await transaction(tx)).toMatchObject({ status: 'completed', stopReason: stoppedReason });
    });

    it('TC_B_31_CSMS: Cold Boot Charging Station - Pending/Rejected - TriggerMessage', async () => {
      const received: Received[] = [];
      const pending = await connectStation2(app.url, 'OCA-PENDING', {
        handlers: recordingHandlers(received),
      });
      try {
        expect(await pending.call('BootNotification', BOOT2)).toMatchObject({ status: 'Pending' });
        const approved = await app.request('POST', '/api/stations/OCA-PENDING/approve', { token: app.admin });
        expect(approved.status, approved.text).toBe(200);
        await expect
          .poll(() => received.at(-1))
          .toEqual({ action: 'TriggerMessage', params: { requestedMessage: 'BootNotification' } });
        const again = await pending.call('BootNotification', { ...BOOT2, reason: 'Triggered' });
        expect(again).toMatchObject({ status: 'Accepted' });
        await pending.call('StatusNotification', {
          timestamp: at(0),
          connectorStatus: 'Available',
          evseId: 1,
          connectorId: 1,
        });
      } finally {
        await pending.close({ force: true });
      }
    });
  });

  describe('C: authorization cache', () => {
    it.each([
      ['TC_C_37_CSMS: Clear Authorization Data in Authorization Cache - Accepted', 'Accepted'],
      ['TC_C_38_CSMS: Clear Authorization Data in Authorization Cache - Rejected', 'Rejected'],
    ])('%s', async (_title, status) => {
      const response = await exchange('ClearCache', {}, { status });
      expect(response.body).toEqual({ status });
    });
  });

  describe('E: remote stop and transaction status', () => {
    it('TC_E_21_CSMS: Stop transaction options - StopAuthorized - Remote', async () => {
      await charging('TX-E21');
      const response = await station('remote-stop', { transactionId: await idOf('TX-E21') });
      expect(response.body).toEqual({ status: 'Accepted' });
      expect(last()).toEqual({ action: 'RequestStopTransaction', params: { transactionId: 'TX-E21' } });
      await ended('TX-E21', 1, { triggerReason: 'RemoteStop', stoppedReason: 'Remote' });
      expect(await transaction('TX-E21')).toMatchObject({ status: 'completed', stopReason: 'Remote' });
    });

    it.each([
      [
        'TC_E_29_CSMS: Check Transaction status - Transaction with id ongoing - with message in queue',
        true,
        true,
        true,
      ],
      [
        'TC_E_30_CSMS: Check Transaction status - Transaction with id ongoing - without message in queue',
        true,
        true,
        false,
      ],
      [
        'TC_E_31_CSMS: Check Transaction status - Transaction with id ended - with message in queue',
        true,
        false,
        true,
      ],
      [
        'TC_E_33_CSMS: Check Transaction status - Without transactionId - with message in queue',
        false,
        true,
        true,
      ],
      [
        'TC_E_34_CSMS: Check Transaction status - Without transactionId - without message in queue',
        false,
        true,
        false,
      ],
    ])('%s', async (title, withId, ongoing, messagesInQueue) => {
      const tx = `TX-${title.slice(3, 7)}`;
      await charging(tx);
      const status = { messagesInQueue, ...(withId && { ongoingIndicator: ongoing }) };
      const payload = withId ? { transactionId: tx } : {};
      const response = await exchange('GetTransactionStatus', payload, status);
      expect(response.body).toEqual(status);
      // What was queued arrives afterwards, flagged offline, and is kept.
      const queued = await cs.call('TransactionEvent', {
        ...transactionEvent('Ended', tx, 1, {
          stoppedReason: 'EVDisconnected',
          triggerReason: 'EVCommunicationLost',
        }),
        offline: messagesInQueue,
      });
      expect(queued).toBeDefined();
      expect(await transaction(tx)).toMatchObject({ status: 'completed', stopReason: 'EVDisconnected' });
    });
  });

  describe('F: remote control', () => {
    it('TC_F_04_CSMS: Remote start transaction - Remote start first - Cable plugin timeout', async () => {
      expect((await station('remote-start', { connectorId: 1, idTag: 'VALID-1' })).body).toEqual({
        status: 'Accepted',
      });
      const { remoteStartId } = last()?.params as { remoteStartId: number };
      const started = transactionEvent('Started', 'TX-F04', 0, {
        triggerReason: 'RemoteStart',
        idToken: 'VALID-1',
        evseId: 1,
      });
      const info = started.transactionInfo as Record<string, unknown>;
      await cs.call('TransactionEvent', { ...started, transactionInfo: { ...info, remoteStartId } });
      await sendEvent(cs, 'Updated', 'TX-F04', 1, { triggerReason: 'EVConnectTimeout' });
      await ended('TX-F04', 2, { triggerReason: 'EVConnectTimeout', stoppedReason: 'Timeout' });
      expect(await transaction('TX-F04')).toMatchObject({
        idTag: 'VALID-1',
        status: 'completed',
        stopReason: 'Timeout',
      });
    });

    it('TC_F_24_CSMS: Trigger message - StatusNotification - Specific EVSE - Occupied', async () => {
      await sendStatus(cs, 1, 'Occupied', at(1));
      const payload = { requestedMessage: 'StatusNotification', evse: { id: 1, connectorId: 1 } };
      expect((await exchange('TriggerMessage', payload)).body).toEqual({ status: 'Accepted' });
      await sendStatus(cs, 1, 'Occupied', at(2));
      expect(await connector(1)).toBe('Occupied');
      await sendStatus(cs, 1, 'Available', at(3));
    });
  });

  describe('G: availability', () => {
    it.each([
      ['TC_G_03_CSMS: Change Availability EVSE - Operative to inoperative', 1, 'Inoperative', 'Unavailable'],
      ['TC_G_04_CSMS: Change Availability EVSE - Inoperative to operative', 1, 'Operative', 'Available'],
      [
        'TC_G_05_CSMS: Change Availability Charging Station - Operative to inoperative',
        0,
        'Inoperative',
        'Unavailable',
      ],
      [
        'TC_G_06_CSMS: Change Availability Charging Station - Inoperative to operative',
        0,
        'Operative',
        'Available',
      ],
    ])('%s', async (_title, connectorId, type, reported) => {
      expect((await station('availability', { connectorId, type })).body).toEqual({ status: 'Accepted' });
      expect(last()).toEqual({
        action: 'ChangeAvailability',
        params: { operationalStatus: type, ...(connectorId > 0 && { evse: { id: connectorId } }) },
      });
      await sendStatus(cs, 1, reported, at(5));
      expect(await connector(1)).toBe(reported);
    });

    it.each([
      [
        'TC_G_07_CSMS: Change Availability Connector - Operative to inoperative',
        'Inoperative',
        'Unavailable',
      ],
      ['TC_G_08_CSMS: Change Availability Connector - Inoperative to operative', 'Operative', 'Available'],
    ])('%s', async (_title, operationalStatus, reported) => {
      const payload = { operationalStatus, evse: { id: 1, connectorId: 1 } };
      expect((await exchange('ChangeAvailability', payload)).body).toEqual({ status: 'Accepted' });
      await sendStatus(cs, 1, reported, at(6));
      expect(await connector(1)).toBe(reported);
    });

    it.each([
      [
        'TC_G_11_CSMS: Change Availability EVSE - With ongoing transaction',
        () => station('availability', { connectorId: 1, type: 'Inoperative' }),
      ],
      [
        'TC_G_14_CSMS: Change Availability Charging Station - With ongoing transaction',
        () => station('availability', { connectorId: 0, type: 'Inoperative' }),
      ],
      [
        'TC_G_17_CSMS: Change Availability Connector - With ongoing transaction',
        () =>
          command('ChangeAvailability', {
            operationalStatus: 'Inoperative',
            evse: { id: 1, connectorId: 1 },
          }),
      ],
    ])('%s', async (title, change) => {
      const tx = `TX-${title.slice(3, 7)}`;
      await charging(tx);
      expect((await answering('ChangeAvailability', scheduled, change)).body).toEqual({
        status: 'Scheduled',
      });
      await ended(tx, 1, { triggerReason: 'EVCommunicationLost' });
      await sendStatus(cs, 1, 'Unavailable', at(7));
      expect(await connector(1)).toBe('Unavailable');
      await station('availability', { connectorId: 0, type: 'Operative' });
      await sendStatus(cs, 1, 'Available', at(8));
    });
  });

  describe('H: reservation', () => {
    const expiryDateTime = () => new Date(Date.now() + 3_600_000).toISOString();

    it('TC_H_14_CSMS: Reserve an unspecified EVSE - Amount of EVSEs available equals the amount of reservations', async () => {
      const made = await app.request('POST', '/api/reservations', {
        token: app.admin,
        body: { chargePointId: 'OCA-CTL', connectorId: 0, idTag: 'VALID-1', expiryDate: expiryDateTime() },
      });
      expect(made.status, made.text).toBe(201);
      expect(last()?.action).toBe('ReserveNow');
      expect(last()?.params).not.toHaveProperty('evseId');
      expect(last()?.params).not.toHaveProperty('connectorType');
      await sendStatus(cs, 1, 'Reserved', at(9));
      expect(await connector(1)).toBe('Reserved');
      await app.request('DELETE', `/api/reservations/${made.body.reservationId}`, { token: app.admin });
      await sendStatus(cs, 1, 'Available', at(10));
    });

    it('TC_H_15_CSMS: Reserve a connector with a specific type - Success', async () => {
      const payload = {
        id: 15,
        expiryDateTime: expiryDateTime(),
        idToken: { idToken: 'VALID-1', type: 'ISO14443' },
        connectorType: 'cType2',
      };
      expect((await exchange('ReserveNow', payload)).body).toEqual({ status: 'Accepted' });
    });
  });

  describe('K: smart charging', () => {
    const profile = (changes: Record<string, unknown>, limit = 16) => ({
      ...TX_DEFAULT_PROFILE_2,
      chargingSchedule: [
        { ...TX_DEFAULT_PROFILE_2.chargingSchedule[0], chargingSchedulePeriod: [{ startPeriod: 0, limit }] },
      ],
      ...changes,
    });
    const sentProfiles = () => got.filter((m) => m.action === 'SetChargingProfile').map((m) => m.params);

    it.each([
      [
        'TC_K_04_CSMS: Replace charging profile - With chargingProfileId',
        [profile({ id: 40 }, 8), profile({ id: 40 }, 6)],
      ],
      [
        'TC_K_70_CSMS: Set Charging Profile - Multiple Profiles',
        [profile({ id: 70 }), profile({ id: 71, chargingProfilePurpose: 'ChargingStationMaxProfile' })],
      ],
    ])('%s', async (_title, profiles) => {
      const before = sentProfiles().length;
      for (const chargingProfile of profiles) {
        const evseId = chargingProfile.chargingProfilePurpose === 'ChargingStationMaxProfile' ? 0 : 1;
        expect((await command('SetChargingProfile', { evseId, chargingProfile })).body).toEqual({
          status: 'Accepted',
        });
      }
      expect(sentProfiles().slice(before)).toEqual(
        profiles.map((p) => expect.objectContaining({ chargingProfile: p })),
      );
    });

    it('TC_K_52_CSMS: Set / Update External Charging Limit - ChargingStationExternalConstraints in report', async () => {
      const payload = { requestId: 52, evseId: 1, chargingProfile: { chargingLimitSource: ['EMS'] } };
      const response = await exchange('GetChargingProfiles', payload, { status: 'Accepted' });
      expect(response.body).toEqual({ status: 'Accepted' });
      const external = profile({ id: 52, chargingProfilePurpose: 'ChargingStationExternalConstraints' });
      expect(
        await cs.call('ReportChargingProfiles', {
          requestId: 52,
          chargingLimitSource: 'EMS',
          evseId: 1,
          chargingProfile: [external],
        }),
      ).toEqual({});
    });

    it('TC_K_60_CSMS: Set Charging Profile - TxProfile with ongoing transaction on the specified EVSE', async () => {
      await charging('TX-K60');
      const chargingProfile = profile({
        id: 60,
        chargingProfilePurpose: 'TxProfile',
        transactionId: 'TX-K60',
      });
      const payload = { evseId: 1, chargingProfile };
      expect((await exchange('SetChargingProfile', payload)).body).toEqual({ status: 'Accepted' });
      await ended('TX-K60', 1, { triggerReason: 'EVCommunicationLost' });
    });

    it('TC_K_48_CSMS: Set / Update External Charging Limit (not on a transaction)', async () => {
      expect(
        await cs.call('NotifyChargingLimit', {
          chargingLimit: { chargingLimitSource: 'EMS', isGridCritical: false },
        }),
      ).toEqual({});
    });

    it('TC_K_50_CSMS: Reset / release external charging limit - Without ongoing transaction', async () => {
      expect(await cs.call('ClearedChargingLimit', { chargingLimitSource: 'EMS' })).toEqual({});
    });

    it('TC_K_51_CSMS: Reset / release external charging limit - With ongoing transaction', async () => {
      await charging('TX-K51');
      expect(await cs.call('ClearedChargingLimit', { chargingLimitSource: 'EMS', evseId: 1 })).toEqual({});
      await sendEvent(cs, 'Updated', 'TX-K51', 1, {
        triggerReason: 'ChargingRateChanged',
        chargingState: 'Charging',
      });
      expect(await transaction('TX-K51')).toMatchObject({ status: 'active' });
      await ended('TX-K51', 2, { triggerReason: 'EVCommunicationLost' });
    });
  });
});
