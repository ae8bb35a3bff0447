import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changeVariables, userToken } from '../support/builders.js';
import { DIALECTS } from '../support/databases.js';
import { bootChargePoint, eventually, type TestChargePoint } from '../support/ocpp-client.js';
import { bootStation2 } from '../support/ocpp2-client.js';
import { recordCalls, recordingHandlers, variableToSet, type Received } from '../support/station2-answers.js';
import { useTestApp } from '../support/use-test-app.js';

/** What a 2.0.1 station reports of itself: two components, one on an EVSE, one read-only value. */
function report(requestId: number, offlineThreshold: string) {
  return {
    requestId,
    generatedAt: new Date().toISOString(),
    seqNo: 0,
    reportData: [
      {
        component: { name: 'OCPPCommCtrlr' },
        variable: { name: 'OfflineThreshold' },
        variableAttribute: [{ type: 'Actual', value: offlineThreshold, mutability: 'ReadWrite' }],
        variableCharacteristics: { dataType: 'integer', supportsMonitoring: false, unit: 's' },
      },
      {
        component: { name: 'EVSE', evse: { id: 1 } },
        variable: { name: 'Power' },
        variableAttribute: [
          { type: 'Actual', value: '0', mutability: 'ReadOnly' },
          { type: 'MaxSet', value: '22000', mutability: 'ReadWrite' },
        ],
        variableCharacteristics: { dataType: 'decimal', supportsMonitoring: true, unit: 'W' },
      },
    ],
  };
}

