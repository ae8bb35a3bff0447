import { CSMS_ACTIONS, V2_CSMS_ACTIONS } from '@cimorings/contracts';
import ocppRpc from 'ocpp-rpc';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectCommandsGuarded } from '../support/builders.js';
import { DIALECTS } from '../support/databases.js';
import { bootChargePoint, type TestChargePoint } from '../support/ocpp-client.js';
import { bootStation2 } from '../support/ocpp2-client.js';
import { REQUESTS_2 } from '../support/requests2.js';
import { recordingHandlers, variableToSet, type Received } from '../support/station2-answers.js';
import { useTestApp } from '../support/use-test-app.js';

describe.each(DIALECTS)('the commands endpoint for OCPP 2.0.1 and 2.1 stations on %s', (dialect) => {
  const app = useTestApp(dialect, { env: { OCPP_UNKNOWN_STATIONS: 'accept', OCPP_CALL_TIMEOUT_MS: '500' } });
  const received: Received[] = [];
  const received21: Received[] = [];
  const overrides: Record<string, (params: never) => unknown> = {};
  const stations: TestChargePoint[] = [];

  beforeAll(async () => {
    const v201 = await bootStation2(app.url, 'CMD2-201', {
      handlers: recordingHandlers(received, overrides),
    });
    const v21 = await bootStation2(app.url, 'CMD2-21', {
      protocol: 'ocpp2.1',
      handlers: recordingHandlers(received21),
    });
    const v16 = await bootChargePoint(app.url, 'CMD2-16');
    v16.client.handle(async () => ({ status: 'Accepted' }));
    stations.push(v201.client, v21.client, v16.client);
  });
  afterAll(async () => {
    await Promise.all(stations.map((station) => station.close({ force: true })));
  });

  const command = (station: string, action: string, body: unknown, token = app.admin) =>
    app.request('POST', `/api/stations/${station}/commands/${action}`, { token, body });

  it('sends every message a CSMS may send in OCPP 2.0.1, schema-valid, and answers the station’s response', async () => {
    for (const action of V2_CSMS_ACTIONS) {
      const response = await command('CMD2-201', action, REQUESTS_2[action]);
      expect(response.status, `${action}: ${response.text}`).toBe(200);
      expect(received.at(-1), action).toEqual({ action, params: REQUESTS_2[action] });
    }
    const variables = await command('CMD2-201', 'GetVariables', REQUESTS_2.GetVariables);
    expect(variables.body).toEqual({
      getVariableResult: [
        {
          attributeStatus: 'Accepted',
          component: { name: 'OCPPCommCtrlr' },
          variable: { name: 'OfflineThreshold' },
          attributeValue: '42',
        },
      ],
    });
  });

  it('checks a 2.1 station’s commands against the OCPP 2.1 schemas and sends them', async () => {
    const reset = await command('CMD2-21', 'Reset', { type: 'Immediate' });
    expect(reset.status, reset.text).toBe(200);
    expect(reset.body).toEqual({ status: 'Accepted' });
    expect(received21.at(-1)).toEqual({ action: 'Reset', params: { type: 'Immediate' } });
    const bad = await command('CMD2-21', 'Reset', { type: 'Immediate', later: true });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.ocppErrorCode).toBe('PropertyConstraintViolation');
  });

  it('answers 400 UNSUPPORTED_ACTION for a 1.6 message to a 2.x station, and a 2.0.1 one to a 1.6 station', async () => {
    const count = received.length;
    for (const action of [
      'RemoteStartTransaction',
      'GetConfiguration',
      'ChangeConfiguration',
      'GetDiagnostics',
    ]) {
      const response = await command('CMD2-201', action, {});
      expect(response.status, action).toBe(400);
      expect(response.body.error.code).toBe('UNSUPPORTED_ACTION');
      expect(response.body.error.details.ocppVersion).toBe('2.0.1');
    }
    expect((await command('CMD2-21', 'RemoteStopTransaction', { transactionId: 1 })).body.error.code).toBe(
      'UNSUPPORTED_ACTION',
    );
    for (const action of ['RequestStartTransaction', 'GetVariables', 'SetVariables', 'GetBaseReport']) {
      const response = await command('CMD2-16', action, REQUESTS_2[action as 'GetVariables']);
      expect(response.status, action).toBe(400);
      expect(response.body.error.code).toBe('UNSUPPORTED_ACTION');
      expect(response.body.error.details.ocppVersion).toBe('1.6');
    }
    expect(received.length).toBe(count);
  });

  it('keeps sending 1.6 messages to 1.6 stations, also those whose names 2.0.1 shares', async () => {
    const response = await command('CMD2-16', 'Reset', { type: 'Soft' });
    expect(response.status, response.text).toBe(200);
    const v2Shaped = await command('CMD2-16', 'Reset', { type: 'OnIdle' });
    expect(v2Shaped.status).toBe(400);
    expect(v2Shaped.body.error.code).toBe('VALIDATION_ERROR');
  });

  it('refuses a 2.0.1 payload that breaks the official schema with 400, the 2.0.1 error code, nothing sent', async () => {
    const count = received.length;
    for (const [action, body, code] of [
      [
        'RequestStartTransaction',
        { idToken: { idToken: 'X', type: 'ISO14443' } },
        'OccurrenceConstraintViolation',
      ],
      ['Reset', { type: 'Soft' }, 'PropertyConstraintViolation'],
      ['UnlockConnector', { evseId: '1', connectorId: 1 }, 'TypeConstraintViolation'],
      ['SetVariables', { setVariableData: [] }, 'OccurrenceConstraintViolation'],
      ['GetVariables', [], 'TypeConstraintViolation'],
      ['SendLocalList', { versionNumber: 1, updateType: 'Full', extra: 1 }, 'PropertyConstraintViolation'],
      ['DataTransfer', { vendorId: 'x'.repeat(256) }, 'PropertyConstraintViolation'],
    ] as const) {
      const response = await command('CMD2-201', action, body);
      expect(response.status, action).toBe(400);
      expect(response.body.error.code, action).toBe('VALIDATION_ERROR');
      expect(response.body.error.details.ocppErrorCode, action).toBe(code);
    }
    expect(received.length).toBe(count);
  });

  it('refuses an action no protocol lets a CSMS send with 400, naming the field', async () => {
    for (const action of ['MakeCoffee', 'TransactionEvent', 'NotifyReport', 'BootNotification']) {
      const response = await command('CMD2-201', action, {});
      expect(response.status, action).toBe(400);
      expect(response.body.error.code).toBe('VALIDATION_ERROR');
      expect(response.body.error.details.fields).toEqual(['action']);
    }
  });

  it('answers 502 with the CallError a 2.x station answers with, and 504 when it does not answer', async () => {
    overrides.ClearCache = () => {
      throw ocppRpc.createRPCError('NotImplemented', 'no cache here');
    };
    overrides.GetLocalListVersion = () => new Promise(() => {});
    const failed = await command('CMD2-201', 'ClearCache', {});
    expect(failed.status).toBe(502);
    expect(failed.body.error.details.ocppErrorCode).toBe('NotImplemented');
    const silent = await command('CMD2-201', 'GetLocalListVersion', {});
    expect(silent.status).toBe(504);
    expect(silent.body.error.code).toBe('STATION_TIMEOUT');
    delete overrides.ClearCache;
    delete overrides.GetLocalListVersion;
  });

  it('needs stations.control, and hides 2.x stations outside the caller’s scope', async () => {
    await expectCommandsGuarded(app, app.admin, 'CMD2-201', 'CMD2-16', {
      viewer: 'viewer2',
      scoped: 'scoped2',
    });
  });

  it('records 2.x commands on the command trail, secrets redacted', async () => {
    const body = {
      setVariableData: [variableToSet('SecurityCtrlr', 'BasicAuthPassword', 'a-new-password-123')],
    };
    expect((await command('CMD2-201', 'SetVariables', body)).status).toBe(200);
    const trail = await app.request('GET', '/api/stations/CMD2-201/commands?limit=1', { token: app.admin });
    expect(trail.body.items[0]).toMatchObject({ action: 'SetVariables', outcome: 'answered' });
    expect(JSON.stringify(trail.body.items[0])).not.toContain('a-new-password-123');
    const station = await app.request('GET', '/api/stations/CMD2-201', { token: app.admin });
    expect(station.body.hasOcppPassword).toBe(true);
  });

  it('documents every 2.0.1 action in the OpenAPI document with its official schemas', async () => {
    const { body } = await app.request('GET', '/api/docs/openapi.json');
    const paths = Object.keys(body.paths).filter((path) => path.includes('/commands/'));
    expect(paths).toHaveLength(new Set([...CSMS_ACTIONS, ...V2_CSMS_ACTIONS]).size);
    const start = body.paths['/api/stations/{chargePointId}/commands/RequestStartTransaction'].post;
    const request = start.requestBody.content['application/json'].schema;
    expect([...request.required].sort()).toEqual(['idToken', 'remoteStartId']);
    expect(request.properties.idToken.properties.type.enum).toContain('ISO14443');
    expect(JSON.stringify(request)).not.toContain('#/definitions/');
    const reset = body.paths['/api/stations/{chargePointId}/commands/Reset'].post;
    const variants = reset.requestBody.content['application/json'].schema.anyOf;
    expect(variants.map((v: { title: string }) => v.title)).toEqual([
      'OCPP 1.6 Reset request',
      'OCPP 2.0.1 Reset request',
    ]);
    // The station's answer too, per action, as the official response schema says.
    const answer = body.paths['/api/stations/{chargePointId}/commands/GetVariables'].post.responses['200'];
    const answerSchema = answer.content['application/json'].schema;
    expect(answerSchema.title).toBe('OCPP 2.0.1 GetVariables response');
    expect(answerSchema.required).toEqual(['getVariableResult']);
  });
});
