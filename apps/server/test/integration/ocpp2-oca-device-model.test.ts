import ocppRpc from 'ocpp-rpc';
import { describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/databases.js';
import { eventually } from '../support/ocpp-client.js';
import { bootStation2 } from '../support/ocpp2-client.js';
import { useOcaStation } from '../support/oca-station.js';
import { useTestApp } from '../support/use-test-app.js';

interface VariableData {
  component: { name: string };
  variable: { name: string; instance?: string };
  attributeValue?: string;
}

/** One attribute of a NotifyReport part. */
function reported(component: string, variable: string, value: string, instance?: string) {
  return {
    component: { name: component },
    variable: { name: variable, ...(instance !== undefined && { instance }) },
    variableAttribute: [{ type: 'Actual', value, mutability: 'ReadWrite' }],
  };
}

/**
 * The device model of a 2.x station read and changed within the station's message limits
 * (OCPP 2.0.1 B05, B06: DeviceDataCtrlr.ItemsPerMessage and BytesPerMessage), through the
 * operator's routes, with a strict 2.0.1 station on a real socket.
 */
describe.each(DIALECTS)('OCA OCPP 2.0.1 CSMS test cases, device model limits, on %s', (dialect) => {
  const app = useTestApp(dialect, { env: { OCPP_UNKNOWN_STATIONS: 'accept', OCPP_CALL_TIMEOUT_MS: '500' } });
  const { cs, got, request, answering } = useOcaStation(app, 'OCA-B08');
  const path = '/api/stations/OCA-B08/variables';

  /** The station reports `reportData` (one NotifyReport part). */
  async function report(requestId: number, reportData: unknown[]) {
    await cs.call('NotifyReport', { requestId, generatedAt: new Date().toISOString(), seqNo: 0, reportData });
  }

  /** The messages `action` the station received from `from` on, as their lists of items. */
  function sent(action: string, from: number): VariableData[][] {
    const list = action === 'GetVariables' ? 'getVariableData' : 'setVariableData';
    return got
      .slice(from)
      .filter((message) => message.action === action)
      .map((message) => (message.params as Record<string, VariableData[]>)[list] ?? []);
  }

  it('TC_B_08_CSMS: Get Variables - limit to maximum number of values (5 variables, 4 per message)', async () => {
    // Configuration state: DeviceDataCtrlr.ItemsPerMessage[GetVariables] = 4, reported to the CSMS.
    await report(8, [
      reported('DeviceDataCtrlr', 'ItemsPerMessage', '4', 'GetReport'),
      reported('DeviceDataCtrlr', 'ItemsPerMessage', '4', 'GetVariables'),
      reported('DeviceDataCtrlr', 'BytesPerMessage', '4096', 'GetReport'),
      reported('DeviceDataCtrlr', 'BytesPerMessage', '4096', 'GetVariables'),
      reported('AuthCtrlr', 'AuthorizeRemoteStart', 'true'),
    ]);
    const from = got.length;
    // Step 1: the operator asks for the current values of these 5 variables.
    const response = await request('GET', `${path}?refresh=true`);
    expect(response.status).toBe(200);
    const parts = sent('GetVariables', from);
    expect(parts.map((part) => part.length)).toEqual([4, 1]);
    const asked = parts
      .flat()
      .map((data) => [data.component.name, data.variable.name, data.variable.instance]);
    expect(asked).toEqual([
      ['AuthCtrlr', 'AuthorizeRemoteStart', undefined],
      ['DeviceDataCtrlr', 'BytesPerMessage', 'GetReport'],
      ['DeviceDataCtrlr', 'BytesPerMessage', 'GetVariables'],
      ['DeviceDataCtrlr', 'ItemsPerMessage', 'GetReport'],
      ['DeviceDataCtrlr', 'ItemsPerMessage', 'GetVariables'],
    ]);
    // The station's answers (every value "42") are kept and shown.
    expect(response.body.total).toBe(5);
    expect(response.body.items.map((item: { value: string }) => item.value)).toEqual([
      '42',
      '42',
      '42',
      '42',
      '42',
    ]);
    expect((await request('GET', path)).body.items[0]).toMatchObject({
      component: 'AuthCtrlr',
      variable: 'AuthorizeRemoteStart',
      value: '42',
      mutability: 'ReadWrite',
    });
  });

  it('B06.FR.05 with a page and a component filter: only the page is asked for, 2 per message', async () => {
    // The limits of the previous case are now "42" (the station's answer): reported anew.
    await report(9, [
      reported('DeviceDataCtrlr', 'ItemsPerMessage', '2', 'GetVariables'),
      reported('DeviceDataCtrlr', 'BytesPerMessage', '4096', 'GetVariables'),
    ]);
    const from = got.length;
    const response = await request('GET', `${path}?refresh=true&component=DeviceDataCtrlr&limit=3`);
    expect(response.status).toBe(200);
    expect(response.body.items).toHaveLength(3);
    expect(sent('GetVariables', from).map((part) => part.length)).toEqual([2, 1]);
  });

  it('splits a PATCH into SetVariables of at most ItemsPerMessage[SetVariables], results in the request order', async () => {
    await report(10, [reported('DeviceDataCtrlr', 'ItemsPerMessage', '2', 'SetVariables')]);
    const changes = ['A', 'B', 'C', 'D', 'E'].map((name, index) => ({
      component: 'OCPPCommCtrlr',
      variable: `Var${name}`,
      value: String(index),
    }));
    const from = got.length;
    // The station answers in reverse order and rejects VarD: each change still gets its own result.
    const response = await answering(
      'SetVariables',
      (params: { setVariableData: VariableData[] }) => ({
        setVariableResult: [...params.setVariableData].reverse().map((data) => ({
          attributeStatus: data.variable.name === 'VarD' ? 'Rejected' : 'Accepted',
          component: data.component,
          variable: data.variable,
        })),
      }),
      () => request('PATCH', path, changes),
    );
    expect(response.status).toBe(200);
    expect(sent('SetVariables', from).map((part) => part.map((data) => data.variable.name))).toEqual([
      ['VarA', 'VarB'],
      ['VarC', 'VarD'],
      ['VarE'],
    ]);
    expect(
      response.body.results.map((r: { variable: string; attributeStatus: string }) => r.attributeStatus),
    ).toEqual(['Accepted', 'Accepted', 'Accepted', 'Rejected', 'Accepted']);
    expect(response.body.results.map((r: { variable: string }) => r.variable)).toEqual(
      changes.map((c) => c.variable),
    );
    const kept = (await request('GET', `${path}?component=OCPPCommCtrlr`)).body.items;
    expect(kept.map((v: { variable: string; value: string }) => `${v.variable}=${v.value}`)).toEqual([
      'VarA=0',
      'VarB=1',
      'VarC=2',
      'VarE=4',
    ]);
  });

  it('splits by BytesPerMessage[SetVariables] too, and refuses a value no message can carry, sending nothing', async () => {
    await report(11, [
      reported('DeviceDataCtrlr', 'ItemsPerMessage', '10', 'SetVariables'),
      reported('DeviceDataCtrlr', 'BytesPerMessage', '300', 'SetVariables'),
    ]);
    const change = (variable: string) => ({ component: 'OCPPCommCtrlr', variable, value: 'x'.repeat(60) });
    let from = got.length;
    const response = await request('PATCH', path, [change('BytesA'), change('BytesB'), change('BytesC')]);
    expect(response.status).toBe(200);
    const parts = sent('SetVariables', from);
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) {
      const frame = JSON.stringify([2, crypto.randomUUID(), 'SetVariables', { setVariableData: part }]);
      expect(Buffer.byteLength(frame)).toBeLessThanOrEqual(300);
    }
    expect(parts.flat().map((data) => data.variable.name)).toEqual(['BytesA', 'BytesB', 'BytesC']);

    from = got.length;
    const tooLarge = await request('PATCH', path, [{ ...change('Huge'), value: 'y'.repeat(400) }]);
    expect(tooLarge.status).toBe(400);
    expect(tooLarge.body.error.code).toBe('VALIDATION_ERROR');
    expect(sent('SetVariables', from)).toEqual([]);
  });

  it('a part answered with a CallError: 502, later parts not sent, earlier results in details, only they kept', async () => {
    await report(12, [
      reported('DeviceDataCtrlr', 'ItemsPerMessage', '1', 'SetVariables'),
      reported('DeviceDataCtrlr', 'BytesPerMessage', '4096', 'SetVariables'),
    ]);
    let calls = 0;
    const from = got.length;
    const response = await answering(
      'SetVariables',
      (params: { setVariableData: VariableData[] }) => {
        calls += 1;
        if (calls === 2) throw ocppRpc.createRPCError('InternalError', 'second part failed');
        return {
          setVariableResult: params.setVariableData.map((data) => ({
            attributeStatus: 'Accepted',
            component: data.component,
            variable: data.variable,
          })),
        };
      },
      () =>
        request('PATCH', path, [
          { component: 'OCPPCommCtrlr', variable: 'PartOne', value: 'one' },
          { component: 'OCPPCommCtrlr', variable: 'PartTwo', value: 'two' },
          { component: 'OCPPCommCtrlr', variable: 'PartThree', value: 'three' },
        ]),
    );
    expect(response.status).toBe(502);
    expect(response.body.error).toMatchObject({
      code: 'OCPP_CALL_ERROR',
      details: {
        ocppErrorCode: 'InternalError',
        results: [
          {
            component: 'OCPPCommCtrlr',
            variable: 'PartOne',
            attributeType: 'Actual',
            attributeStatus: 'Accepted',
          },
        ],
      },
    });
    expect(sent('SetVariables', from)).toHaveLength(2);
    const kept = (await request('GET', `${path}?component=OCPPCommCtrlr`)).body.items;
    const names = kept.map((v: { variable: string }) => v.variable);
    expect(names).toContain('PartOne');
    expect(names).not.toContain('PartTwo');
    expect(names).not.toContain('PartThree');
  });

  it('a refresh the station does not answer in time is 504 and keeps the stored values', async () => {
    await report(13, [reported('DeviceDataCtrlr', 'BytesPerMessage', '4096', 'GetVariables')]);
    const before = (await request('GET', `${path}?component=AuthCtrlr`)).body;
    const response = await answering(
      'GetVariables',
      (params: { getVariableData: VariableData[] }) =>
        new Promise((resolve) => {
          const answer = params.getVariableData.map((data) => ({ ...data, attributeStatus: 'Rejected' }));
          setTimeout(() => resolve({ getVariableResult: answer }), 1_000);
        }),
      () => request('GET', `${path}?component=AuthCtrlr&refresh=true`),
    );
    expect(response.status).toBe(504);
    expect(response.body.error.code).toBe('STATION_TIMEOUT');
    expect((await request('GET', `${path}?component=AuthCtrlr`)).body).toEqual(before);
  });

  it('a station not connected: refresh is 409 STATION_OFFLINE, the kept model is still read without it', async () => {
    const { client } = await bootStation2(app.url, 'OCA-B08-OFF');
    await client.call('NotifyReport', {
      requestId: 1,
      generatedAt: new Date().toISOString(),
      seqNo: 0,
      reportData: [reported('AuthCtrlr', 'AuthorizeRemoteStart', 'true')],
    });
    await client.close();
    const offline = '/api/stations/OCA-B08-OFF';
    await eventually(async () => (await request('GET', offline)).body.connected === false);
    const refreshed = await request('GET', `${offline}/variables?refresh=true`);
    expect(refreshed.status).toBe(409);
    expect(refreshed.body.error.code).toBe('STATION_OFFLINE');
    const kept = await request('GET', `${offline}/variables`);
    expect(kept.body).toEqual({
      items: [
        {
          component: 'AuthCtrlr',
          variable: 'AuthorizeRemoteStart',
          attributeType: 'Actual',
          value: 'true',
          mutability: 'ReadWrite',
        },
      ],
      total: 1,
    });
  });
});
