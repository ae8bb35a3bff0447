import type { EventEmitter } from 'node:events';
import type { v16, v201 } from '@cimorings/ocpp';
import { SimulatedChargePoint, SimulatedChargingStation } from '@cimorings/simulator';
import { ocppUrl } from './ocpp-client.js';
import type { SimulatedTime } from './simulated-time.js';

/** A load manager's TxProfile as a simulated station accepted it. */
interface Given {
  limitKw: number;
  at: number;
}

/** A simulated station of either protocol. */
export type FleetStation = SimulatedChargePoint | SimulatedChargingStation;

/** How often each station (1.6 and 2.0.1) sends its meter values, simulated ms. */
export const METER_INTERVAL_MS = 30_000;

/** The first limit of the TxProfile a SetChargingProfile carries (1.6 or 2.x), kW; undefined for any other profile. */
function txLimitKw(request: unknown): number | undefined {
  const { csChargingProfiles } = request as Partial<v16.Request<'SetChargingProfile'>>;
  const { chargingProfile } = request as Partial<v201.SetChargingProfileRequest>;
  const purpose = (csChargingProfiles ?? chargingProfile)?.chargingProfilePurpose;
  if (purpose !== 'TxProfile') return undefined;
  const schedule = csChargingProfiles?.chargingSchedule ?? chargingProfile?.chargingSchedule[0];
  return (schedule?.chargingSchedulePeriod[0]?.limit ?? 0) / 1000;
}

/**
 * Simulated stations on one site (1.6, and 2.0.1 for the ids in `v2Ids`) on the test's simulated
 * time, watched from the outside: which TxProfile each accepted (from the simulator's own
 * `command` events), what it enforces, the power it last reported in its meter values, and every
 * SetChargingProfile it answered. `watch()` checks the sums against the limit in force the test
 * says. Every time here is simulated time (ms since the epoch).
 */
export class LoadFleet {
  readonly stations: FleetStation[] = [];
  /** The TxProfile limit each station holds for its running session. */
  readonly given = new Map<string, Given>();
  /** The power each charging station last reported, kW, and when it was sampled. */
  readonly reported = new Map<string, { kw: number; at: number }>();
  /** Every SetChargingProfile TxProfile the stations answered, with the time. */
  readonly txProfiles: { chargePointId: string; at: number; limitKw: number; status: string }[] = [];
  /** Sums seen over the limit in force. */
  readonly violations: string[] = [];
  private sampler: NodeJS.Timeout | undefined;
  /** The last session start or lowered limit: the measured power may lag it by one meter interval. */
  private lastChange = 0;
  private check: ((at: number) => void) | undefined;

  constructor(
    url: string,
    ids: readonly string[],
    v2Ids: readonly string[],
    readonly time: SimulatedTime,
  ) {
    for (const id of ids) {
      const options = {
        id,
        url: ocppUrl(url),
        connectors: 1,
        powerKw: 22,
        idTag: `TAG-${id}`,
        meterIntervalMs: METER_INTERVAL_MS,
        bootRetryMs: 500,
        batteryCapacityKwh: 10_000,
        reconnect: { initialDelayMs: 50, maxDelayMs: 200, factor: 2, jitter: 0 },
        time,
      };
      const station: FleetStation = v2Ids.includes(id)
        ? new SimulatedChargingStation({ ...options, protocol: '2.0.1' })
        : new SimulatedChargePoint(options);
      // Both protocols' stations emit these events with the fields read here.
      const events = station as unknown as EventEmitter;
      const on = events.on.bind(events);
      on(
        'command',
        ({ action, request, response }: { action: string; request: unknown; response: unknown }) => {
          const limitKw = action === 'SetChargingProfile' ? txLimitKw(request) : undefined;
          if (limitKw === undefined) return;
          const { status } = response as { status: string };
          const at = time.now();
          this.txProfiles.push({ chargePointId: id, at, limitKw, status });
          if (status !== 'Accepted') return;
          if (limitKw < (this.given.get(id)?.limitKw ?? Infinity)) this.changed(at);
          this.given.set(id, { limitKw, at });
        },
      );
      on('meterValues', ({ powerW, timestamp }: { powerW: number; timestamp: string }) => {
        if (!this.charging(station)) return;
        const at = Date.parse(timestamp);
        this.reported.set(id, { kw: powerW / 1000, at });
        this.check?.(at);
      });
      on('transactionStarted', () => this.changed());
      on('transactionStopped', () => {
        this.given.delete(id);
        this.reported.delete(id);
      });
      this.stations.push(station);
    }
  }

