import type { SimulatedChargingStation } from '../v2/charging-station.js';
import { meterReading, type Print, printRegistrationEvents } from './output.js';

/** Prints one concise line for each event of a 2.x station, as `printEvents` does for 1.6. */
export function printV2Events(cs: SimulatedChargingStation, print: Print): void {
  const at = (evseId: number): string => `${cs.id}#${evseId}`;
  printRegistrationEvents(cs, print, ` (OCPP ${cs.protocol})`);
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
  cs.on('meterValues', (sample) => print(`${at(sample.evseId)} ${meterReading(sample)}`));
  cs.on('reportSent', ({ requestId, parts, items }) =>
    print(`${cs.id} report ${requestId}: ${items} variables in ${parts} NotifyReport(s)`),
  );
  cs.on('command', ({ action, response }) => print(`${cs.id} ${action} -> ${JSON.stringify(response)}`));
}
