import { SimulatedChargePoint } from './charge-point.js';

/** A simulated charge point of a load test, and what the central system acknowledged to it. */
export interface FleetStation {
  cp: SimulatedChargePoint;
  /** The energy register of each MeterValues answered in a transaction, Wh as sent (rounded), in order. */
  acked: number[];
  /** The transaction its session runs, once the caller started one (0 until then). */
  transactionId: number;
  /** Times its socket dropped. */
  drops: number;
}

/**
 * A charge point of a load test (the tests' fleets and the bench's failover): one connector,
 * MeterValues every `meterIntervalMs`, calls waiting 30 s for an answer, reconnecting within 2 s
 * when dropped; what it is acknowledged and each drop are recorded from the start. Not started.
 */
export function fleetStation(id: string, url: string, meterIntervalMs: number): FleetStation {
  const cp = new SimulatedChargePoint({
    id,
    url,
    connectors: 1,
    meterIntervalMs,
    callTimeoutMs: 30_000,
    reconnect: { initialDelayMs: 200, maxDelayMs: 2000 },
  });
  const station: FleetStation = { cp, acked: [], transactionId: 0, drops: 0 };
  cp.on('meterValues', ({ energyWh, transactionId }) => {
    if (transactionId !== undefined) station.acked.push(Math.round(energyWh));
  });
  cp.on('disconnected', () => station.drops++);
  return station;
}
