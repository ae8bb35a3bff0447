import type { SimulatedChargePoint } from '../charge-point.js';

/** Writes one line. */
export type Print = (line: string) => void;

/** Prefixes a line with the UTC time of day, e.g. `14:30:00.123`. */
export function stamped(line: string, now = new Date()): string {
  return `${now.toISOString().slice(11, 23)} ${line}`;
}

/** Prints one concise line for each event of a charge point. */
export function printEvents(cp: SimulatedChargePoint, print: Print): void {
  const at = (connectorId: number): string => `${cp.id}#${connectorId}`;
  cp.on('connected', () => print(`${cp.id} connected`));
  cp.on('connectionFailed', ({ error, retryInMs }) =>
    print(`${cp.id} connection failed (${error.message}), retry in ${retryInMs} ms`),
  );
  cp.on('disconnected', ({ code, willReconnect }) =>
    print(`${cp.id} disconnected (${code})${willReconnect ? ', reconnecting' : ''}`),
  );
  cp.on('boot', ({ status, interval }) => print(`${cp.id} boot ${status} (interval ${interval} s)`));
  cp.on('heartbeat', () => print(`${cp.id} heartbeat`));
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
  cp.on('meterValues', ({ connectorId, energyWh, powerW, soc }) =>
    print(
      `${at(connectorId)} ${Math.round(energyWh)} Wh, ${(powerW / 1000).toFixed(1)} kW` +
        (soc === undefined ? '' : `, SoC ${soc.toFixed(1)} %`),
    ),
  );
  cp.on('command', ({ action, response }) => print(`${cp.id} ${action} -> ${JSON.stringify(response)}`));
}
