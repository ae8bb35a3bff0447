import { ConnectorMeter } from './meter.js';
import type { ResolvedOptions } from './options.js';

/**
 * The outlets of a station (1.6 connectors or 2.x EVSEs), numbered from 1, one per configured
 * power, each with its own meter on an EV of the configured battery. The protocol's bank adds
 * their statuses and the messages that report them.
 */
export abstract class OutletBank<T> {
  protected readonly outlets: T[];

  constructor(
    options: Pick<ResolvedOptions, 'powerKw' | 'batteryCapacityKwh' | 'initialEnergyWh'>,
    outlet: new (id: number, maxPowerW: number, meter: ConnectorMeter) => T,
  ) {
    this.outlets = options.powerKw.map(
      (kw, i) =>
        new outlet(
          i + 1,
          kw * 1000,
          new ConnectorMeter(kw * 1000, options.batteryCapacityKwh * 1000, options.initialEnergyWh),
        ),
    );
  }

  /** Outlet `id` (1-based), or `undefined` for 0 and unknown ids. */
  get(id: number): T | undefined {
    return id >= 1 ? this.outlets[id - 1] : undefined;
  }

  /** All outlets, number 1 first. */
  all(): readonly T[] {
    return this.outlets;
  }
}
