import { SimulatedChargePoint } from './charge-point.js';
import type { ChargePointOptions } from './options.js';
import { type ChargingStationOptions, SimulatedChargingStation } from './v2/charging-station.js';

/** The OCPP versions the simulator speaks. */
export type OcppProtocol = NonNullable<ChargePointOptions['protocol']>;

/** The OCPP versions the simulator speaks, oldest first. */
export const OCPP_PROTOCOLS: readonly OcppProtocol[] = ['1.6', '2.0.1', '2.1'];

/** Options of {@link createSimulatedStation}: a charge point's, `protocol` choosing the kind. */
export type SimulatedStationOptions = ChargePointOptions &
  Pick<Partial<ChargingStationOptions>, 'idTokenType'>;

/** A simulated station of either protocol family. */
export type SimulatedStation = SimulatedChargePoint | SimulatedChargingStation;

/**
 * A simulated station speaking `options.protocol`: a {@link SimulatedChargePoint} for 1.6, a
 * {@link SimulatedChargingStation} for 2.0.1 and 2.1. Both share the calls tests, demos and
 * benchmarks drive them with (`start`, `stop`, `startSession`, `stopSession`, `transactionId`,
 * `accepted`, `waitFor('accepted')`); their events speak their own protocol.
 */
export function createSimulatedStation(options: SimulatedStationOptions): SimulatedStation {
  const { protocol = '1.6', idTokenType, ...common } = options;
  if (protocol === '1.6') return new SimulatedChargePoint(common);
  return new SimulatedChargingStation({ ...common, protocol, ...(idTokenType ? { idTokenType } : {}) });
}
