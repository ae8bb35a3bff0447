import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/databases.js';
import { ocppUrl } from '../support/ocpp-client.js';
import { useTestApp } from '../support/use-test-app.js';
import { createStation } from '../support/builders.js';
import { baselineSnapshot, useBaseline } from './support/baseline.js';
import {
  expectAnsweredOrClosed,
  expectReadable,
  expectServerUp,
  HostileStation,
} from './support/hostile-station.js';
import { answerProblem } from './support/ocpp-schemas.js';
import { fuzzParameters } from './support/settings.js';
import { isCleanClose } from './support/ocpp-wire.js';

const START = '"connectorId":1,"idTag":"KEEP-TAG","timestamp":"2026-01-11T14:30:00Z"';

/**
 * Frames no charge point should send. `answers`: the message id whose CallError must come back
 * (a refusal; "-1" when the frame is unreadable before its id, as OCPP-J 2.0.1 §4.4 has it), or
 * undefined when it has no usable id (the server may answer "-1", say nothing, or close cleanly).
 */
const MALFORMED: { name: string; text: string | Buffer; answers?: string; valid?: true }[] = [
  { name: 'not JSON', text: 'hello' },
  { name: 'truncated JSON', text: '[2,"t1","Heartbeat",{' },
  { name: 'a NUL byte', text: '\u0000' },
  { name: 'binary frame', text: Buffer.from([0xff, 0xfe, 0x00, 0x01]) },
  { name: 'an object', text: '{"messageTypeId":2}' },
  { name: 'a string', text: '"BootNotification"' },
  { name: 'null', text: 'null' },
  { name: 'an empty array', text: '[]' },
  { name: 'only a type', text: '[2]' },
  { name: 'no action', text: '[2,"a1"]', answers: 'a1' },
  { name: 'no payload', text: '[2,"a2","Heartbeat"]', answers: 'a2' },
  { name: 'a fifth element', text: '[2,"a3","Heartbeat",{},{"more":1}]' },
  { name: 'message type 0', text: '[0,"m0","Heartbeat",{}]', answers: '-1' },
  { name: 'message type 5', text: '[5,"m5","Heartbeat",{}]', answers: '-1' },
  { name: 'message type -1', text: '[-1,"m6","Heartbeat",{}]', answers: '-1' },
  { name: 'message type as text', text: '["2","m7","Heartbeat",{}]' },
  { name: 'message type 2.5', text: '[2.5,"m8","Heartbeat",{}]', answers: '-1' },
  { name: 'message type 1e308', text: '[1e308,"m9","Heartbeat",{}]', answers: '-1' },
  { name: 'a numeric message id', text: '[2,42,"Heartbeat",{}]' },
  { name: 'a null message id', text: '[2,null,"Heartbeat",{}]' },
  // OCPP-J sets no minimum length to a message id: this one is a valid Heartbeat.
  { name: 'an empty message id', text: '[2,"","Heartbeat",{}]', answers: '', valid: true },
  {
    name: 'a huge message id',
    text: `[2,"${'9'.repeat(10_000)}","Heartbeat",{"x":1}]`,
    answers: '9'.repeat(10_000),
  },
  { name: 'a numeric action', text: '[2,"n1",42,{}]', answers: 'n1' },
  { name: 'an unknown action', text: '[2,"n2","LaunchRockets",{}]', answers: 'n2' },
  { name: 'an empty action', text: '[2,"n3","",{}]', answers: 'n3' },
  { name: 'action __proto__', text: '[2,"n4","__proto__",{}]', answers: 'n4' },
  { name: 'action constructor', text: '[2,"n5","constructor",{}]', answers: 'n5' },
  { name: 'action hasOwnProperty', text: '[2,"n6","hasOwnProperty",{}]', answers: 'n6' },
  { name: 'a central system action', text: '[2,"n7","Reset",{"type":"Hard"}]', answers: 'n7' },
  { name: 'a payload list', text: '[2,"p1","Heartbeat",[]]', answers: 'p1' },
  { name: 'a payload null', text: '[2,"p2","BootNotification",null]', answers: 'p2' },
  { name: 'a __proto__ payload', text: '[2,"p3","Heartbeat",{"__proto__":{"polluted":1}}]', answers: 'p3' },
  {
    name: 'a constructor payload',
    text: '[2,"p4","Authorize",{"idTag":"X","constructor":{"prototype":{"polluted":1}}}]',
    answers: 'p4',
  },
  {
    name: 'meterStart 1e400 (Infinity)',
    text: `[2,"x1","StartTransaction",{${START},"meterStart":1e400}]`,
    answers: 'x1',
  },
  {
    name: 'connectorId -0',
    text: '[2,"x2","StatusNotification",{"connectorId":-0,"errorCode":"NoError","status":"Available"}]',
  },
  {
    name: 'connectorId 1.0e0',
    text: '[2,"x3","StatusNotification",{"connectorId":1.0e0,"errorCode":"NoError","status":"Available"}]',
  },
  {
    name: 'nesting 10,000 deep',
    text: `[2,"x4","DataTransfer",{"vendorId":"v","data":${'['.repeat(10_000)}${']'.repeat(10_000)}}]`,
  },
  // Schema-valid, but no CiString holds U+0000 and no PostgreSQL text column can: refused.
  {
    name: 'U+0000 in a text field',
    text: '[2,"z1","BootNotification",{"chargePointVendor":"a\\u0000b","chargePointModel":"m"}]',
    answers: 'z1',
  },
  { name: 'a result for no call', text: '[3,"never-sent",{}]' },
  { name: 'an error for no call', text: '[4,"never-sent","GenericError","",{}]' },
  {
    name: 'a 2 MB DataTransfer',
    text: `[2,"big","DataTransfer",{"vendorId":"v","data":"${'x'.repeat(2 * 1024 * 1024)}"}]`,
  },
];

