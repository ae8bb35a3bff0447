import type { v16 } from '@cimorings/ocpp';
import { SimulatedChargePoint } from '@cimorings/simulator';
import { ocppUrl } from './ocpp-client.js';

/** A load manager's TxProfile as a simulated station accepted it. */
interface Given {
  limitKw: number;
  at: number;
}

/**
 * Simulated 1.6 stations on one site, watched from the outside: which TxProfile each accepted
 * (from the simulator's own `command` events), what it enforces, and every SetChargingProfile it
 * answered. `check()` samples the sums every `sampleMs` against the limit in force the test says.
 */
export class LoadFleet {
  readonly stations: SimulatedChargePoint[] = [];
  /** The TxProfile limit each station holds for its running session. */
  readonly given = new Map<string, Given>();
  /** Every SetChargingProfile TxProfile the stations answered, with the time. */
  readonly txProfiles: { chargePointId: string; at: number; limitKw: number; status: string }[] = [];
  /** Sums seen over the limit in force outside a grace period after a change. */
  readonly violations: string[] = [];
  private sampler: NodeJS.Timeout | undefined;
  private lastChange = 0;

  constructor(url: string, ids: readonly string[]) {
    for (const id of ids) {
      const station = new SimulatedChargePoint({
        id,
        url: ocppUrl(url),
        connectors: 1,
        powerKw: 22,
        idTag: `TAG-${id}`,
        meterIntervalMs: 200,
        bootRetryMs: 500,
        batteryCapacityKwh: 1000,
        reconnect: { initialDelayMs: 50, maxDelayMs: 200, factor: 2, jitter: 0 },
      });
      station.on('command', ({ action, request, response }) => {
        if (action !== 'SetChargingProfile') return;
        const { csChargingProfiles: profile } = request as v16.Request<'SetChargingProfile'>;
        if (profile.chargingProfilePurpose !== 'TxProfile') return;
        const limitKw = (profile.chargingSchedule.chargingSchedulePeriod[0]?.limit ?? 0) / 1000;
        const { status } = response as { status: string };
        this.txProfiles.push({ chargePointId: id, at: Date.now(), limitKw, status });
        if (status === 'Accepted') this.given.set(id, { limitKw, at: Date.now() });
      });
      station.on('transactionStarted', () => this.changed());
      station.on('transactionStopped', () => this.given.delete(id));
      this.stations.push(station);
    }
  }

  station(id: string): SimulatedChargePoint {
    const found = this.stations.find((s) => s.id === id);
    if (!found) throw new Error(`no station ${id}`);
    return found;
  }

  /** Marks a change (a session started, the limit dropped): sums may exceed for a moment after it. */
  changed(): void {
    this.lastChange = Date.now();
  }

  /** kW the stations charging now may draw: their TxProfile, or their whole 22 kW without one. */
  enforcedKw(): number {
    const now = Date.now();
    let sum = 0;
    for (const station of this.stations) {
      if (station.transactionId(1) === undefined) continue;
      sum += station.chargingProfiles.limitW(1, now, 22_000) / 1000;
    }
    return sum;
  }

  /** kW of the TxProfiles the charging stations hold. */
  givenKw(): number {
    let sum = 0;
    for (const station of this.stations) {
      if (station.transactionId(1) !== undefined) sum += this.given.get(station.id)?.limitKw ?? 0;
    }
    return sum;
  }

  /**
   * Samples until `stop()`: the TxProfiles given never sum over the limit, and what the stations
   * enforce (a new session draws its maximum until its profile arrives) stays within it except
   * for `graceMs` after a change.
   */
  watch(limitKw: () => number, extraKw: () => number, graceMs: number, sampleMs = 50): void {
    this.sampler = setInterval(() => {
      const limit = limitKw();
      const recent = Date.now() - this.lastChange < graceMs;
      const given = this.givenKw() + extraKw();
      const enforced = this.enforcedKw() + extraKw();
      if (!recent && given > limit + 0.01)
        this.violations.push(`${new Date().toISOString()} given ${given} > ${limit}`);
      if (!recent && enforced > limit + 0.01)
        this.violations.push(`${new Date().toISOString()} enforced ${enforced} > ${limit}`);
    }, sampleMs);
  }

  async start(): Promise<void> {
    await Promise.all(
      this.stations.map(async (s) => {
        const accepted = s.waitFor('accepted');
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
