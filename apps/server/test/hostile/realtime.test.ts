import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/databases.js';
import { bootChargePoint } from '../support/ocpp-client.js';
import { connectSocket, join, recorder, type TestSocket } from '../support/realtime-client.js';
import { useTestApp } from '../support/use-test-app.js';
import { hostileJson, nastyString } from './support/hostile-values.js';
import { fuzzParameters } from './support/settings.js';

const RUNS = 40;
/** Under the server's sustained rate (about 10 per second), so that most events are judged on their payload. */
const PACE_MS = 80;

/** Something nested deeper than anyone needs. */
function nested(depth: number): unknown {
  let value: unknown = { room: 'dashboard' };
  for (let level = 0; level < depth; level += 1) value = { room: value };
  return value;
}

const payload = fc.oneof(
  { arbitrary: hostileJson, weight: 4 },
  {
    arbitrary: fc
      .oneof(
        nastyString(),
        fc.constantFrom('dashboard', 'transactions', 'station_KEEP-1', 'station_', 'admin'),
      )
      .map((room) => ({ room })),
    weight: 3,
  },
  { arbitrary: fc.uint8Array({ maxLength: 64 }).map((bytes) => Buffer.from(bytes)), weight: 1 },
  { arbitrary: fc.constantFrom(nested(200), { room: 'x'.repeat(100_000) }, 'x'.repeat(200_000)), weight: 1 },
);

const hostileEmit = fc.record({
  event: fc.constantFrom(
    'join_room',
    'leave_room',
    'unknown',
    'transaction_started',
    '__proto__',
    'constructor',
    'hasOwnProperty',
    'x'.repeat(1_000),
  ),
  args: fc.array(payload, { maxLength: 3 }),
  withAck: fc.boolean(),
});

/** A failed or a successful acknowledgement, and nothing else. */
function expectRoomAck(answer: unknown, what: string) {
  expect(answer, what).toEqual(expect.objectContaining({ ok: expect.any(Boolean) }) as unknown);
  const { ok, error } = answer as { ok: boolean; error?: unknown };
  if (!ok) expect(typeof error, what).toBe('string');
}

describe.each(DIALECTS)('hostile Socket.IO clients on %s', (dialect) => {
  const app = useTestApp(dialect, { env: { OCPP_UNKNOWN_STATIONS: 'accept' } });
  let watcher: TestSocket;

  beforeAll(async () => {
    watcher = await connectSocket(app.url, app.admin);
    expect(await join(watcher, 'dashboard')).toEqual({ ok: true });
  });
  afterAll(async () => {
    watcher?.close();
  });

  it('answers with a failed ack a join without a payload, with several, and an unknown event', async () => {
    const socket = await connectSocket(app.url, app.admin);
    try {
      expect(await socket.timeout(3_000).emitWithAck('join_room')).toEqual({
        ok: false,
        error: 'INVALID_PAYLOAD',
      });
      expect(await socket.timeout(3_000).emitWithAck('leave_room')).toEqual({
        ok: false,
        error: 'INVALID_PAYLOAD',
      });
      expect(await socket.timeout(3_000).emitWithAck('join_room', { room: 'dashboard' }, 'extra')).toEqual({
        ok: true,
      });
      expect(await socket.timeout(3_000).emitWithAck('launch_rockets', { room: 'dashboard' })).toEqual({
        ok: false,
        error: 'UNKNOWN_EVENT',
      });
    } finally {
      socket.close();
    }
  });

  it('answers every event that waits for an answer, stays up and keeps serving other clients', async () => {
    let hostile = await connectSocket(app.url, app.admin);
    const disconnects: string[] = [];
    const watch = (socket: TestSocket) => socket.on('disconnect', (reason) => void disconnects.push(reason));
    watch(hostile);
    const received = recorder(watcher);
    try {
      await fc.assert(
        fc.asyncProperty(hostileEmit, async ({ event, args, withAck }) => {
          if (!hostile.connected) {
            hostile = await connectSocket(app.url, app.admin);
            watch(hostile);
          }
          const what = `${event.slice(0, 40)} ${JSON.stringify(args).slice(0, 200)}`;
          if (withAck) {
            const answer: unknown = await hostile
              .timeout(3_000)
              .emitWithAck(event, ...args)
              .catch((error: unknown) =>
                hostile.connected
                  ? Promise.reject(new Error(`no acknowledgement: ${what}: ${String(error)}`))
                  : 'disconnected',
              );
            if (answer !== 'disconnected') expectRoomAck(answer, what);
          } else {
            hostile.emit(event, ...args);
          }
          await new Promise((resolve) => setTimeout(resolve, PACE_MS));
        }),
        fuzzParameters(RUNS),
      );
      // A flood: refused (RATE_LIMITED) and then cut off, never answered with anything else.
      const answers = await Promise.all(
        Array.from({ length: 80 }, () =>
          hostile
            .timeout(3_000)
            .emitWithAck('join_room', { room: 'dashboard' })
            .catch(() => 'disconnected'),
        ),
      );
      for (const answer of answers) if (answer !== 'disconnected') expectRoomAck(answer, 'flood');
      expect(answers.some((answer) => (answer as { error?: string }).error === 'RATE_LIMITED')).toBe(true);
    } finally {
      hostile.close();
    }
    // Only the server's own decisions (rate limit, oversized packet) ended a hostile connection.
    for (const reason of disconnects)
      expect(['io server disconnect', 'transport close', 'io client disconnect', 'parse error']).toContain(
        reason,
      );
    expect((await app.request('GET', '/api/health')).status).toBe(200);
    const { client } = await bootChargePoint(app.url, 'RT-HOSTILE');
    await client.call('StatusNotification', { connectorId: 1, errorCode: 'NoError', status: 'Available' });
    await received.waitFor('connector_status_updated');
    expect(watcher.connected).toBe(true);
    const fresh = await connectSocket(app.url, app.admin);
    expect(await join(fresh, 'dashboard')).toEqual({ ok: true });
    fresh.close();
    await client.close();
  });
});
