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
import {
  answerProblem,
  CHARGE_POINT_ACTIONS,
  isValid,
  resolverFor,
  schemaOf,
} from './support/ocpp-schemas.js';
import { mutated, shapedBy } from './support/schema-arbitrary.js';
import { fuzzParameters } from './support/settings.js';

/** Per station and dialect; every action gets about a tenth of them. */
const RUNS = 140;

/** A request of any charge point action: shaped by its official schema, or broken in one way. */
const hostileCall = fc.constantFrom(...CHARGE_POINT_ACTIONS).chain((action) => {
  const schema = schemaOf(`urn:${action}.req`);
  const resolve = resolverFor(schema);
  return fc.oneof(
    {
      arbitrary: shapedBy(schema, resolve).map((payload) => ({ action, payload, how: 'shaped' })),
      weight: 3,
    },
    {
      arbitrary: mutated(schema, resolve).map(({ value, mutation }) => ({
        action,
        payload: value,
        how: mutation,
      })),
      weight: 2,
    },
  );
});

describe.each(DIALECTS)('hostile OCPP payloads on %s', (dialect) => {
  const app = useTestApp(dialect, { env: { OCPP_UNKNOWN_STATIONS: 'pending' } });
  const baseline = useBaseline(app);

  const stations = {
    accepted: async () => {
      const password = 'accepted-hostile-password';
      await createStation(app, app.admin, {
        chargePointId: 'HOSTILE-A',
        name: 'Hostile',
        ocppPassword: password,
      });
      return new HostileStation(ocppUrl(app.url), 'HOSTILE-A', password);
    },
    'unknown (pending)': async () => new HostileStation(ocppUrl(app.url), 'HOSTILE-UNKNOWN'),
  };

  it.each(Object.keys(stations) as (keyof typeof stations)[])(
    'answers every action from the %s station with a valid CallResult or a CallError, and loses nothing',
    async (kind) => {
      const station = await stations[kind]();
      try {
        await fc.assert(
          fc.asyncProperty(hostileCall, async ({ action, payload, how }) => {
            const outcome = await station.call(action, payload);
            const what = `${action} (${how})`;
            expectAnsweredOrClosed(outcome, what);
            if (outcome.kind !== 'frame') return;
            const valid = isValid(`urn:${action}.req`, payload);
            expect(answerProblem(action, valid, outcome.frame), what).toBeUndefined();
          }),
          fuzzParameters(RUNS),
        );
      } finally {
        station.close();
      }
      await expectServerUp(app, app.admin, `FRESH-${kind === 'accepted' ? 'A' : 'P'}`);
      await expectReadable(app, app.admin, [station.identity]);
      expect(await baselineSnapshot(app, app.admin, baseline.transactionId)).toEqual(baseline.before);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    },
  );
});
