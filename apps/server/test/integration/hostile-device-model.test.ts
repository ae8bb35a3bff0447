import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/databases.js';
import type { TestChargePoint } from '../support/ocpp-client.js';
import { bootStation2 } from '../support/ocpp2-client.js';
import { useTestApp } from '../support/use-test-app.js';

/** One reportData entry of OCPPCommCtrlr.OfflineThreshold with `values` as its Actual attributes. */
function offlineThreshold(...values: string[]) {
  return {
    component: { name: 'OCPPCommCtrlr' },
    variable: { name: 'OfflineThreshold' },
    variableAttribute: values.map((value) => ({ type: 'Actual', value, mutability: 'ReadWrite' })),
  };
}

/** A station reporting its device model badly: the same attribute twice, limits of nonsense. */
describe.each(DIALECTS)('a 2.0.1 device model reported twice over on %s', (dialect) => {
  const app = useTestApp(dialect, { env: { OCPP_UNKNOWN_STATIONS: 'accept', OCPP_CALL_TIMEOUT_MS: '1000' } });
  let station: TestChargePoint;

  beforeAll(async () => {
    ({ client: station } = await bootStation2(app.url, 'HDM-1', {
      handlers: {
        SetVariables: (params) => ({
          setVariableResult: (
            params as { setVariableData: { component: unknown; variable: unknown }[] }
          ).setVariableData.map(({ component, variable }) => ({
            component,
            variable,
            attributeStatus: 'Accepted',
          })),
        }),
      },
    }));
  });
  afterAll(async () => {
    await station?.close({ force: true });
  });

  const variables = async () => {
    const response = await app.request('GET', '/api/stations/HDM-1/variables', { token: app.admin });
    expect(response.status, response.text).toBe(200);
    return response.body.items as { component: string; variable: string; value: string | null }[];
  };

  it('keeps the last of an attribute a NotifyReport part names twice, and answers it', async () => {
    const report = {
      requestId: 1,
      generatedAt: new Date().toISOString(),
      seqNo: 0,
      reportData: [offlineThreshold('60', '61'), offlineThreshold('62')],
    };
    await expect(station.call('NotifyReport', report)).resolves.toEqual({});
    expect(await variables()).toEqual([
      expect.objectContaining({ variable: 'OfflineThreshold', value: '62' }),
    ]);
    // Still served, and what was kept stays kept.
    await expect(station.call('Heartbeat', {})).resolves.toHaveProperty('currentTime');
  });

  it('keeps the last of a variable a NotifyEvent names twice', async () => {
    const event = (eventId: number, actualValue: string) => ({
      eventId,
      timestamp: new Date().toISOString(),
      trigger: 'Delta',
      actualValue,
      eventNotificationType: 'HardWiredNotification',
      component: { name: 'OCPPCommCtrlr' },
      variable: { name: 'OfflineThreshold' },
    });
    await expect(
      station.call('NotifyEvent', {
        generatedAt: new Date().toISOString(),
        seqNo: 0,
        eventData: [event(1, '70'), event(2, '71')],
      }),
    ).resolves.toEqual({});
    expect(await variables()).toEqual([
      expect.objectContaining({ variable: 'OfflineThreshold', value: '71' }),
    ]);
  });

  it.each([2 ** 31, 2 ** 53 - 1, -1])(
    'refuses a report or event naming EVSE or connector %d with PropertyConstraintViolation, keeping what was kept',
    async (id) => {
      const before = await variables();
      const onEvse = (evse: { id: number; connectorId?: number }) => ({
        ...offlineThreshold('99'),
        component: { name: 'EVSE', evse },
      });
      for (const evse of [{ id }, { id: 1, connectorId: id }] as { id: number; connectorId?: number }[]) {
        await expect(
          station.call('NotifyReport', {
            requestId: 2,
            generatedAt: new Date().toISOString(),
            seqNo: 0,
            reportData: [offlineThreshold('99'), onEvse(evse)],
          }),
        ).rejects.toMatchObject({ rpcErrorCode: 'PropertyConstraintViolation' });
        await expect(
          station.call('NotifyEvent', {
            generatedAt: new Date().toISOString(),
            seqNo: 0,
            eventData: [
              {
                eventId: 1,
                timestamp: new Date().toISOString(),
                trigger: 'Delta',
                actualValue: '99',
                eventNotificationType: 'HardWiredNotification',
                component: { name: 'EVSE', evse },
                variable: { name: 'Power' },
              },
            ],
          }),
        ).rejects.toMatchObject({ rpcErrorCode: 'PropertyConstraintViolation' });
      }
      expect(await variables()).toEqual(before);
      await expect(station.call('Heartbeat', {})).resolves.toHaveProperty('currentTime');
    },
  );

  it('answers a PATCH that changes one variable twice, one result each, keeping the last value', async () => {
    const change = { component: 'OCPPCommCtrlr', variable: 'OfflineThreshold' };
    const response = await app.request('PATCH', '/api/stations/HDM-1/variables', {
      token: app.admin,
      body: [
        { ...change, value: '80' },
        { ...change, value: '81' },
      ],
    });
    expect(response.status, response.text).toBe(200);
    expect(response.body.results).toHaveLength(2);
    expect(await variables()).toEqual([
      expect.objectContaining({ variable: 'OfflineThreshold', value: '81' }),
    ]);
    expect((await app.request('GET', '/api/health')).status).toBe(200);
  });
});
