import { describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/databases.js';
import { useOcaStation } from '../support/oca-station.js';
import {
  at,
  sendChargingState,
  sendEvent,
  sendStatus,
  transactionEvent,
  type EventFields,
} from '../support/ocpp2-session.js';
import { useTestApp } from '../support/use-test-app.js';

/** A signed energy register (J01.FR.21, J02.FR.21), as a meter with data signing sends it. */
const signed = (value: number, context: string) => ({
  value,
  context,
  measurand: 'Energy.Active.Import.Register',
  signedMeterValue: {
    signedMeterData: 'T0NNRnx7IlJEIjpbeyJSViI6MX1dfQ==',
    signingMethod: 'ECDSA-secp256r1-SHA256',
    encodingMethod: 'OCMF',
    publicKey: 'MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE',
  },
});

/**
 * The OCA OCPP 2.0.1 CSMS test cases of blocks C (authorization), E (transactions) and J (meter
 * values) where the station leads: the test plays the OCTT's messages through a strict 2.0.1
 * station and checks the CSMS's answers (schema-checked by the station) and what it keeps.
 */
describe.each(DIALECTS)('OCA OCPP 2.0.1 CSMS test cases, blocks C E J, on %s', (dialect) => {
  const app = useTestApp(dialect, { env: { OCPP_UNKNOWN_STATIONS: 'accept' } });
  const { cs, request, connector, transaction } = useOcaStation(app, 'OCA-TX', [
    'VALID-1',
    'VALID-2',
    'GROUP-1',
    { idTag: 'MEMBER-1', parentIdTag: 'GROUP-1' },
    { idTag: 'MEMBER-2', parentIdTag: 'GROUP-1' },
    'MASTERPASS',
    { idTag: 'MASTER-CARD', parentIdTag: 'MASTERPASS' },
  ]);

  const authorize = async (idToken: string) =>
    ((await cs.call('Authorize', { idToken: { idToken, type: 'ISO14443' } })) as { idTokenInfo: object })
      .idTokenInfo;
  /** EnergyTransferStarted: a Started event of an authorized, charging transaction on `evseId`. */
  const charging = (tx: string, evseId: number, idToken = 'VALID-1', fields: EventFields = {}) =>
    sendEvent(cs, 'Started', tx, 0, { evseId, idToken, chargingState: 'Charging', ...fields });
  /** An Updated event: what happened, and the charging state it led to. */
  const updated = (tx: string, seqNo: number, triggerReason: string, chargingState: string) =>
    sendEvent(cs, 'Updated', tx, seqNo, { triggerReason, chargingState });
  /** EVDisconnected: the Ended event of a transaction. */
  const ended = (tx: string, seqNo: number, fields: EventFields = {}) =>
    sendEvent(cs, 'Ended', tx, seqNo, {
      triggerReason: 'EVCommunicationLost',
      stoppedReason: 'EVDisconnected',
      chargingState: 'Idle',
      ...fields,
    });
  const accepted = { status: 'Accepted' };

  describe('E: transactions', () => {
    it('TC_E_02_CSMS: Start transaction options - EnergyTransfer', async () => {
      expect(await authorize('VALID-1')).toEqual(accepted);
      await sendStatus(cs, 1, 'Occupied', at(0));
      const answer = await charging('TX-E02', 1, 'VALID-1', { triggerReason: 'ChargingStateChanged' });
      expect(answer.idTokenInfo).toEqual(accepted);
      expect(await connector(1)).toBe('Charging');
      expect(await transaction('TX-E02')).toMatchObject({
        idTag: 'VALID-1',
        connectorId: 1,
        status: 'active',
      });
      await ended('TX-E02', 1);
    });

    it('TC_E_10_CSMS: Start transaction options - Authorized - Local', async () => {
      expect(await authorize('VALID-1')).toEqual(accepted);
      const answer = await sendEvent(cs, 'Started', 'TX-E10', 0, { idToken: 'VALID-1' });
      expect(answer.idTokenInfo).toEqual(accepted);
      expect(await transaction('TX-E10')).toMatchObject({ idTag: 'VALID-1', status: 'active' });
      await ended('TX-E10', 1, { evseId: 1 });
    });

    it('TC_E_12_CSMS: Start transaction options - ParkingBayOccupied', async () => {
      const answer = await sendEvent(cs, 'Started', 'TX-E12', 0, { triggerReason: 'EVDetected' });
      expect(answer).toEqual({});
      expect(await transaction('TX-E12')).toMatchObject({ idTag: null, status: 'active' });
      await ended('TX-E12', 1, { evseId: 1, triggerReason: 'EVDeparted', stoppedReason: 'Local' });
    });

    it('TC_E_11_CSMS: Start transaction options - DataSigned', async () => {
      const answer = await sendEvent(cs, 'Started', 'TX-E11', 0, {
        evseId: 1,
        idToken: 'VALID-1',
        chargingState: 'SuspendedEVSE',
        triggerReason: 'SignedDataReceived',
        meterValue: [{ timestamp: at(10), sampledValue: [signed(1200, 'Transaction.Begin')] }],
      });
      expect(answer.idTokenInfo).toEqual(accepted);
      await sendChargingState(cs, 'TX-E11', 1, 'Charging');
      expect(await transaction('TX-E11')).toMatchObject({ meterStart: 1200, status: 'active' });
      await ended('TX-E11', 2);
    });

    it.each([
      ['TC_E_07_CSMS: Stop transaction options - PowerPathClosed - Local stop', 'StopAuthorized', 'Local'],
      [
        'TC_E_17_CSMS: Stop transaction options - Deauthorized - EV side disconnect',
        'EVCommunicationLost',
        'EVDisconnected',
      ],
      [
        'TC_E_20_CSMS: Stop transaction options - EVDisconnected - EV side (IEC 61851-1)',
        'EVCommunicationLost',
        'EVDisconnected',
      ],
      ['TC_E_39_CSMS: Stop transaction options - Deauthorized - timeout', 'EVConnectTimeout', 'Timeout'],
    ])('%s', async (title, triggerReason, stoppedReason) => {
      const tx = `TX-${title.slice(3, 7)}`;
      await charging(tx, 1);
      const answer = await ended(tx, 1, { triggerReason, stoppedReason, idToken: 'VALID-1' });
      expect(answer.idTokenInfo).toEqual(accepted);
      expect(await transaction(tx)).toMatchObject({ status: 'completed', stopReason: stoppedReason });
    });

    it('TC_E_08_CSMS: Stop transaction options - EnergyTransfer stopped - StopAuthorized', async () => {
      await charging('TX-E08', 1);
      const stop = await sendEvent(cs, 'Updated', 'TX-E08', 1, {
        triggerReason: 'StopAuthorized',
        idToken: 'VALID-1',
        chargingState: 'EVConnected',
      });
      expect(stop.idTokenInfo).toEqual(accepted);
      expect(await connector(1)).toBe('Preparing');
      await ended('TX-E08', 2, { triggerReason: 'ChargingStateChanged', stoppedReason: 'Local' });
      expect(await transaction('TX-E08')).toMatchObject({ status: 'completed', stopReason: 'Local' });
    });

    it('TC_E_19_CSMS: Stop transaction options - ParkingBayUnoccupied', async () => {
      await charging('TX-E19', 1);
      await updated('TX-E19', 1, 'EVCommunicationLost', 'Idle');
      await ended('TX-E19', 2, { triggerReason: 'EVDeparted', stoppedReason: 'Local' });
      expect(await transaction('TX-E19')).toMatchObject({ status: 'completed', stopReason: 'Local' });
    });

    it('TC_E_26_CSMS: Disconnect cable on EV-side - Suspend transaction', async () => {
      await charging('TX-E26', 1);
      await updated('TX-E26', 1, 'EVCommunicationLost', 'Idle');
      await updated('TX-E26', 2, 'CablePluggedIn', 'EVConnected');
      await updated('TX-E26', 3, 'ChargingStateChanged', 'Charging');
      expect(await transaction('TX-E26')).toMatchObject({ status: 'active' });
      expect(await connector(1)).toBe('Charging');
      await ended('TX-E26', 4);
    });

    it('TC_E_38_CSMS: Local start transaction - EV not ready', async () => {
      await sendEvent(cs, 'Started', 'TX-E38', 0, { evseId: 1, idToken: 'VALID-1' });
      await updated('TX-E38', 1, 'CablePluggedIn', 'EVConnected');
      await updated('TX-E38', 2, 'ChargingStateChanged', 'SuspendedEV');
      expect(await connector(1)).toBe('SuspendedEV');
      await ended('TX-E38', 3);
    });

    it('TC_E_53_CSMS: Reset Sequence Number - CSMS accepting seqNo = 0 at start of transaction', async () => {
      for (const tx of ['TX-E53-A', 'TX-E53-B']) {
        expect((await charging(tx, 1)).idTokenInfo).toEqual(accepted);
        await ended(tx, 1);
      }
      const [first, second] = [await transaction('TX-E53-A'), await transaction('TX-E53-B')];
      expect(first).toMatchObject({ status: 'completed' });
      expect(second).toMatchObject({ status: 'completed' });
      expect(second.transactionId).not.toBe(first.transactionId);
    });
  });

  describe('C: authorization', () => {
    it('TC_C_08_CSMS: Authorization through authorization cache - Accepted', async () => {
      await sendEvent(cs, 'Started', 'TX-C08', 0, { evseId: 1, triggerReason: 'EVDetected' });
      const answer = await sendEvent(cs, 'Updated', 'TX-C08', 1, {
        triggerReason: 'Authorized',
        idToken: 'VALID-1',
      });
      expect(answer.idTokenInfo).toEqual(accepted);
      expect(await transaction('TX-C08')).toMatchObject({ idTag: 'VALID-1' });
      await ended('TX-C08', 2);
    });

    it('TC_C_20_CSMS: Authorization through authorization cache - Invalid', async () => {
      await sendEvent(cs, 'Started', 'TX-C20', 0, { evseId: 1, triggerReason: 'EVDetected' });
      const answer = await sendEvent(cs, 'Updated', 'TX-C20', 1, {
        triggerReason: 'Authorized',
        idToken: 'UNKNOWN-9',
      });
      expect(answer.idTokenInfo).toEqual({ status: 'Invalid' });
      await ended('TX-C20', 2, { triggerReason: 'Deauthorized', stoppedReason: 'DeAuthorized' });
      expect(await transaction('TX-C20')).toMatchObject({ status: 'completed', stopReason: 'DeAuthorized' });
    });

    it.each([
      ['TC_C_40_CSMS: Authorization by GroupId - Success with Local Authorization List', false],
      ['TC_C_43_CSMS: Authorization by GroupId - Invalid status with Local Authorization List', true],
    ])('%s', async (title, authorizeFirst) => {
      const tx = `TX-${title.slice(3, 7)}`;
      const group = { status: 'Accepted', groupIdToken: { idToken: 'GROUP-1', type: 'ISO14443' } };
      expect((await charging(tx, 1, 'MEMBER-1', { triggerReason: 'Authorized' })).idTokenInfo).toEqual(group);
      if (authorizeFirst) expect(await authorize('MEMBER-2')).toEqual(group);
      const stop = await sendEvent(cs, 'Updated', tx, 1, {
        triggerReason: 'StopAuthorized',
        idToken: 'MEMBER-2',
      });
      expect(stop.idTokenInfo).toEqual(group);
      await ended(tx, 2);
      expect(await transaction(tx)).toMatchObject({ idTag: 'MEMBER-1', status: 'completed' });
    });

    it.each([
      [
        'TC_C_47_CSMS: Stop Transaction with a Master Pass - With UI - All transactions',
        [1, 2],
        'MASTER-CARD',
      ],
      [
        'TC_C_48_CSMS: Stop Transaction with a Master Pass - With UI - Specific transactions',
        [2],
        'MASTER-CARD',
      ],
      ['TC_C_49_CSMS: Stop Transaction with a Master Pass - Without UI', [1, 2], undefined],
    ])('%s', async (title, stopped, stopToken) => {
      const id = title.slice(3, 7);
      const tokens = ['VALID-1', 'VALID-2'];
      await charging(`TX-${id}-1`, 1, tokens[0]);
      await charging(`TX-${id}-2`, 2, tokens[1]);
      expect(await authorize('MASTER-CARD')).toEqual({
        status: 'Accepted',
        groupIdToken: { idToken: 'MASTERPASS', type: 'ISO14443' },
      });
      for (const evseId of stopped) {
        const idToken = stopToken ?? tokens[evseId - 1];
        const answer = await ended(`TX-${id}-${evseId}`, 1, { stoppedReason: 'MasterPass', idToken });
        expect(answer.idTokenInfo).toMatchObject({ status: 'Accepted' });
        expect(await transaction(`TX-${id}-${evseId}`)).toMatchObject({
          status: 'completed',
          stopReason: 'MasterPass',
        });
      }
      for (const evseId of [1, 2].filter((e) => !stopped.includes(e))) {
        expect(await transaction(`TX-${id}-${evseId}`)).toMatchObject({ status: 'active' });
        await ended(`TX-${id}-${evseId}`, 1);
      }
    });
  });

  describe('J: meter values', () => {
    const registers = async (tx: string) =>
      ((await transaction(tx)).meterValues as { value: number; context: string | null }[]).map((v) => [
        v.value,
        v.context,
      ]);

    it('TC_J_08_CSMS: Sampled Meter Values - Context Transaction.Begin - EVSE not known', async () => {
      await sendEvent(cs, 'Started', 'TX-J08', 0, {
        idToken: 'VALID-1',
        energy: [{ wh: 500, context: 'Transaction.Begin' }],
      });
      await sendEvent(cs, 'Updated', 'TX-J08', 1, {
        evseId: 1,
        triggerReason: 'CablePluggedIn',
        chargingState: 'Charging',
      });
      expect(await transaction('TX-J08')).toMatchObject({ meterStart: 500, connectorId: 1 });
      await ended('TX-J08', 2);
    });

    it('TC_J_09_CSMS: Sampled Meter Values - EventType Updated', async () => {
      await charging('TX-J09', 1, 'VALID-1', { energy: [{ wh: 0, context: 'Transaction.Begin' }] });
      await sendEvent(cs, 'Updated', 'TX-J09', 1, { energy: [{ wh: 250, context: 'Sample.Periodic' }] });
      await sendEvent(cs, 'Updated', 'TX-J09', 2, { energy: [{ wh: 600, context: 'Sample.Periodic' }] });
      expect(await registers('TX-J09')).toEqual([
        [0, 'Transaction.Begin'],
        [250, 'Sample.Periodic'],
        [600, 'Sample.Periodic'],
      ]);
      await ended('TX-J09', 3);
    });

    it('TC_J_10_CSMS: Sampled Meter Values - EventType Ended', async () => {
      await charging('TX-J10', 1);
      await ended('TX-J10', 1, {
        energy: [
          { wh: 900, context: 'Sample.Periodic' },
          { wh: 1000, context: 'Transaction.End' },
        ],
      });
      expect(await transaction('TX-J10')).toMatchObject({ status: 'completed', meterStop: 1000 });
    });

    it.each([
      ['TC_J_04_CSMS: Clock-aligned Meter Values - Signed', 'Sample.Clock'],
      ['TC_J_11_CSMS: Sampled Meter Values - Signed', 'Sample.Periodic'],
    ])('%s', async (title, context) => {
      const tx = `TX-${title.slice(3, 7)}`;
      await charging(tx, 1);
      const answer = await cs.call(
        'TransactionEvent',
        transactionEvent('Ended', tx, 1, {
          triggerReason: 'EVCommunicationLost',
          stoppedReason: 'EVDisconnected',
          meterValue: [
            { timestamp: at(30), sampledValue: [signed(2000, context), signed(2100, 'Transaction.End')] },
          ],
        }),
      );
      expect(answer).toBeDefined();
      expect(await transaction(tx)).toMatchObject({ status: 'completed', meterStop: 2100 });
      expect(await registers(tx)).toEqual([
        [2000, context],
        [2100, 'Transaction.End'],
      ]);
    });
  });

  it('keeps every transaction of the cases above apart, none left running', async () => {
    const { body } = await request('GET', '/api/transactions?chargePointId=OCA-TX&status=active');
    expect(body.items ?? body).toEqual([]);
  });
});
