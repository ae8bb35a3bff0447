import type { v201 } from '@cimorings/ocpp';
import { describe, expect, it } from 'vitest';
import { acceptedV2Station } from './support/fixtures-v2.js';

describe.each(['2.0.1', '2.1'] as const)('an OCPP %s simulated charging station', (protocol) => {
  it('boots on the chosen subprotocol, reports every EVSE Available, then sends heartbeats', async () => {
    const { csms, cs } = await acceptedV2Station(protocol);
    expect(csms.protocols.get(cs.id)).toBe(`ocpp${protocol}`);
    const [boot] = csms.received('BootNotification');
    expect(boot).toMatchObject({
      reason: 'PowerUp',
      chargingStation: { vendorName: 'CIMORINGS', model: 'Simulator' },
    });
    await csms.waitForCalls('StatusNotification', 2);
    expect(
      csms.received('StatusNotification').map((s) => [s.evseId, s.connectorId, s.connectorStatus]),
    ).toEqual([
      [1, 1, 'Available'],
      [2, 1, 'Available'],
    ]);
    await csms.waitForCalls('Heartbeat', 1, 3000);
  });

  it('answers GetBaseReport with NotifyReport parts describing its device model', async () => {
    const { csms, cs } = await acceptedV2Station(protocol);
    expect(await csms.command(cs.id, 'GetBaseReport', { requestId: 7, reportBase: 'FullInventory' })).toEqual(
      {
        status: 'Accepted',
      },
    );
    const { parts, items } = await cs.waitFor('reportSent');
    const reports = csms.received('NotifyReport');
    expect(reports).toHaveLength(parts);
    expect(parts).toBeGreaterThan(1);
    expect(reports.map((r) => r.seqNo)).toEqual([...Array(parts).keys()]);
    expect(reports.map((r) => r.tbc ?? false)).toEqual([...Array(parts - 1).fill(true), false]);
    const data = reports.flatMap((r) => r.reportData ?? []);
    expect(data).toHaveLength(items);
    const components = new Set(data.map((d) => d.component.name));
    for (const name of [
      'SecurityCtrlr',
      'OCPPCommCtrlr',
      'TxCtrlr',
      'AuthCtrlr',
      'SampledDataCtrlr',
      'EVSE',
      'Connector',
    ])
      expect(components).toContain(name);
    const password = data.find((d) => d.variable.name === 'BasicAuthPassword');
    expect(password?.variableAttribute[0]).not.toHaveProperty('value');
    const evsePower = data.find(
      (d) => d.component.name === 'EVSE' && d.component.evse?.id === 2 && d.variable.name === 'Power',
    );
    expect(evsePower?.variableAttribute[0].value).toBe('360000');
    expect(
      await csms.command(cs.id, 'GetReport', {
        requestId: 8,
        componentVariable: [{ component: { name: 'Nope' } }],
      }),
    ).toEqual({
      status: 'EmptyResultSet',
    });
  });

  it('reads and changes its variables with GetVariables and SetVariables, refusing what does not fit', async () => {
    const { csms, cs } = await acceptedV2Station(protocol);
    const set = await csms.command(cs.id, 'SetVariables', {
      setVariableData: [
        {
          component: { name: 'OCPPCommCtrlr' },
          variable: { name: 'HeartbeatInterval' },
          attributeValue: '45',
        },
        {
          component: { name: 'OCPPCommCtrlr' },
          variable: { name: 'HeartbeatInterval' },
          attributeValue: 'soon',
        },
        { component: { name: 'ChargingStation' }, variable: { name: 'Model' }, attributeValue: 'X' },
        { component: { name: 'Toaster' }, variable: { name: 'Crumbs' }, attributeValue: '1' },
        { component: { name: 'TxCtrlr' }, variable: { name: 'Crumbs' }, attributeValue: '1' },
        {
          component: { name: 'TxCtrlr' },
          variable: { name: 'TxStopPoint' },
          attributeValue: 'Authorized,Moon',
        },
      ],
    });
    expect(set.setVariableResult.map((r) => r.attributeStatus)).toEqual([
      'Accepted',
      'Rejected',
      'Rejected',
      'UnknownComponent',
      'UnknownVariable',
      'Rejected',
    ]);
    const get = await csms.command(cs.id, 'GetVariables', {
      getVariableData: [
        { component: { name: 'OCPPCommCtrlr' }, variable: { name: 'HeartbeatInterval' } },
        { component: { name: 'SecurityCtrlr' }, variable: { name: 'BasicAuthPassword' } },
        { component: { name: 'EVSE', evse: { id: 1 } }, variable: { name: 'AvailabilityState' } },
        {
          component: { name: 'OCPPCommCtrlr' },
          variable: { name: 'HeartbeatInterval' },
          attributeType: 'Target',
        },
      ],
    });
    expect(get.getVariableResult.map((r) => [r.attributeStatus, r.attributeValue])).toEqual([
      ['Accepted', '45'],
      ['Rejected', undefined],
      ['Accepted', 'Available'],
      ['NotSupportedAttributeType', undefined],
    ]);
    expect(cs.deviceModel.integer('OCPPCommCtrlr', 'HeartbeatInterval')).toBe(45);
  });

  it('runs a transaction: Started with Transaction.Begin, Updated while charging, Ended with Transaction.End', async () => {
    const { csms, cs } = await acceptedV2Station(protocol);
    const result = await cs.startSession(1, 'TAG-1');
    expect(result).toMatchObject({ started: true });
    expect(cs.status(1)).toBe('Occupied');
    await cs.waitFor('meterValues');
    const stopped = await cs.stopSession(1);
    expect(stopped).toMatchObject({ delivered: true });
    expect(cs.status(1)).toBe('Available');
    expect(csms.received('Authorize')[0]?.idToken).toEqual({ idToken: 'TAG-1', type: 'ISO14443' });
    const events = csms.received('TransactionEvent');
    expect(events.map((e) => e.seqNo)).toEqual([...events.keys()]);
    expect(events.map((e) => e.eventType)).toEqual(['Started', 'Updated', 'Updated', 'Ended']);
    const [started, charging, periodic, ended] = events as [
      v201.TransactionEventRequest,
      v201.TransactionEventRequest,
      v201.TransactionEventRequest,
      v201.TransactionEventRequest,
    ];
    expect(started).toMatchObject({
      triggerReason: 'Authorized',
      evse: { id: 1, connectorId: 1 },
      idToken: { idToken: 'TAG-1' },
    });
    expect(started.meterValue?.[0]?.sampledValue[0]).toMatchObject({
      context: 'Transaction.Begin',
      measurand: 'Energy.Active.Import.Register',
    });
    expect(charging).toMatchObject({
      triggerReason: 'ChargingStateChanged',
      transactionInfo: { chargingState: 'Charging' },
    });
    expect(periodic.triggerReason).toBe('MeterValuePeriodic');
    expect(periodic.meterValue?.[0]?.sampledValue.map((s) => s.measurand)).toEqual([
      'Energy.Active.Import.Register',
      'Power.Active.Import',
      'SoC',
    ]);
    expect(ended).toMatchObject({
      triggerReason: 'StopAuthorized',
      transactionInfo: { stoppedReason: 'Local' },
    });
    const endEnergy = ended.meterValue?.[0]?.sampledValue[0];
    expect(endEnergy).toMatchObject({ context: 'Transaction.End', value: stopped?.meterStop });
    expect(stopped?.meterStop).toBeGreaterThan(0);
    expect(new Set(events.map((e) => e.transactionInfo.transactionId))).toEqual(
      new Set([result.started && result.transactionId]),
    );
  });

  it('refuses a blocked id token without starting a transaction', async () => {
    const { csms, cs } = await acceptedV2Station(protocol);
    expect(await cs.startSession(1, 'BLOCKED')).toEqual({
      started: false,
      reason: 'NotAuthorized',
      status: 'Blocked',
    });
    expect(csms.received('TransactionEvent')).toEqual([]);
    expect(cs.status(1)).toBe('Available');
  });

  it('starts on RequestStartTransaction and stops on RequestStopTransaction', async () => {
    const { csms, cs } = await acceptedV2Station(protocol);
    expect(
      await csms.command(cs.id, 'RequestStartTransaction', {
        evseId: 2,
        remoteStartId: 42,
        idToken: { idToken: 'R1', type: 'ISO14443' },
      }),
    ).toEqual({ status: 'Accepted' });
    const started = await cs.waitFor('transactionStarted');
    expect(started).toMatchObject({ evseId: 2, remoteStartId: 42, idToken: 'R1' });
    expect(csms.received('TransactionEvent')[0]).toMatchObject({
      triggerReason: 'RemoteStart',
      transactionInfo: { remoteStartId: 42 },
    });
    expect(
      await csms.command(cs.id, 'GetTransactionStatus', { transactionId: started.transactionId }),
    ).toEqual({
      ongoingIndicator: true,
      messagesInQueue: false,
    });
    expect(await csms.command(cs.id, 'UnlockConnector', { evseId: 2, connectorId: 1 })).toEqual({
      status: 'OngoingAuthorizedTransaction',
    });
    expect(
      await csms.command(cs.id, 'RequestStopTransaction', { transactionId: 'not-a-transaction' }),
    ).toEqual({ status: 'Rejected' });
    expect(
      await csms.command(cs.id, 'RequestStopTransaction', { transactionId: started.transactionId }),
    ).toEqual({ status: 'Accepted' });
    const stopped = await cs.waitFor('transactionStopped');
    expect(stopped).toMatchObject({
      transactionId: started.transactionId,
      reason: 'Remote',
      delivered: true,
    });
    expect(csms.received('TransactionEvent').at(-1)).toMatchObject({
      triggerReason: 'RemoteStop',
      transactionInfo: { stoppedReason: 'Remote' },
    });
  });

  it('queues TransactionEvents while offline and sends them after reconnecting, in order, with offline true', async () => {
    const { csms, cs } = await acceptedV2Station(protocol);
    const result = await cs.startSession(1, 'TAG-OFF');
    expect(result.started).toBe(true);
    const liveCount = csms.received('TransactionEvent').length;
    await cs.goOffline();
    await cs.sendMeterValues(1);
    const stopped = await cs.stopSession(1, 'EVDisconnected');
    expect(stopped?.delivered).toBe(false);
    expect(cs.queuedEvents).toBe(2);
    const boots = csms.received('BootNotification').length;
    await cs.goOnline();
    await cs.waitFor('accepted');
    await csms.waitForCalls('TransactionEvent', liveCount + 2);
    expect(csms.received('BootNotification')).toHaveLength(boots + 1);
    const events = csms.received('TransactionEvent');
    expect(events.map((e) => e.seqNo)).toEqual([...events.keys()]);
    expect(events.slice(liveCount).map((e) => [e.eventType, e.offline])).toEqual([
      ['Updated', true],
      ['Ended', true],
    ]);
    expect(events.slice(0, liveCount).every((e) => e.offline === undefined)).toBe(true);
    expect(cs.queuedEvents).toBe(0);
  });
});
