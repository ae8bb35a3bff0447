import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import ocppRpc from 'ocpp-rpc';
import { LocalCommandRouter } from '../../src/cluster/command-router.js';
import { InMemoryStationPresence, type StationConnection } from '../../src/cluster/station-presence.js';
import { SHARED_DIALECTS } from '../support/databases.js';
import { withTwoNodes } from '../support/use-test-app.js';
import { connectSocket, join, recorder } from '../support/realtime-client.js';
import { bootChargePoint, connectChargePoint } from '../support/ocpp-client.js';

/** A hand-written connection that answers what it is told to. */
function fakeConnection(chargePointId: string, answer: (action: string) => unknown): StationConnection {
  return {
    chargePointId,
    call: async (action) => answer(action),
    close: async () => undefined,
  };
}

describe('the in-memory station presence and command router (one node)', () => {
  it('routes a command to the current connection, and answers STATION_OFFLINE when there is none', async () => {
    const presence = new InMemoryStationPresence();
    const router = new LocalCommandRouter(presence);
    await expect(router.call('CP-1', 'ClearCache', {}, 1000)).rejects.toMatchObject({
      code: 'STATION_OFFLINE',
    });
    const first = fakeConnection('CP-1', () => ({ status: 'Rejected' }));
    const second = fakeConnection('CP-1', () => ({ status: 'Accepted' }));
    expect(presence.register(first)).toBeUndefined();
    expect(presence.register(second)).toBe(first);
    expect(await router.call('CP-1', 'ClearCache', {}, 1000)).toEqual({ status: 'Accepted' });
    expect(presence.unregister(first)).toBe(false);
    expect(presence.unregister(second)).toBe(true);
    await expect(router.call('CP-1', 'ClearCache', {}, 1000)).rejects.toMatchObject({
      code: 'STATION_OFFLINE',
    });
  });
});

// Declared only when Redis is there to test against, so that no test is ever reported skipped.
// REDIS_URL needs PostgreSQL (SQLite with it is refused at start).
if (process.env.CIMORINGS_TEST_REDIS && SHARED_DIALECTS.length > 0) {
  describe.each(SHARED_DIALECTS)('two nodes sharing Redis and the %s database', (dialect) => {
    it('deliver commands to a station connected to the other node, and replace its connection across nodes', () =>
      withTwoNodes(
        dialect,
        { OCPP_UNKNOWN_STATIONS: 'accept', OCPP_CALL_TIMEOUT_MS: '500' },
        async (nodeA, nodeB) => {
          const id = `XN-${randomBytes(3).toString('hex')}`;
          const { token } = await nodeB.login();
          const { client } = await bootChargePoint(nodeA.url, id);
          client.handle(async ({ method }) => {
            if (method === 'UnlockConnector') throw ocppRpc.createRPCError('NotSupported', 'no actuator');
            if (method === 'Reset') return new Promise(() => {});
            return { status: 'Accepted' };
          });
          const command = (action: string, body: unknown) =>
            nodeB.request('POST', `/api/stations/${id}/commands/${action}`, { token, body });
          const answered = await command('ClearCache', {});
          expect(answered.status, answered.text).toBe(200);
          expect(answered.body).toEqual({ status: 'Accepted' });
          const refused = await command('UnlockConnector', { connectorId: 1 });
          expect(refused.status).toBe(502);
          expect(refused.body.error.details.ocppErrorCode).toBe('NotSupported');
          const late = await command('Reset', { type: 'Soft' });
          expect(late.status).toBe(504);
          expect(late.body.error.code).toBe('STATION_TIMEOUT');

          // The charge point comes back through node B: node A lets go of its old socket.
          const closed = new Promise((resolve) => client.once('close', resolve));
          const again = await connectChargePoint(nodeB.url, id);
          await closed;
          again.handle(async () => ({ status: 'Accepted' }));
          expect((await command('ClearCache', {})).status).toBe(200);
          await again.close();
          const gone = await command('ClearCache', {});
          expect(gone.status).toBe(409);
          expect(gone.body.error.code).toBe('STATION_OFFLINE');
          await client.close({ force: true });
        },
      ));

    it('deliver an event from a station on one node to a dashboard on the other', () =>
      withTwoNodes(dialect, { OCPP_UNKNOWN_STATIONS: 'accept' }, async (nodeA, nodeB) => {
        const { token } = await nodeA.login();
        const socket = await connectSocket(nodeB.url, token);
        expect(await join(socket, 'dashboard')).toEqual({ ok: true });
        const events = recorder(socket);
        const id = `NODE-${randomBytes(3).toString('hex')}`;
        const cp = await connectChargePoint(nodeA.url, id);
        await cp.call('BootNotification', { chargePointVendor: 'V', chargePointModel: 'M' });
        await cp.call('StatusNotification', { connectorId: 1, status: 'Charging', errorCode: 'NoError' });
        const [status] = await events.waitFor('connector_status_updated');
        expect(status).toMatchObject({ chargePointId: id, connectorId: 1, status: 'Charging' });
        socket.close();
        await cp.close();
      }));
  });
}