  station(id: string): FleetStation {
    const found = this.stations.find((s) => s.id === id);
    if (!found) throw new Error(`no station ${id}`);
    return found;
  }

  /** Resolves once the station (just started) is accepted. */
  accepted(station: FleetStation): Promise<unknown> {
    return station instanceof SimulatedChargePoint
      ? station.waitFor('accepted')
      : station.waitFor('accepted');
  }

  /** Whether a station has a session running on its connector (EVSE) 1. */
  charging(station: FleetStation): boolean {
    return station.transactionId(1) !== undefined;
  }

  /** Marks a change (a session started, a limit was lowered): the measured power may lag it by one meter interval. */
  changed(at = this.time.now()): void {
    this.lastChange = Math.max(this.lastChange, at);
  }

  /**
   * kW the stations holding a TxProfile may draw at `at`: a 1.6 station's profiles in force, a
   * 2.0.1 station's TxProfile. (A session not limited yet draws its maximum until its first
   * limit arrives, at once: the test measures how long that is.)
   */
  enforcedKw(at: number): number {
    let sum = 0;
    for (const station of this.stations) {
      const given = this.given.get(station.id);
      if (!this.charging(station) || !given) continue;
      sum +=
        station instanceof SimulatedChargePoint
          ? station.chargingProfiles.limitW(1, at, 22_000) / 1000
          : given.limitKw;
    }
    return sum;
  }

  /** kW of the TxProfiles the charging stations hold. */
  givenKw(): number {
    let sum = 0;
    for (const station of this.stations) {
      if (this.charging(station)) sum += this.given.get(station.id)?.limitKw ?? 0;
    }
    return sum;
  }

  /** kW the charging stations last reported drawing: the measured site power. */
  measuredKw(): number {
    let sum = 0;
    for (const station of this.stations) {
      if (this.charging(station)) sum += this.reported.get(station.id)?.kw ?? 0;
    }
    return sum;
  }

  /**
   * Checks until `stop()`: the TxProfiles given and what the stations holding one enforce never
   * exceed the limit in force at that moment (`limitKw(at)`, checked every `sampleMs` of real
   * time), with no grace; the measured power (the stations' last samples and `extraKw`, what
   * stations outside the fleet draw, checked at each sample's own time) only for one meter
   * interval after a session started or a limit was lowered.
   */
  watch(limitKw: (at: number) => number, extraKw: () => number, sampleMs = 20): void {
    const over = (key: string, sum: number, at: number) => {
      const limit = limitKw(at);
      if (sum > limit + 0.01) this.violations.push(`${new Date(at).toISOString()} ${key} ${sum} > ${limit}`);
    };
    this.sampler = setInterval(() => {
      const at = this.time.now();
      over('given', this.givenKw(), at);
      over('enforced', this.enforcedKw(at), at);
    }, sampleMs);
    this.check = (at) => {
      if (at - this.lastChange < METER_INTERVAL_MS) return;
      const before = this.violations.length;
      over('measured', this.measuredKw() + extraKw(), at);
      if (this.violations.length > before)
        this.violations.push(`  since ${new Date(this.lastChange).toISOString()}: ${this.describe()}`);
    };
  }

  /** Each charging station's limit and last sample, for a violation's report. */
  private describe(): string {
    const rows = this.stations
      .filter((s) => this.charging(s))
      .map((s) => {
        const given = this.given.get(s.id);
        const reported = this.reported.get(s.id);
        return `${s.id} given ${given?.limitKw} at ${given && new Date(given.at).toISOString()} reported ${reported?.kw} at ${reported && new Date(reported.at).toISOString()}`;
      });
    return rows.join('; ');
  }

  async start(): Promise<void> {
    await Promise.all(
      this.stations.map(async (s) => {
        const accepted = this.accepted(s);
        await s.start();
        await accepted;
      }),
    );
  }

  async stop(): Promise<void> {
    clearInterval(this.sampler);
    this.check = undefined;
    await Promise.all(this.stations.map((s) => s.stop({ stopSessions: false })));
  }
}
