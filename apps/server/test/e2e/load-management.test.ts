import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIdTags, createStation, startTransaction } from '../support/builders.js';
import { DIALECTS } from '../support/databases.js';
import { type FleetStation, LoadFleet, METER_INTERVAL_MS } from '../support/load-fleet.js';
import { bootChargePoint, eventually, type TestChargePoint } from '../support/ocpp-client.js';
import { connectSocket, join, recorder, type TestSocket } from '../support/realtime-client.js';
import { SimulatedTime } from '../support/simulated-time.js';
import { useTestApp } from '../support/use-test-app.js';

const IDS = Array.from({ length: 20 }, (_, i) => `LM-${String(i + 1).padStart(2, '0')}`);
/** One station in four speaks OCPP 2.0.1: its limits go as 2.x TxProfiles. */
const V2_IDS = IDS.filter((_, i) => i % 4 === 3);
/** 6 A on 3 phases of 230 V. */
const MIN_KW = 4.14;
/** Simulated time runs this much faster than real time, for the server and the stations alike. */
const RATE = 20;
const MINUTE_MS = 60_000;

/** HH:MM in Jakarta of an instant. */
const jakartaTime = (instant: number) =>
  new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Asia/Jakarta',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(instant);

/** The next whole minute at least `aheadMs` after `at`, ms since the epoch. */
const minuteAfter = (at: number, aheadMs: number) => Math.ceil((at + aheadMs) / MINUTE_MS) * MINUTE_MS;

