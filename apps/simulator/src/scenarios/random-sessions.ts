import type { SimulatedStation } from '../station.js';

/** Timing of the simulated drivers, all in milliseconds as [shortest, longest]. */
export interface RandomSessionsOptions {
  /** Id tags the drivers present; one is picked at random per session. */
  idTags: readonly string[];
  /** How long a connector stays free between two sessions. */
  idleMs: readonly [number, number];
  /** How long a session charges before the driver stops it. */
  chargeMs: readonly [number, number];
  /** Source of randomness in [0, 1); `Math.random` by default. */
  random?: () => number;
}

/** How drivers end their sessions: mostly at the charger, sometimes by unplugging the EV. */
const STOP_REASONS = ['Local', 'Local', 'Local', 'EVDisconnected'] as const;

/**
 * Keeps one charge point's connectors busy the way drivers would: arrive after a while, charge
 * for a while, leave. Sessions the central system starts or stops itself are picked up too.
 */
export class RandomSessions {
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly random: () => number;
  private running = false;

  constructor(
    private readonly chargePoint: SimulatedStation,
    private readonly options: RandomSessionsOptions,
  ) {
    this.random = options.random ?? Math.random;
  }

  /** Starts the drivers on every connector. */
  start(): void {
    this.running = true;
    for (let id = 1; id <= this.chargePoint.connectorCount; id += 1) this.later(id, 'arrive');
  }

  /** Stops scheduling; sessions already running are left to the station's `stop`. */
  stop(): void {
    this.running = false;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  private later(connectorId: number, step: 'arrive' | 'leave'): void {
    if (!this.running) return;
    const [shortest, longest] = step === 'arrive' ? this.options.idleMs : this.options.chargeMs;
    const timer = setTimeout(
      () => {
        this.timers.delete(timer);
        const next = step === 'arrive' ? this.arrive(connectorId) : this.leave(connectorId);
        // A failed request (timeout, connection lost) only delays this driver; try again later.
        next.catch(() => this.later(connectorId, 'arrive'));
      },
      this.between(shortest, longest),
    );
    this.timers.add(timer);
  }

  private async arrive(connectorId: number): Promise<void> {
    if (this.chargePoint.transactionId(connectorId) !== undefined) return this.later(connectorId, 'leave');
    if (!this.chargePoint.accepted) return this.later(connectorId, 'arrive');
    const result = await this.chargePoint.startSession(connectorId, this.pick(this.options.idTags));
    this.later(connectorId, result.started ? 'leave' : 'arrive');
  }

  private async leave(connectorId: number): Promise<void> {
    if (this.chargePoint.accepted) await this.chargePoint.stopSession(connectorId, this.pick(STOP_REASONS));
    this.later(connectorId, this.chargePoint.transactionId(connectorId) === undefined ? 'arrive' : 'leave');
  }

  private between(shortest: number, longest: number): number {
    return Math.round(shortest + this.random() * Math.max(0, longest - shortest));
  }

  private pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.random() * items.length)] ?? items[0];
    if (item === undefined) throw new RangeError('Nothing to pick from');
    return item;
  }
}
