/**
 * `@cimorings/simulator`: an OCPP 1.6-J charge point simulator for end-to-end tests, demos and
 * load benchmarks. Start with {@link SimulatedChargePoint}.
 */
export { SimulatedChargePoint, type StopOptions } from './charge-point.js';
export type { ChargePointOptions, LogFn, LogLevel, ReconnectOptions } from './options.js';
export type * from './events.js';
export type { StartRefusal, StartSessionOptions, StartSessionResult, StopSessionResult } from './sessions.js';
export type { Configuration } from './configuration.js';
export type { LocalAuthList } from './commands/local-auth-list.js';
export type { ChargingProfiles } from './commands/smart-charging.js';