describe.each(DIALECTS)('malformed OCPP frames on %s', (dialect) => {
  const app = useTestApp(dialect, { env: { OCPP_UNKNOWN_STATIONS: 'pending' } });
  const baseline = useBaseline(app);

  async function stationOf(kind: 'accepted' | 'pending'): Promise<HostileStation> {
    const identity = `FRAMES-${kind === 'accepted' ? 'A' : 'P'}`;
    if (kind === 'pending') return new HostileStation(ocppUrl(app.url), identity);
    const password = 'frames-station-password';
    await createStation(app, app.admin, { chargePointId: identity, name: 'Frames', ocppPassword: password });
    return new HostileStation(ocppUrl(app.url), identity, password);
  }

  /** After any frame: the socket still answers a Heartbeat, or was closed cleanly. */
  async function expectStillServed(station: HostileStation, what: string) {
    const socket = await station.connection().catch((error: unknown) => {
      throw new Error(`after ${what}: ${String(error)}`);
    });
    const probe = await socket.call(station.nextId(), 'Heartbeat', {});
    expectAnsweredOrClosed(probe, `Heartbeat after ${what}`);
    if (probe.kind === 'frame') expect(answerProblem('Heartbeat', true, probe.frame), what).toBeUndefined();
  }

  it.each(['accepted', 'pending'] as const)(
    'refuses every malformed frame from the %s station and stays up',
    async (kind) => {
      const station = await stationOf(kind);
      try {
        for (const { name, text, answers, valid } of MALFORMED) {
          const socket = await station.connection();
          socket.send(text as string);
          if (answers !== undefined) {
            const outcome = await socket.answer(answers);
            expectAnsweredOrClosed(outcome, name);
            if (outcome.kind === 'frame')
              expect(answerProblem('Heartbeat', valid ?? false, outcome.frame), name).toBeUndefined();
          }
          await expectStillServed(station, name);
          socket.drain();
        }
        // The same message id twice at once: each copy is answered (or refused), none is lost.
        const socket = await station.connection();
        socket.send('[2,"twice","Heartbeat",{}]');
        socket.send('[2,"twice","Heartbeat",{}]');
        for (const copy of [1, 2]) {
          const outcome = await socket.answer('twice');
          expect(outcome.kind, `copy ${copy} of a repeated id`).toBe('frame');
          if (outcome.kind === 'frame')
            expect(answerProblem('Heartbeat', true, outcome.frame)).toBeUndefined();
        }
        // Random text: whatever it is, the server answers, ignores or closes cleanly.
        await fc.assert(
          fc.asyncProperty(
            fc.oneof(
              fc.string({ unit: 'binary' }),
              fc.json(),
              fc.jsonValue().map((v) => JSON.stringify([2, 'r', v])),
            ),
            async (text) => {
              const current = await station.connection();
              current.send(text);
              await expectStillServed(station, `random text ${JSON.stringify(text).slice(0, 80)}`);
              current.drain();
            },
          ),
          fuzzParameters(25),
        );
      } finally {
        station.close();
      }
      for (const code of station.closes) expect(isCleanClose(code), `close code ${code}`).toBe(true);
      await expectServerUp(app, app.admin, `FRAMES-FRESH-${kind}`);
      await expectReadable(app, app.admin, [`FRAMES-${kind === 'accepted' ? 'A' : 'P'}`]);
      expect(await baselineSnapshot(app, app.admin, baseline.transactionId)).toEqual(baseline.before);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    },
  );
});