describe.each(DIALECTS)('site load management with 20 simulated stations on %s', (dialect) => {
  // One simulated clock at 20× for the server (its clock and the load manager's timers) and the
  // stations (meters, sessions, profiles, meter value timers): ten minutes pass in thirty seconds.
  const time = new SimulatedTime(RATE);
  /** The 50 kW window in force, simulated ms since the epoch: [from, to). */
  let window = { from: Infinity, to: Infinity };
  /** The limit the test put in force at a moment, kW. */
  const limitAt = (at: number) => (at >= window.from && at < window.to ? 50 : 100);
  const app = useTestApp(dialect, {
    clock: time.clock,
    timers: time,
    env: {
      OCPP_UNKNOWN_STATIONS: 'reject',
      LOAD_MANAGEMENT_INTERVAL_MS: '2000',
      OCPP_CALL_TIMEOUT_MS: '1000',
    },
  });
  /** Puts a 50 kW window in the schedule from `from` to `to` (simulated ms, whole minutes). */
  const scheduleWindow = async (from: number, to: number) => {
    const patched = await app.request('PATCH', `/api/sites/${siteId}`, {
      token: app.admin,
      body: { limitSchedule: [{ from: jakartaTime(from), to: jakartaTime(to), maxPowerKw: 50 }] },
    });
    expect(patched.status, patched.text).toBe(200);
    window = { from, to };
  };
  let fleet: LoadFleet;
  let siteId: number;
  let refuser: TestChargePoint | undefined;
  let socket: TestSocket;
  let events: ReturnType<typeof recorder>;
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
    fleet = new LoadFleet(app.url, IDS, V2_IDS, time);
    await fleet.start();
    fleet.watch(limitAt, () => refusedKw);
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
    // The stations draw what they were given: the measured site power follows within a meter interval.
    await eventually(async () => Math.abs((await load()).measuredKw - 100) < 1, 10_000);
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
    await time.sleep(3 * METER_INTERVAL_MS);
    // Three meter values per station meanwhile, and not one new profile.
    expect(fleet.txProfiles.length).toBe(before);
  });

  it('drops to 50 kW at a schedule boundary, pausing the latest arrivals, then resumes them first come first served', async () => {
    // A window from the next whole minute at least 30 s (simulated) ahead, for an hour.
    const from = minuteAfter(time.now(), 30_000);
    await scheduleWindow(from, from + 60 * MINUTE_MS);
    expect((await load()).limitKw).toBe(100);
    // Its lower limit is shared before it starts: the stations have lowered when it begins.
    await time.sleep(from - time.now());
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
      timestamp: time.clock.now().toISOString(),
    });
    // What is not given, once settled, is at most the 0.2 kW hysteresis per session.
    const body = await settled(
      (b) =>
        b.sessions.some(
          (s: { transactionId: number; limitKw: number }) =>
            s.transactionId === transactionId && s.limitKw === 11,
        ) &&
        b.allocatedKw <= 50 &&
        b.allocatedKw > 50 - 0.2 * b.sessions.length,
    );
    expect(body.allocatedKw).toBeGreaterThan(50 - 0.2 * body.sessions.length);
    await eventually(() => fleet.givenKw() <= 39 + 0.01);
  });

  it('serves every session while they start and stop at random over 10 minutes of simulated time, across a 50 kW window', async () => {
    const pick = <T>(list: readonly T[]) => list[Math.floor(Math.random() * list.length)]!;
    /** When each running session started: served once given more than 0 since. */
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
    /** How long sessions started here waited for their first limit, simulated ms. */
    const firstLimits: { id: string; ms: number }[] = [];
    // 100 kW now (a rise never hurts), then a 50 kW window from a minute on, for five minutes.
    const from = minuteAfter(time.now(), MINUTE_MS);
    await scheduleWindow(from, from + 5 * MINUTE_MS);
    const end = time.now() + 10 * MINUTE_MS;
    const crossed = { into: false, out: false };
    while (time.now() < end) {
      const idle = fleet.stations.filter((s) => !fleet.charging(s));
      const done = charging().filter(served);
      if (idle.length > 0 && (done.length === 0 || Math.random() < 0.5)) {
        const station = pick(idle);
        startedAt.set(station.id, time.now());
        await station.startSession(1);
        const started = startedAt.get(station.id)!;
        // Measured from when the station's own start (Authorize, StartTransaction, status) was done.
        const startedFully = time.now();
        const first = () =>
          fleet.txProfiles.find(
            (p) => p.chargePointId === station.id && p.at >= started && p.status === 'Accepted',
          );
        void eventually(() => first() !== undefined, 5000).then(
          () => firstLimits.push({ id: station.id, ms: first()!.at - startedFully }),
          () => firstLimits.push({ id: station.id, ms: Infinity }),
        );
      } else if (done.length > 0) {
        await pick(done).stopSession(1);
      }
      await time.sleep(30_000 * Math.random() + 15_000);
      if (limitAt(time.now()) === 50) crossed.into = true;
      else if (crossed.into) crossed.out = true;
    }
    expect(crossed).toEqual({ into: true, out: true });
    const body = await settled(
      (b) => b.limitKw === 100 && b.sessions.every((s: { paused: boolean }) => !s.paused),
      10_000,
    );
    expect(body.allocatedKw).toBeLessThanOrEqual(100);
    await eventually(() => charging().every(served), 10_000);
    // Every session got its first limit (paused when there was no room) at once, however full
    // the site was: within 10 s of simulated time once its station had started it. (CONTRACT
    // section 9's 5 s are real time; here the server's own work and the network take 20 times
    // longer in simulated time: 10 s are half a second of real time.)
    expect(firstLimits.length).toBeGreaterThan(0);
    const late = firstLimits.filter(({ ms }) => ms > 10_000);
    const profilesOf = (id: string) => fleet.txProfiles.filter((p) => p.chargePointId === id);
    expect(late, JSON.stringify(late.map(({ id }) => profilesOf(id)))).toEqual([]);
  }, 90_000);

  it('never gave more than the limit in force, and measured more only within one meter interval after a change', () => {
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
    const free = new LoadFleet(app.url, ['LM-FREE'], [], time);
    await free.start();
    try {
      await free.stations[0]!.startSession(1);
      await time.sleep(2 * METER_INTERVAL_MS);
      expect(free.txProfiles).toEqual([]);
      const freeLoad = await app.request('GET', `/api/sites/${site.body.id}/load`, { token: app.admin });
      expect(freeLoad.body).toMatchObject({ limitKw: null, allocatedKw: 0 });
    } finally {
      await free.stop();
    }
  });
});
