import type { SimulatedChargePoint } from '../charge-point.js';
import type {
  BootEvent,
  ConnectedEvent,
  ConnectionFailedEvent,
  DisconnectedEvent,
  HeartbeatEvent,
} from '../events.js';

/** Writes one line. */
export type Print = (line: string) => void;

/** Prefixes a line with the UTC time of day, e.g. `14:30:00.123`. */
export function stamped(line: string, now = new Date()): string {
  return `${now.toISOString().slice(11, 23)} ${line}`;
}

/** Prints one concise line for each event of a charge point. */
export function printEvents(cp: SimulatedChargePoint, print: Print): void {
  const at = (connectorId: number): string => `${cp.id}#${connectorId}`;
  printRegistrationEvents(cp, print);
  cp.on('status', ({ connectorId, status, errorCode }) =>
    print(`${at(connectorId)} ${status}${errorCode === 'NoError' ? '' : ` ${errorCode}`}`),
  );
  cp.on('transactionStarted', ({ connectorId, transactionId, idTag, meterStart }) =>
    print(`${at(connectorId)} transaction ${transactionId} started by ${idTag} at ${meterStart} Wh`),
  );
  cp.on('transactionStopped', ({ connectorId, transactionId, meterStop, reason, delivered }) =>
    print(
      `${at(connectorId)} transaction ${transactionId} stopped (${reason}) at ${meterStop} Wh` +
        (delivered ? '' : ', StopTransaction queued'),
    ),
  );
  cp.on('meterValues', (sample) => print(`${at(sample.connectorId)} ${meterReading(sample)}`));
  cp.on('command', ({ action, response }) => print(`${cp.id} ${action} -> ${JSON.stringify(response)}`));
}

/** A station as far as its registration events go, whatever its OCPP version. */
interface RegistrationSource {
  readonly id: string;
  on(event: 'connected', listener: (payload: ConnectedEvent) => void): unknown;
  on(event: 'connectionFailed', listener: (payload: ConnectionFailedEvent) => void): unknown;
  on(event: 'disconnected', listener: (payload: DisconnectedEvent) => void): unknown;
  on(event: 'boot', listener: (payload: BootEvent) => void): unknown;
  on(event: 'heartbeat', listener: (payload: HeartbeatEvent) => void): unknown;
}

/**
 * Prints the events of connecting and registering, which a station of any OCPP version emits
 * alike; `connected` names what the station says it connected with, if anything.
 */
export function printRegistrationEvents(station: RegistrationSource, print: Print, connected = ''): void {
  const { id } = station;
  station.on('connected', () => print(`${id} connected${connected}`));
  station.on('connectionFailed', ({ error, retryInMs }) =>
    print(`${id} connection failed (${error.message}), retry in ${retryInMs} ms`),
  );
  station.on('disconnected', ({ code, willReconnect }) =>
    print(`${id} disconnected (${code})${willReconnect ? ', reconnecting' : ''}`),
  );
  station.on('boot', ({ status, interval }) => print(`${id} boot ${status} (interval ${interval} s)`));
  station.on('heartbeat', () => print(`${id} heartbeat`));
}

/** A meter sample as the CLI prints it, e.g. `1234 Wh, 11.0 kW, SoC 42.0 %`. */
export function meterReading({
  energyWh,
  powerW,
  soc,
}: {
  energyWh: number;
  powerW: number;
  soc?: number;
}): string {
  return (
    `${Math.round(energyWh)} Wh, ${(powerW / 1000).toFixed(1)} kW` +
    (soc === undefined ? '' : `, SoC ${soc.toFixed(1)} %`)
  );
}