describe.each(DIALECTS)('the device model routes on %s', (dialect) => {
  const app = useTestApp(dialect, { env: { OCPP_UNKNOWN_STATIONS: 'accept', OCPP_CALL_TIMEOUT_MS: '500' } });
  const got16: Received[] = [];
  const got2: Received[] = [];
  const answers2: Record<string, (params: never) => unknown> = {};
  let cp16: TestChargePoint;
  let cp2: TestChargePoint;

  beforeAll(async () => {
    ({ client: cp16 } = await bootChargePoint(app.url, 'VAR-16'));
    recordCalls(cp16, got16, (action, params) => {
      if (action === 'GetConfiguration') {
        return {
          configurationKey: [
            { key: 'HeartbeatInterval', readonly: false, value: '300' },
            { key: 'NumberOfConnectors', readonly: true, value: '2' },
            { key: 'AuthorizationKey', readonly: false, value: 'do-not-show-me' },
          ],
        };
      }
      const key = (params as { key?: string }).key;
      return {
        status: key === 'NumberOfConnectors' ? 'Rejected' : key === 'Bogus' ? 'NotSupported' : 'Accepted',
      };
    });
    ({ client: cp2 } = await bootStation2(app.url, 'VAR-201', {
      handlers: recordingHandlers(got2, answers2),
    }));
    await cp2.call('NotifyReport', report(1, '60'));
  });
  afterAll(async () => {
    await Promise.all([cp16?.close({ force: true }), cp2?.close({ force: true })]);
  });

  const variables = (station: string, token = app.admin, query = '') =>
    app.request('GET', `/api/stations/${station}/variables${query}`, { token });
  const change = (station: string, body: unknown, token = app.admin) =>
    app.request('PATCH', `/api/stations/${station}/variables`, { token, body });

  it('lists what a 2.0.1 station reported, one item per attribute', async () => {
    const response = await variables('VAR-201');
    expect(response.status, response.text).toBe(200);
    expect(response.body.total).toBe(3);
    expect(response.body.items).toEqual([
      {
        component: 'EVSE',
        evseId: 1,
        variable: 'Power',
        attributeType: 'Actual',
        value: '0',
        mutability: 'ReadOnly',
      },
      {
        component: 'EVSE',
        evseId: 1,
        variable: 'Power',
        attributeType: 'MaxSet',
        value: '22000',
        mutability: 'ReadWrite',
      },
      {
        component: 'OCPPCommCtrlr',
        variable: 'OfflineThreshold',
        attributeType: 'Actual',
        value: '60',
        mutability: 'ReadWrite',
      },
    ]);
    const paged = await variables('VAR-201', app.admin, '?limit=1&offset=2&component=OCPPCommCtrlr');
    expect(paged.body.total).toBe(1);
    expect(paged.body.items).toEqual([]);
  });

  it('lists a 1.6 station’s configuration keys as variables of component OCPP16, secrets hidden', async () => {
    const response = await variables('VAR-16');
    expect(response.status, response.text).toBe(200);
    expect(got16.at(-1)).toEqual({ action: 'GetConfiguration', params: {} });
    expect(response.body).toEqual({
      total: 3,
      items: [
        {
          component: 'OCPP16',
          variable: 'HeartbeatInterval',
          attributeType: 'Actual',
          value: '300',
          mutability: 'ReadWrite',
        },
        {
          component: 'OCPP16',
          variable: 'NumberOfConnectors',
          attributeType: 'Actual',
          value: '2',
          mutability: 'ReadOnly',
        },
        {
          component: 'OCPP16',
          variable: 'AuthorizationKey',
          attributeType: 'Actual',
          value: '[redacted]',
          mutability: 'ReadWrite',
        },
      ],
    });
  });

  it('changes 2.0.1 variables with SetVariables, one result per item in order, keeping accepted values', async () => {
    answers2.SetVariables = (params: {
      setVariableData: { component: unknown; variable: { name: string } }[];
    }) => ({
      // Answered in reverse order, as the specification allows.
      setVariableResult: params.setVariableData
        .map((data) => ({
          attributeStatus: data.variable.name === 'Power' ? 'Rejected' : 'Accepted',
          component: data.component,
          variable: data.variable,
        }))
        .reverse(),
    });
    const response = await change('VAR-201', [
      { component: 'OCPPCommCtrlr', variable: 'OfflineThreshold', value: '123' },
      { component: 'EVSE', evseId: 1, variable: 'Power', value: '11000' },
    ]);
    expect(response.status, response.text).toBe(200);
    expect(response.body.results).toEqual([
      {
        component: 'OCPPCommCtrlr',
        variable: 'OfflineThreshold',
        attributeType: 'Actual',
        attributeStatus: 'Accepted',
      },
      {
        component: 'EVSE',
        evseId: 1,
        variable: 'Power',
        attributeType: 'Actual',
        attributeStatus: 'Rejected',
      },
    ]);
    expect(got2.at(-1)).toEqual({
      action: 'SetVariables',
      params: {
        setVariableData: [
          variableToSet('OCPPCommCtrlr', 'OfflineThreshold', '123'),
          variableToSet('EVSE', 'Power', '11000', 1),
        ],
      },
    });
    const kept = (await variables('VAR-201')).body.items;
    expect(kept.find((v: { variable: string }) => v.variable === 'OfflineThreshold').value).toBe('123');
    expect(
      kept.find(
        (v: { variable: string; attributeType: string }) =>
          v.variable === 'Power' && v.attributeType === 'Actual',
      ).value,
    ).toBe('0');
    delete answers2.SetVariables;
  });

  it('changes 1.6 keys with one ChangeConfiguration each, answering each status in order', async () => {
    const before = got16.length;
    const statuses = await changeVariables(app, app.admin, 'VAR-16', [
      { component: 'OCPP16', variable: 'HeartbeatInterval', value: '120' },
      { component: 'OCPP16', variable: 'NumberOfConnectors', value: '3' },
      { component: 'OCPPCommCtrlr', variable: 'OfflineThreshold', value: '1' },
      { component: 'OCPP16', variable: 'Bogus', value: 'x' },
    ]);
    expect(statuses).toEqual(['Accepted', 'Rejected', 'UnknownComponent', 'NotSupported']);
    expect(got16.slice(before)).toEqual([
      { action: 'ChangeConfiguration', params: { key: 'HeartbeatInterval', value: '120' } },
      { action: 'ChangeConfiguration', params: { key: 'NumberOfConnectors', value: '3' } },
      { action: 'ChangeConfiguration', params: { key: 'Bogus', value: 'x' } },
    ]);
  });

  it('updates the kept model when a GetBaseReport sent through the commands endpoint is reported', async () => {
    const sent = await app.request('POST', '/api/stations/VAR-201/commands/GetBaseReport', {
      token: app.admin,
      body: { requestId: 77, reportBase: 'FullInventory' },
    });
    expect(sent.body).toEqual({ status: 'Accepted' });
    await cp2.call('NotifyReport', report(77, '900'));
    await eventually(async () => {
      const items = (await variables('VAR-201')).body.items as { variable: string; value: string }[];
      return items.find((v) => v.variable === 'OfflineThreshold')?.value === '900';
    });
  });

  it('refuses malformed and oversized changes with 400, sending nothing', async () => {
    const counts = [got16.length, got2.length];
    const item = { component: 'OCPP16', variable: 'HeartbeatInterval', value: '1' };
    for (const body of [
      [],
      {},
      [{ component: 'OCPP16', value: '1' }],
      [{ ...item, value: 5 }],
      [{ ...item, extra: true }],
      [{ ...item, attributeType: 'Wanted' }],
      [{ ...item, component: 'C'.repeat(51) }],
      [{ ...item, value: 'v'.repeat(1001) }],
      Array.from({ length: 101 }, () => item),
    ]) {
      for (const station of ['VAR-16', 'VAR-201']) {
        const response = await change(station, body);
        expect(response.status, JSON.stringify(body).slice(0, 80)).toBe(400);
      }
    }
    // A 1.6 value longer than ChangeConfiguration allows: refused before any key is sent.
    const long = await change('VAR-16', [item, { ...item, value: 'v'.repeat(501) }]);
    expect(long.status).toBe(400);
    expect([got16.length, got2.length]).toEqual(counts);
  });

  it('answers 404 for an unknown station, 409 for a 1.6 one offline, and checks permissions', async () => {
    expect((await variables('NOPE')).status).toBe(404);
    await app.request('POST', '/api/stations', {
      token: app.admin,
      body: { chargePointId: 'VAR-OFF', name: 'Off' },
    });
    expect((await variables('VAR-OFF')).body.error.code).toBe('STATION_OFFLINE');
    const viewer = await userToken(app, app.admin, { username: 'var-viewer', roles: ['viewer'] });
    expect((await variables('VAR-201', viewer)).status).toBe(200);
    expect((await change('VAR-201', [{ component: 'A', variable: 'B', value: 'C' }], viewer)).status).toBe(
      403,
    );
    const scoped = await userToken(app, app.admin, {
      username: 'var-scoped',
      roles: ['operator'],
      allowedStations: ['VAR-16'],
    });
    expect((await variables('VAR-201', scoped)).status).toBe(404);
  });
});
