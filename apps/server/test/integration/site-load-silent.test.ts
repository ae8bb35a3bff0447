import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIdTags, createStation, startTransaction } from '../support/builders.js';
import { DIALECTS } from '../support/databases.js';
import { bootChargePoint, eventually, type TestChargePoint } from '../support/ocpp-client.js';
import { useTestApp } from '../support/use-test-app.js';

type SetProfile = {
  csChargingProfiles: { chargingSchedule: { chargingSchedulePeriod: { limit: number }[] } };
};
const limitOf = (params: unknown) =>
  (params as SetProfile).csChargingProfiles.chargingSchedule.chargingSchedulePeriod[0]!.limit;

describe.each(DIALECTS)('load management with a silent station, on %s', (dialect) => {
  // A call timeout far beyond the 5 s the contract gives: nothing may wait for it.
  const app = useTestApp(dialect, {
    env: { LOAD_MANAGEMENT_INTERVAL_MS: '200', OCPP_CALL_TIMEOUT_MS: '20000' },
  });
  const clients: TestChargePoint[] = [];
  afterAll(async () => {
    await Promise.all(clients.map((client) => client.close({ force: true })));
  });

  /** The limits each station applied (W), in order, and the one a silent station has not answered. */
  const applied = new Map<string, number[]>();
  let silent = false;
  let unanswered: { limitW: number; answer: () => void } | undefined;
  /** The highest sum of the limits in force seen, W: a silent station counted at the higher of its old and new. */
  let highestInForceW = 0;
  const inForceW = () =>
    [...applied.values()].reduce((sum, limits) => sum + (limits.at(-1) ?? 0), 0) +
    Math.max(0, (unanswered?.limitW ?? 0) - (applied.get('SS-A')?.at(-1) ?? 0));
  const apply = (chargePointId: string, limitW: number) => {
    applied.set(chargePointId, [...(applied.get(chargePointId) ?? []), limitW]);
    highestInForceW = Math.max(highestInForceW, inForceW());
  };

  let siteId: number;
  beforeAll(async () => {
    siteId = (
      await app.request('POST', '/api/sites', { token: app.admin, body: { name: 'Silent', maxPowerKw: 30 } })
    ).body.id;
    for (const chargePointId of ['SS-A', 'SS-B']) {
      await createStation(app, app.admin, { chargePointId, siteId, ocppPassword: null, maxPowerKw: 22 });
      await createIdTags(app, app.admin, `TAG-${chargePointId}`);
      const { client } = await bootChargePoint(app.url, chargePointId);
      client.handle(async ({ method, params }) => {
        if (method !== 'SetChargingProfile') return {};
        const limitW = limitOf(params);
        if (chargePointId === 'SS-A' && silent) {
          // The socket stays open; the station answers nothing until told to.
          return new Promise((resolve) => {
            unanswered = {
              limitW,
              answer: () => {
                apply(chargePointId, limitW);
                unanswered = undefined;
                resolve({ status: 'Accepted' });
              },
            };
            highestInForceW = Math.max(highestInForceW, inForceW());
          });
        }
        apply(chargePointId, limitW);
        return { status: 'Accepted' };
      });
      clients.push(client);
    }
  });

  const start = async (i: number) =>
    (
      await startTransaction(clients[i]!, {
        idTag: `TAG-SS-${'AB'[i]}`,
        timestamp: new Date().toISOString(),
      })
    ).transactionId;
  const load = async () => (await app.request('GET', `/api/sites/${siteId}/load`, { token: app.admin })).body;

  it('gives a new session its limit within 5 s while another station is silent, never over the limit', async () => {
    await start(0);
    await eventually(() => applied.get('SS-A')?.at(-1) === 22_000);
    silent = true;
    // What is stored never goes over the limit either: sampled all along.
    let highestStoredKw = 0;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        highestStoredKw = Math.max(highestStoredKw, (await load()).allocatedKw);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    })();
    try {
      const startedAt = Date.now();
      await start(1);
      // SS-A is asked to lower to 15 kW and says nothing: it may still draw 22, SS-B gets the 8 left.
      await eventually(() => applied.get('SS-B')?.at(-1) === 8_000, 5000);
      expect(Date.now() - startedAt).toBeLessThan(5000);
      // (SS-B's first limit goes out in the same pass as SS-A's lowering, and may arrive first.)
      await eventually(() => unanswered !== undefined, 2000);
      expect(unanswered?.limitW).toBe(15_000);
      await eventually(async () => (await load()).sessions.length === 2);
      // It stays so while SS-A keeps silent (the timer passes go on without waiting for it).
      await new Promise((resolve) => setTimeout(resolve, 1500));
      expect(applied.get('SS-B')).toEqual([8_000]);
      // SS-A answers at last: its lowering frees room, and SS-B is raised to an equal share.
      unanswered!.answer();
      await eventually(() => applied.get('SS-B')?.at(-1) === 15_000, 5000);
      await eventually(async () => {
        const body = await load();
        return body.allocatedKw === 30 && body.sessions.every((s: { limitKw: number }) => s.limitKw === 15);
      });
    } finally {
      sampling = false;
      await sampler;
    }
    // Each TxProfile carried a limit that really changed.
    expect(applied.get('SS-A')).toEqual([22_000, 15_000]);
    expect(applied.get('SS-B')).toEqual([8_000, 15_000]);
    expect(highestInForceW).toBeLessThanOrEqual(30_000);
    expect(highestStoredKw).toBeLessThanOrEqual(30);
    expect(highestStoredKw).toBeGreaterThan(0);
  }, 30_000);
});
