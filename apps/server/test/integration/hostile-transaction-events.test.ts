import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/databases.js';
import type { TestChargePoint } from '../support/ocpp-client.js';
import { bootStation2 } from '../support/ocpp2-client.js';
import { useTestApp } from '../support/use-test-app.js';

/** A TransactionEvent of transaction `transactionId` on EVSE 1, with `changes`. */
function event(transactionId: string, changes: Record<string, unknown> = {}) {
  return {
    eventType: 'Started',
    timestamp: new Date().toISOString(),
    triggerReason: 'CablePluggedIn',
    seqNo: 0,
    transactionInfo: { transactionId },
    evse: { id: 1, connectorId: 1 },
    ...changes,
  };
}

/** A station sending odd but valid TransactionEvents, and invalid ones that must change nothing. */
describe.each(DIALECTS)('odd 2.0.1 TransactionEvents on %s', (dialect) => {
  const app = useTestApp(dialect, { env: { OCPP_UNKNOWN_STATIONS: 'accept' } });
  let station: TestChargePoint;

  beforeAll(async () => {
    ({ client: station } = await bootStation2(app.url, 'HTE-1', { strictMode: false }));
  });
  afterAll(async () => {
    await station?.close({ force: true });
  });

  const transaction = async (id: string) => {
    const response = await app.request('GET', `/api/transactions/${id}`, { token: app.admin });
    expect(response.status, response.text).toBe(200);
    return response.body as { idTag: string | null; status: string; meterStop: number | null };
  };

  it('takes a NoAuthorization token as no token: no id tag kept, no decision answered', async () => {
    // OCPP 2.0.1 IdTokenEnumType: NoAuthorization leaves the idToken empty (a start button).
    const noAuthorization = { idToken: '', type: 'NoAuthorization' };
    await expect(
      station.call('TransactionEvent', event('HTE-NOAUTH', { idToken: noAuthorization })),
    ).resolves.toEqual({});
    await expect(
      station.call(
        'TransactionEvent',
        event('HTE-NOAUTH', {
          eventType: 'Updated',
          seqNo: 1,
          triggerReason: 'ChargingStateChanged',
          idToken: noAuthorization,
        }),
      ),
    ).resolves.toEqual({});
    expect(await transaction('HTE-NOAUTH')).toMatchObject({ idTag: null, status: 'active' });
  });

  it('refuses a seqNo beyond 2^53, a bad timestamp or an EVSE out of range, keeping what was stored', async () => {
    await station.call(
      'TransactionEvent',
      event('HTE-KEPT', {
        meterValue: [
          {
            timestamp: new Date().toISOString(),
            sampledValue: [{ value: 1000, context: 'Transaction.Begin' }],
          },
        ],
      }),
    );
    const refused = [
      event('HTE-KEPT', { eventType: 'Ended', seqNo: 2 ** 53 }),
      event('HTE-KEPT', { eventType: 'Ended', seqNo: 1, timestamp: '2020-13-45T99:99:99Z' }),
      event('HTE-KEPT', { eventType: 'Ended', seqNo: 1, evse: { id: 0 } }),
      event('HTE-KEPT', { eventType: 'Ended', seqNo: 1, evse: { id: 2 ** 31 } }),
      event('HTE-KEPT', { eventType: 'Ended', seqNo: 1.5 }),
    ];
    for (const payload of refused) {
      await expect(station.call('TransactionEvent', payload)).rejects.toMatchObject({
        rpcErrorCode: expect.stringMatching(/ConstraintViolation$/),
      });
    }
    expect(await transaction('HTE-KEPT')).toMatchObject({ status: 'active', meterStop: null });
    await expect(station.call('Heartbeat', {})).resolves.toHaveProperty('currentTime');
    expect((await app.request('GET', '/api/health')).status).toBe(200);
  });
});
