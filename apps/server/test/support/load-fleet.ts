import type { EventEmitter } from 'node:events';
import type { v16, v201 } from '@cimorings/ocpp';
import { SimulatedChargePoint, SimulatedChargingStation } from '@cimorings/simulator';
import { ocppUrl } from './ocpp-client.js';

/** A load manager's TxProfile as a simulated station accepted it. */
interface Given {
  limitKw: number;
  at: number;
}

/** A simulated station of either protocol. */
export type FleetStation = SimulatedChargePoint | SimulatedChargingStation;

/** How often each 1.6 station sends its meter values, ms (a 2.0.1 station: every whole second). */
const METER_INTERVAL_MS = 200;
/** A 2.0.1 station's TxUpdatedInterval counts whole seconds. */
const V2_METER_INTERVAL_MS = 1000;

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
 * Simulated stations on one site (1.6, and 2.0.1 for the ids in `v2Ids`), watched from the
 * outside: which TxProfile each accepted (from the simulator's own `command` events), what it
 * enforces, the power it last reported in its meter values, and every SetChargingProfile it
 * answered. `watch()` samples the sums every `sampleMs` against the limit in force the test says.
 */
export class LoadFleet {
  readonly stations: FleetStation[] = [];
  /** The TxProfile limit each station holds for its running session. */
  readonly given = new Map<string, Given>();
  /** The power each charging station last reported, kW. */
  readonly reportedKw = new Map<string, number>();
  /** Every SetChargingProfile TxProfile the stations answered, with the time. */
  readonly txProfiles: { chargePointId: string; at: number; limitKw: number; status: string }[] = [];
  /** Sums seen over the limit in force outside a grace period after a change. */
  readonly violations: string[] = [];
  /** The longest meter interval of the fleet's stations, ms. */
  readonly meterIntervalMs: number;
  private sampler: NodeJS.Timeout | undefined;
  private lastChange = 0;

  constructor(url: string, ids: readonly string[], v2Ids: readonly string[] = []) {
    this.meterIntervalMs = v2Ids.length > 0 ? V2_METER_INTERVAL_MS : METER_INTERVAL_MS;
    for (const id of ids) {
      const options = {
        id,
        url: ocppUrl(url),
        connectors: 1,
        powerKw: 22,
        idTag: `TAG-${id}`,
        meterIntervalMs: METER_INTERVAL_MS,
        bootRetryMs: 500,
        batteryCapacityKwh: 1000,
        reconnect: { initialDelayMs: 50, maxDelayMs: 200, factor: 2, jitter: 0 },
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
          this.txProfiles.push({ chargePointId: id, at: Date.now(), limitKw, status });
          if (status === 'Accepted') this.given.set(id, { limitKw, at: Date.now() });
        },
      );
      on('meterValues', ({ powerW }: { powerW: number }) => {
        if (this.charging(station)) this.reportedKw.set(id, powerW / 1000);
      });
      on('transactionStarted', () => this.changed());
      on('transactionStopped', () => {
        this.given.delete(id);
        this.reportedKw.delete(id);
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

  /** Marks a change (a session started, the limit dropped): sums may exceed for a moment after it. */
  changed(): void {
    this.lastChange = Date.now();
  }

  /**
   * kW the stations charging now may draw: a 1.6 station's profiles in force, a 2.0.1 station's
   * TxProfile; their whole 22 kW without one.
   */
  enforcedKw(): number {
    const now = Date.now();
    let sum = 0;
    for (const station of this.stations) {
      if (!this.charging(station)) continue;
      sum +=
        station instanceof SimulatedChargePoint
          ? station.chargingProfiles.limitW(1, now, 22_000) / 1000
          : (this.given.get(station.id)?.limitKw ?? 22);
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
      if (this.charging(station)) sum += this.reportedKw.get(station.id) ?? 0;
    }
    return sum;
  }

  /**
   * Samples until `stop()`: the TxProfiles given and what the stations enforce (a new session
   * draws its maximum until its profile arrives) stay within the limit except for `graceMs` after
   * a change; what they report drawing, for one (the longest) meter interval more, and one again
   * because a sample is heard here only once the server answered it (a round trip that a loaded
   * machine stretches).
   */
  watch(limitKw: () => number, extraKw: () => number, graceMs: number, sampleMs = 50): void {
    this.sampler = setInterval(() => {
      const limit = limitKw();
      const since = Date.now() - this.lastChange;
      const sums = {
        given: this.givenKw() + extraKw(),
        enforced: this.enforcedKw() + extraKw(),
        measured: this.measuredKw() + extraKw(),
      };
      const grace = { given: graceMs, enforced: graceMs, measured: graceMs + 2 * this.meterIntervalMs };
      for (const key of ['given', 'enforced', 'measured'] as const) {
        if (since >= grace[key] && sums[key] > limit + 0.01)
          this.violations.push(`${new Date().toISOString()} ${key} ${sums[key]} > ${limit}`);
      }
    }, sampleMs);
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
    await Promise.all(this.stations.map((s) => s.stop({ stopSessions: false })));
  }
}
