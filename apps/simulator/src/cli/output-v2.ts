import type { SimulatedChargingStation } from '../v2/charging-station.js';
import type { Print } from './output.js';

/** Prints one concise line for each event of a 2.x station, as `printEvents` does for 1.6. */
export function printV2Events(cs: SimulatedChargingStation, print: Print): void {
  const at = (evseId: number): string => `${cs.id}#${evseId}`;
  cs.on('connected', () => print(`${cs.id} connected (OCPP ${cs.protocol})`));
  cs.on('connectionFailed', ({ error, retryInMs }) =>
    print(`${cs.id} connection failed (${error.message}), retry in ${retryInMs} ms`),
  );
  cs.on('disconnected', ({ code, willReconnect }) =>
    print(`${cs.id} disconnected (${code})${willReconnect ? ', reconnecting' : ''}`),
  );
  cs.on('boot', ({ status, interval }) => print(`${cs.id} boot ${status} (interval ${interval} s)`));
  cs.on('heartbeat', () => print(`${cs.id} heartbeat`));
  cs.on('status', ({ evseId, status }) => print(`${at(evseId)} ${status}`));
  cs.on('transactionStarted', ({ evseId, transactionId, idToken, meterStart }) =>
    print(
      `${at(evseId)} transaction ${transactionId} started by ${idToken ?? '(no token)'} at ${meterStart} Wh`,
    ),
  );
  cs.on('transactionStopped', ({ evseId, transactionId, meterStop, reason, delivered }) =>
    print(
      `${at(evseId)} transaction ${transactionId} stopped (${reason}) at ${meterStop} Wh` +
        (delivered ? '' : ', TransactionEvent queued'),
    ),
  );
  cs.on('meterValues', ({ evseId, energyWh, powerW, soc }) =>
    print(
      `${at(evseId)} ${Math.round(energyWh)} Wh, ${(powerW / 1000).toFixed(1)} kW` +
        (soc === undefined ? '' : `, SoC ${soc.toFixed(1)} %`),
    ),
  );
  cs.on('reportSent', ({ requestId, parts, items }) =>
    print(`${cs.id} report ${requestId}: ${items} variables in ${parts} NotifyReport(s)`),
  );
  cs.on('command', ({ action, response }) => print(`${cs.id} ${action} -> ${JSON.stringify(response)}`));
}
