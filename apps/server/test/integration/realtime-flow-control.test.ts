import type { Socket as NetSocket } from 'node:net';
import { io, type Socket } from 'socket.io-client';
import { afterAll, describe, expect, it } from 'vitest';
import { meterValuesKey } from '../../src/realtime/flow-control.js';
import { join, recorder } from '../support/realtime-client.js';
import { useTestApp } from '../support/use-test-app.js';

const T0 = Date.parse('2026-03-01T08:00:00.000Z');
const TRANSACTIONS = [101, 102, 103];
/** Enough meter values to fill the loopback buffers of a client that stopped reading (several MB). */
const METER_EVENTS = 60_000;
const STATUS_EVERY = 500;

/** A dashboard client over WebSocket only, so that its TCP socket can be paused. */
function connectWebSocket(url: string, token: string): Promise<Socket> {
  const socket = io(url, { auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', reject);
  });
}

/** The client's own TCP socket (socket.io-client over the `ws` package). */
function tcpOf(socket: Socket): NetSocket {
  const transport = socket.io.engine.transport as unknown as { ws: { _socket: NetSocket } };
  return transport.ws._socket;
}

async function conflatedSoFar(app: { request: (method: string, path: string) => Promise<{ text: string }> }) {
  const metrics = (await app.request('GET', '/metrics')).text;
  return Number(/^realtime_meter_values_conflated_total (\d+)$/m.exec(metrics)?.[1] ?? NaN);
}

describe('real-time flow control', () => {
  const app = useTestApp('sqlite');
  const sockets: Socket[] = [];
  afterAll(() => sockets.forEach((socket) => socket.close()));

  it('knows a meter_values_updated packet by its transaction, and no other packet', () => {
    const payload = { chargePointId: 'CP-"1"', transactionId: 7, connectorId: 1, energy: 1, power: null };
    expect(meterValuesKey(`2["meter_values_updated",${JSON.stringify(payload)}]`)).toBe('7@"CP-\\"1\\""');
    expect(
      meterValuesKey(`2["meter_values_updated",${JSON.stringify({ ...payload, transactionId: null })}]`),
    ).toBe(undefined);
    expect(meterValuesKey('2["connector_status_updated",{"chargePointId":"CP","transactionId":7,}]')).toBe(
      undefined,
    );
    expect(meterValuesKey(Buffer.from('2["meter_values_updated"'))).toBe(undefined);
  });

  it('gives a client that fell behind the newest meter value of each transaction, every other event in order, and counts the skips', async () => {
    const fast = await connectWebSocket(app.url, app.admin);
    const slow = await connectWebSocket(app.url, app.admin);
    sockets.push(fast, slow);
    for (const socket of [fast, slow]) expect(await join(socket, 'dashboard')).toEqual({ ok: true });
    const fastSeen = recorder(fast);
    const slowSeen = recorder(slow);
    expect(await conflatedSoFar(app)).toBe(0);

    // The slow dashboard stops reading: the server's writes to it back up.
    tcpOf(slow).pause();
    let statuses = 0;
    for (let n = 0; n < METER_EVENTS; n++) {
      const transactionId = TRANSACTIONS[n % TRANSACTIONS.length] ?? 0;
      app.events.publish({
        type: 'MeterValuesReceived',
        chargePointId: 'CP-FLOW',
        transactionId,
        connectorId: 1,
        energy: n,
        power: 11,
        soc: null,
        timestamp: new Date(T0 + n).toISOString(),
      });
      if (n % STATUS_EVERY === 0) {
        app.events.publish({
          type: 'ConnectorStatusChanged',
          chargePointId: 'CP-FLOW',
          connectorId: 1,
          status: statuses++ % 2 === 0 ? 'Charging' : 'SuspendedEV',
          errorCode: `NoError-${statuses}`,
          timestamp: new Date(T0 + n).toISOString(),
        });
      }
      // Turns of the event loop, as events arrive in a running server: the writes go out between them.
      if (n % 200 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    const conflated = await conflatedSoFar(app);
    expect(conflated).toBeGreaterThan(0);

    tcpOf(slow).resume();
    const last = METER_EVENTS - 1;
    const newest = (seen: ReturnType<typeof recorder>) =>
      TRANSACTIONS.map(
        (id) => seen.of('meter_values_updated').findLast((p) => p.transactionId === id)?.energy,
      );
    const expected = TRANSACTIONS.map((_, index) => last - ((last - index) % TRANSACTIONS.length));
    for (const seen of [fastSeen, slowSeen]) {
      const end = Date.now() + 20_000;
      while (JSON.stringify(newest(seen)) !== JSON.stringify(expected) && Date.now() < end) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(newest(seen)).toEqual(expected);
      await seen.waitFor('connector_status_updated', statuses, 20_000);
    }

    // Every other event, all of them, in the order sent.
    const statusesOf = (seen: ReturnType<typeof recorder>) =>
      seen.of('connector_status_updated').map((payload) => payload.errorCode);
    expect(statusesOf(slowSeen)).toEqual(statusesOf(fastSeen));
    expect(statusesOf(slowSeen)).toHaveLength(statuses);
    // Each transaction's values in the order measured; nothing but superseded values skipped, each counted.
    for (const seen of [fastSeen, slowSeen]) {
      for (const id of TRANSACTIONS) {
        const energies = seen
          .of('meter_values_updated')
          .filter((payload) => payload.transactionId === id)
          .map((payload) => payload.energy as number);
        expect(energies).toEqual([...energies].sort((a, b) => a - b));
      }
    }
    const delivered = fastSeen.of('meter_values_updated').length + slowSeen.of('meter_values_updated').length;
    expect(delivered + (await conflatedSoFar(app))).toBe(2 * METER_EVENTS);
    expect(slowSeen.of('meter_values_updated').length).toBeLessThan(METER_EVENTS);
  });
});
