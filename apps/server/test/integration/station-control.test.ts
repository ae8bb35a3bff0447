import ocppRpc from 'ocpp-rpc';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIdTags, startTransaction, userToken } from '../support/builders.js';
import { DIALECTS } from '../support/databases.js';
import { bootChargePoint, type TestChargePoint } from '../support/ocpp-client.js';
import { bootStation2 } from '../support/ocpp2-client.js';
import { recordCalls, recordingHandlers, type Received } from '../support/station2-answers.js';
import { useTestApp } from '../support/use-test-app.js';

describe.each(DIALECTS)('protocol-neutral station operations on %s', (dialect) => {
  const app = useTestApp(dialect, { env: { OCPP_UNKNOWN_STATIONS: 'accept', OCPP_CALL_TIMEOUT_MS: '500' } });
  const got16: Received[] = [];
  const got2: Received[] = [];
  const answers16: Record<string, () => unknown> = {};
  const answers2: Record<string, (params: never) => unknown> = {};
  let cp16: TestChargePoint;
  let cp2: TestChargePoint;

  beforeAll(async () => {
    ({ client: cp16 } = await bootChargePoint(app.url, 'OPS-16'));
    recordCalls(cp16, got16, (action) => answers16[action]?.() ?? { status: 'Accepted' });
    ({ client: cp2 } = await bootStation2(app.url, 'OPS-201', {
      handlers: recordingHandlers(got2, answers2),
    }));
    await createIdTags(
      app,
      app.admin,
      { idTag: 'FLEET-1', type: 'Central' },
      { idTag: 'CARD-1', type: 'ISO15693', parentIdTag: 'FLEET-1' },
      'PLAIN-1',
    );
    await app.request('POST', '/api/stations', {
      token: app.admin,
      body: { chargePointId: 'OPS-OFF', name: 'Off' },
    });
  });
  afterAll(async () => {
    await Promise.all([cp16?.close({ force: true }), cp2?.close({ force: true })]);
  });

  const post = (station: string, operation: string, body: unknown, token = app.admin) =>
    app.request('POST', `/api/stations/${station}/${operation}`, { token, body });
  /** Posts `operation` to `station` and expects 200 with the station's Accepted. */
  const expectAccepted = async (station: string, operation: string, body: unknown) => {
    const response = await post(station, operation, body);
    expect(response.status, response.text).toBe(200);
    expect(response.body).toEqual({ status: 'Accepted' });
  };

  it('starts a transaction remotely on a 1.6 station with RemoteStartTransaction', async () => {
    await expectAccepted('OPS-16', 'remote-start', { connectorId: 1, idTag: 'CARD-1' });
    expect(got16.at(-1)).toEqual({
      action: 'RemoteStartTransaction',
      params: { idTag: 'CARD-1', connectorId: 1 },
    });
  });

  it('starts a transaction remotely on a 2.0.1 station with the tag’s type and its group’s', async () => {
    await expectAccepted('OPS-201', 'remote-start', { connectorId: 2, idTag: 'CARD-1' });
    expect(got2.at(-1)).toEqual({
      action: 'RequestStartTransaction',
      params: {
        idToken: { idToken: 'CARD-1', type: 'ISO15693' },
        groupIdToken: { idToken: 'FLEET-1', type: 'Central' },
        evseId: 2,
        remoteStartId: expect.any(Number),
      },
    });
    const bare = await post('OPS-201', 'remote-start', { idTag: 'PLAIN-1' });
    expect(bare.status).toBe(200);
    expect(got2.at(-1)?.params).toEqual({
      idToken: { idToken: 'PLAIN-1', type: 'ISO14443' },
      remoteStartId: expect.any(Number),
    });
  });

  it('stops a 1.6 transaction by its id, and passes an unknown id on for the station to refuse', async () => {
    const { transactionId } = await startTransaction(cp16, {
      idTag: 'PLAIN-1',
      timestamp: new Date().toISOString(),
    });
    const response = await post('OPS-16', 'remote-stop', { transactionId });
    expect(response.status, response.text).toBe(200);
    expect(got16.at(-1)).toEqual({ action: 'RemoteStopTransaction', params: { transactionId } });
    answers16.RemoteStopTransaction = () => ({ status: 'Rejected' });
    const unknown = await post('OPS-16', 'remote-stop', { transactionId: 987654 });
    expect(unknown.body).toEqual({ status: 'Rejected' });
    delete answers16.RemoteStopTransaction;
  });

  it('stops a 2.0.1 transaction with the station’s own id, and refuses an id it cannot map with 404', async () => {
    await cp2.call('TransactionEvent', {
      eventType: 'Started',
      timestamp: new Date().toISOString(),
      triggerReason: 'Authorized',
      seqNo: 0,
      transactionInfo: { transactionId: 'TX-OPS-1', chargingState: 'Charging' },
      evse: { id: 1, connectorId: 1 },
      idToken: { idToken: 'PLAIN-1', type: 'ISO14443' },
    });
    const list = await app.request('GET', '/api/transactions?chargePointId=OPS-201', { token: app.admin });
    const transactionId = list.body.items[0].transactionId as number;
    const response = await post('OPS-201', 'remote-stop', { transactionId });
    expect(response.status, response.text).toBe(200);
    expect(got2.at(-1)).toEqual({ action: 'RequestStopTransaction', params: { transactionId: 'TX-OPS-1' } });
    const count = got2.length;
    const unknown = await post('OPS-201', 'remote-stop', { transactionId: 987654 });
    expect(unknown.status).toBe(404);
    expect(got2.length).toBe(count);
  });

  it('resets: Soft and Hard on 1.6, OnIdle and Immediate on 2.0.1', async () => {
    for (const [type, v2] of [
      ['Soft', 'OnIdle'],
      ['Hard', 'Immediate'],
    ] as const) {
      expect((await post('OPS-16', 'reset', { type })).body).toEqual({ status: 'Accepted' });
      expect(got16.at(-1)).toEqual({ action: 'Reset', params: { type } });
      expect((await post('OPS-201', 'reset', { type })).body).toEqual({ status: 'Accepted' });
      expect(got2.at(-1)).toEqual({ action: 'Reset', params: { type: v2 } });
    }
  });

  it('unlocks: the connector on 1.6, connector 1 of the EVSE on 2.0.1, answering the station’s status', async () => {
    answers16.UnlockConnector = () => ({ status: 'Unlocked' });
    expect((await post('OPS-16', 'unlock', { connectorId: 2 })).body).toEqual({ status: 'Unlocked' });
    expect(got16.at(-1)).toEqual({ action: 'UnlockConnector', params: { connectorId: 2 } });
    expect((await post('OPS-201', 'unlock', { connectorId: 2 })).body).toEqual({ status: 'Unlocked' });
    expect(got2.at(-1)).toEqual({ action: 'UnlockConnector', params: { evseId: 2, connectorId: 1 } });
  });

  it('changes availability of a connector, and with connector 0 of the whole station (no evse in 2.0.1)', async () => {
    await post('OPS-16', 'availability', { connectorId: 0, type: 'Inoperative' });
    expect(got16.at(-1)).toEqual({
      action: 'ChangeAvailability',
      params: { connectorId: 0, type: 'Inoperative' },
    });
    await post('OPS-201', 'availability', { connectorId: 0, type: 'Inoperative' });
    expect(got2.at(-1)).toEqual({
      action: 'ChangeAvailability',
      params: { operationalStatus: 'Inoperative' },
    });
    const one = await post('OPS-201', 'availability', { connectorId: 1, type: 'Operative' });
    expect(one.body).toEqual({ status: 'Accepted' });
    expect(got2.at(-1)).toEqual({
      action: 'ChangeAvailability',
      params: { operationalStatus: 'Operative', evse: { id: 1 } },
    });
  });

  it('refuses malformed bodies with 400 and sends nothing', async () => {
    const counts = [got16.length, got2.length];
    for (const [operation, body] of [
      ['remote-start', {}],
      ['remote-start', { idTag: '' }],
      ['remote-start', { idTag: 'X'.repeat(21) }],
      ['remote-start', { idTag: 'A', connectorId: 0 }],
      ['remote-start', { idTag: 'A', chargingProfile: {} }],
      ['remote-stop', { transactionId: 'TX-OPS-1' }],
      ['remote-stop', { transactionId: 2 ** 40 }],
      ['reset', { type: 'OnIdle' }],
      ['reset', {}],
      ['unlock', { connectorId: 0 }],
      ['unlock', { connectorId: 1.5 }],
      ['availability', { connectorId: -1, type: 'Operative' }],
      ['availability', { connectorId: 1, type: 'Sideways' }],
      ['availability', [1, 'Operative']],
    ] as const) {
      for (const station of ['OPS-16', 'OPS-201']) {
        const response = await post(station, operation, body);
        expect(response.status, `${operation} ${JSON.stringify(body)}`).toBe(400);
        expect(response.body.error.code).toBe('VALIDATION_ERROR');
      }
    }
    expect([got16.length, got2.length]).toEqual(counts);
  });

  it('answers 404, 409 STATION_OFFLINE, 502 and 504 as the commands endpoint does', async () => {
    expect((await post('NOPE', 'reset', { type: 'Soft' })).status).toBe(404);
    const offline = await post('OPS-OFF', 'reset', { type: 'Soft' });
    expect(offline.status).toBe(409);
    expect(offline.body.error.code).toBe('STATION_OFFLINE');
    answers2.Reset = () => {
      throw ocppRpc.createRPCError('InternalError', 'relay stuck');
    };
    const failed = await post('OPS-201', 'reset', { type: 'Hard' });
    expect(failed.status).toBe(502);
    expect(failed.body.error.details.ocppErrorCode).toBe('InternalError');
    answers2.Reset = () => new Promise(() => {});
    expect((await post('OPS-201', 'reset', { type: 'Hard' })).status).toBe(504);
    delete answers2.Reset;
  });

  it('needs stations.control and hides stations outside the caller’s scope', async () => {
    const viewer = await userToken(app, app.admin, { username: 'ops-viewer', roles: ['viewer'] });
    expect((await post('OPS-201', 'reset', { type: 'Soft' }, viewer)).status).toBe(403);
    const scoped = await userToken(app, app.admin, {
      username: 'ops-scoped',
      roles: ['operator'],
      allowedStations: ['OPS-16'],
    });
    expect((await post('OPS-201', 'unlock', { connectorId: 1 }, scoped)).status).toBe(404);
    expect((await post('OPS-16', 'unlock', { connectorId: 1 }, scoped)).status).toBe(200);
    expect(
      (await app.request('POST', '/api/stations/OPS-201/reset', { body: { type: 'Soft' } })).status,
    ).toBe(401);
  });
});
