/**
 * `@cimorings/simulator`: an OCPP 1.6-J charge point simulator for end-to-end tests, demos and
 * load benchmarks. Start with {@link SimulatedChargePoint}.
 */
export { SimulatedChargePoint, type StopOptions } from './charge-point.js';
export { fleetStation, type FleetStation } from './fleet-station.js';
export type { ChargePointOptions, LogFn, LogLevel, ReconnectOptions } from './options.js';
export type * from './events.js';
export type { StartRefusal, StartSessionOptions, StartSessionResult, StopSessionResult } from './sessions.js';
export type { Configuration } from './configuration.js';
export type { LocalAuthList } from './commands/local-auth-list.js';
export type { ChargingProfiles } from './commands/smart-charging.js';
export { SimulatedChargingStation, type ChargingStationOptions } from './v2/charging-station.js';
export type { V2Protocol } from './v2/connection.js';
export type * from './v2/events.js';
export type { V2StartOptions, V2StartResult, V2StopResult, V2StartRefusal } from './v2/transactions.js';
export type { DeviceModel } from './v2/device-model.js';
export {
  createSimulatedStation,
  OCPP_PROTOCOLS,
  type OcppProtocol,
  type SimulatedStation,
  type SimulatedStationOptions,
} from './station.js';
export { realTime, type SimulatorTime } from './time.js';
