import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIdTags, createStation, startTransaction } from '../support/builders.js';
import { DIALECTS } from '../support/databases.js';
import { type FleetStation, LoadFleet } from '../support/load-fleet.js';
import { bootChargePoint, eventually, type TestChargePoint } from '../support/ocpp-client.js';
import { connectSocket, join, recorder, type TestSocket } from '../support/realtime-client.js';
import { useTestApp } from '../support/use-test-app.js';

const IDS = Array.from({ length: 20 }, (_, i) => `LM-${String(i + 1).padStart(2, '0')}`);
/** One station in four speaks OCPP 2.0.1: its limits go as 2.x TxProfiles. */
const V2_IDS = IDS.filter((_, i) => i % 4 === 3);
/** 6 A on 3 phases of 230 V. */
const MIN_KW = 4.14;

/** HH:MM in Jakarta of an instant. */
const jakartaTime = (instant: number) =>
  new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Asia/Jakarta',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(instant);

describe.each(DIALECTS)('site load management with 20 simulated stations on %s', (dialect) => {
  // The server's clock runs ahead of real time by `offsetMs` once the schedule test moves it next
  // to a minute boundary, so that the boundary passes within seconds (simulated time).
  let offsetMs = 0;
  const clock = { now: () => new Date(Date.now() + offsetMs) };
  /** When the 50 kW window ends, server time (ms since epoch). */
  let windowEndMs = 0;
  const app = useTestApp(dialect, {
    clock,
    env: {
      OCPP_UNKNOWN_STATIONS: 'reject',
      LOAD_MANAGEMENT_INTERVAL_MS: '200',
      OCPP_CALL_TIMEOUT_MS: '1000',
    },
  });
  let fleet: LoadFleet;
  let siteId: number;
  let refuser: TestChargePoint | undefined;
  let socket: TestSocket;
  let events: ReturnType<typeof recorder>;
  /** The limit the test put in force, kW. */
  let limitKw = 100;
  /** What the refusing station is counted at once its session runs, kW. */
  let refusedKw = 0;

  const load = async () => (await app.request('GET', `/api/sites/${siteId}/load`, { token: app.admin })).body;
  const settled = async (check: (body: Awaited<ReturnType<typeof load>>) => boolean, timeoutMs = 5000) => {
    let last: Awaited<ReturnType<typeof load>>;
    await eventually(async () => check((last = await load())), timeoutMs).catch((error: unknown) => {
      throw new Error(`not settled: ${JSON.stringify(last)}`, { cause: error });
    });
    return last!;
  };
  const charging = () => fleet.stations.filter((s) => fleet.charging(s));

  beforeAll(async () => {
    const site = await app.request('POST', '/api/sites', {
      token: app.admin,
      body: { name: 'Plaza', maxPowerKw: 100 },
    });
    siteId = site.body.id;
    for (const id of [...IDS, 'LM-REFUSE']) {
      await createStation(app, app.admin, {
        chargePointId: id,
        siteId,
        ocppPassword: null,
        maxPowerKw: id === 'LM-REFUSE' ? 11 : 22,
      });
    }
    await createIdTags(app, app.admin, ...IDS.map((id) => `TAG-${id}`), 'TAG-REFUSE');
    socket = await connectSocket(app.url, app.admin);
    events = recorder(socket);
    expect(await join(socket, 'dashboard')).toEqual({ ok: true });
    fleet = new LoadFleet(app.url, IDS, V2_IDS);
    await fleet.start();
    // A session draws its maximum until its first TxProfile arrives: after its StartTransaction.conf
    // and the 300 ms the manager lets events settle (more on a busy machine): 2.5 s of grace.
    fleet.watch(
      () => limitKw,
      () => refusedKw,
      2500,
    );
  });
  afterAll(async () => {
    socket?.close();
    await refuser?.close({ force: true });
    await fleet?.stop();
  });

  it('shares 100 kW equally among sessions arriving at random, each at least the minimum', async () => {
    for (const station of [...fleet.stations].sort(() => Math.random() - 0.5)) {
      await station.startSession(1);
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 150));
    }
    const body = await settled(
      (b) => b.sessions.length === 20 && b.sessions.every((s: { limitKw: number }) => s.limitKw === 5),
    );
    expect(body).toMatchObject({ limitKw: 100, allocatedKw: 100 });
    await eventually(() => fleet.givenKw() === 100);
    // The stations draw what they were given: the measured site power follows.
    await eventually(async () => Math.abs((await load()).measuredKw - 100) < 1);
    const update = (await events.waitFor('site_load_updated')).at(-1);
    expect(update).toMatchObject({ siteId, limitKw: 100, timestamp: expect.any(String) });
  });

  it('gives the share of stopped sessions to the others, and does not flap while nothing changes', async () => {
    for (const station of charging().slice(0, 5)) await station.stopSession(1);
    // 100 / 15 = 6.66 kW each, or a limit kept within the 0.2 kW hysteresis of it (what one keeps
    // below its share goes to the others).
    const body = await settled(
      (b) =>
        b.sessions.length === 15 &&
        b.sessions.every((s: { limitKw: number }) => s.limitKw >= 6.46 && s.limitKw <= 6.9),
    );
    expect(body.allocatedKw).toBeLessThanOrEqual(100);
    await eventually(() => Math.abs(fleet.givenKw() - body.allocatedKw) < 0.01);
    const before = fleet.txProfiles.length;
    await new Promise((resolve) => setTimeout(resolve, 2000));
    // Ten meter values per station meanwhile, and not one new profile.
    expect(fleet.txProfiles.length).toBe(before);
  });

  it('drops to 50 kW at a schedule boundary, pausing the latest arrivals, then resumes them first come first served', async () => {
    // Move the server's clock to 1.5 s before the next minute, and let the window start there.
    const now = Date.now();
    const boundary = Math.ceil((now + 3000) / 60_000) * 60_000;
    offsetMs = boundary - 1500 - now;
    const from = jakartaTime(boundary);
    windowEndMs = boundary + 3_600_000;
    const to = jakartaTime(windowEndMs);
    const patched = await app.request('PATCH', `/api/sites/${siteId}`, {
      token: app.admin,
      body: { limitSchedule: [{ from, to, maxPowerKw: 50 }] },
    });
    expect(patched.status, patched.text).toBe(200);
    expect((await load()).limitKw).toBe(100);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    limitKw = 50;
    fleet.changed();
    // 15 sessions need 62.1 kW of minimums: the 12 that fit go on at 4.16 kW, the last 3 wait.
    const body = await settled(
      (b) => b.limitKw === 50 && b.sessions.filter((s: { paused: boolean }) => s.paused).length === 3,
      5000,
    );
    const order = [...body.sessions].sort((a, b) => a.transactionId - b.transactionId);
    expect(order.map((s: { paused: boolean }) => s.paused)).toEqual([
      ...Array(12).fill(false),
      ...Array(3).fill(true),
    ]);
    expect(body.allocatedKw).toBeLessThanOrEqual(50);
    for (const s of body.sessions.filter((x: { paused: boolean }) => !x.paused))
      expect(s.limitKw).toBeGreaterThanOrEqual(MIN_KW);
    // Room for one more: the earliest paused session resumes, not the latest.
    const served = order.filter((s: { paused: boolean }) => !s.paused);
    await fleet.station(served[0].chargePointId).stopSession(1);
    const resumed = await settled(
      (b) => b.sessions.length === 14 && b.sessions.filter((s: { paused: boolean }) => s.paused).length === 2,
    );
    const paused = resumed.sessions
      .filter((s: { paused: boolean }) => s.paused)
      .map((s: { transactionId: number }) => s.transactionId);
    expect(paused).toEqual(order.slice(13).map((s: { transactionId: number }) => s.transactionId));
  });

  it('counts a station that disconnects at its last limit, and gives it that limit again when it reconnects', async () => {
    const body = await load();
    const target = body.sessions.find((s: { paused: boolean }) => !s.paused);
    const station = fleet.station(target.chargePointId);
    await station.stop({ stopSessions: false });
    await eventually(
      async () =>
        !(await app.request('GET', `/api/stations/${station.id}`, { token: app.admin })).body.connected,
    );
    const meanwhile = await load();
    expect(
      meanwhile.sessions.find((s: { chargePointId: string }) => s.chargePointId === station.id)?.limitKw,
    ).toBe(target.limitKw);
    expect(meanwhile.allocatedKw).toBeLessThanOrEqual(50);
    // Once it boots again, the server sends its limit again (a reboot may have lost it).
    const sentBefore = fleet.txProfiles.filter((p) => p.chargePointId === station.id).length;
    const accepted = fleet.accepted(station);
    await station.start();
    await accepted;
    await eventually(async () => {
      const now = (await load()).sessions.find(
        (s: { chargePointId: string }) => s.chargePointId === station.id,
      );
      const resent = fleet.txProfiles.filter((p) => p.chargePointId === station.id).slice(sentBefore);
      return resent.some((p) => p.status === 'Accepted' && p.limitKw === now?.limitKw);
    }, 5000);
  });

  it('counts a station that refuses profiles at its maximum, and keeps the sum within the limit', async () => {
    ({ client: refuser } = await bootChargePoint(app.url, 'LM-REFUSE'));
    refuser.handle(async ({ method }) => (method === 'SetChargingProfile' ? { status: 'Rejected' } : {}));
    refusedKw = 11;
    fleet.changed();
    const { transactionId } = await startTransaction(refuser, {
      idTag: 'TAG-REFUSE',
      timestamp: new Date().toISOString(),
    });
    const body = await settled(
      (b) =>
        b.sessions.some(
          (s: { transactionId: number; limitKw: number }) =>
            s.transactionId === transactionId && s.limitKw === 11,
        ) && b.allocatedKw <= 50,
    );
    // What is not given is at most the 0.2 kW hysteresis per session.
    expect(body.allocatedKw).toBeGreaterThan(50 - 0.2 * body.sessions.length);
    await eventually(() => fleet.givenKw() <= 39 + 0.01);
  });

  it('serves every session while they start and stop at random over 10 minutes of server time, across the end of the 50 kW window', async () => {
    const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    const pick = <T>(list: readonly T[]) => list[Math.floor(Math.random() * list.length)]!;
    /** When each running session started (test time): served once given more than 0 since. */
    const startedAt = new Map<string, number>();
    for (const station of charging()) startedAt.set(station.id, 0);
    const served = (station: FleetStation) =>
      fleet.txProfiles.some(
        (p) =>
          p.chargePointId === station.id &&
          p.at >= (startedAt.get(station.id) ?? Infinity) &&
          p.status === 'Accepted' &&
          p.limitKw > 0,
      );
    // Five minutes before the window ends, then 30 s of server time every round, 20 rounds.
    offsetMs = windowEndMs - 5 * 60_000 - Date.now();
    for (let round = 0; round < 20; round++) {
      const idle = fleet.stations.filter((s) => !fleet.charging(s));
      const done = charging().filter(served);
      if (idle.length > 0 && (done.length === 0 || Math.random() < 0.5)) {
        const station = pick(idle);
        startedAt.set(station.id, Date.now());
        await station.startSession(1);
      } else if (done.length > 0) {
        await pick(done).stopSession(1);
      }
      // The window ends within the next round: the test's limit rises first (a rise never hurts).
      if (Date.now() + offsetMs + 35_000 >= windowEndMs) limitKw = 100;
      offsetMs += 30_000;
      await sleep(300);
    }
    expect(limitKw).toBe(100);
    const body = await settled(
      (b) => b.limitKw === 100 && b.sessions.every((s: { paused: boolean }) => !s.paused),
      10_000,
    );
    expect(body.allocatedKw).toBeLessThanOrEqual(100);
    await eventually(() => charging().every(served), 10_000);
  }, 60_000);

  it('never gave more than the limit in force, beyond a moment after a change', () => {
    expect(fleet.violations).toEqual([]);
    expect(events.of('site_load_updated').every((e) => e.siteId === siteId)).toBe(true);
  });

  it('sends nothing for a site without a limit', async () => {
    const site = await app.request('POST', '/api/sites', { token: app.admin, body: { name: 'No limit' } });
    await createStation(app, app.admin, {
      chargePointId: 'LM-FREE',
      siteId: site.body.id,
      ocppPassword: null,
    });
    await createIdTags(app, app.admin, 'TAG-LM-FREE');
    const free = new LoadFleet(app.url, ['LM-FREE']);
    await free.start();
    try {
      await free.stations[0]!.startSession(1);
      await new Promise((resolve) => setTimeout(resolve, 1500));
      expect(free.txProfiles).toEqual([]);
      const freeLoad = await app.request('GET', `/api/sites/${site.body.id}/load`, { token: app.admin });
      expect(freeLoad.body).toMatchObject({ limitKw: null, allocatedKw: 0 });
    } finally {
      await free.stop();
    }
  });
});
