import type { ConnectorBank } from '../connectors.js';
import type { MeterValueSampler } from '../meter-values.js';
import type { FileTransfers } from './firmware-management.js';
import type { Lifecycle, Register } from './types.js';

/** What TriggerMessage can make the charge point send. */
export interface TriggerDeps {
  bank: ConnectorBank;
  sampler: MeterValueSampler;
  transfers: FileTransfers;
  lifecycle: Lifecycle;
}

/**
 * TriggerMessage (OCPP 1.6 section 5.17): answered first, then the requested message is sent.
 * A connectorId the charge point does not have is Rejected.
 */
export function registerRemoteTriggerCommands(
  register: Register,
  { bank, sampler, transfers, lifecycle }: TriggerDeps,
): void {
  register('TriggerMessage', ({ requestedMessage, connectorId }, after) => {
    if (connectorId !== undefined && !bank.exists(connectorId)) return { status: 'Rejected' };
    const ids = connectorId ? [connectorId] : bank.all().map((c) => c.id);
    const sends: Partial<Record<string, () => Promise<unknown>>> = {
      BootNotification: () => lifecycle.sendBootNotification(),
      Heartbeat: () => lifecycle.sendHeartbeat(),
      StatusNotification: () => (connectorId === undefined ? bank.reportAll() : bank.report(connectorId)),
      MeterValues: async () => {
        for (const id of ids) await sampler.send(id, 'Trigger');
      },
      DiagnosticsStatusNotification: () => transfers.notifyDiagnostics(),
      FirmwareStatusNotification: () => transfers.notifyFirmware(),
    };
    const send = sends[requestedMessage];
    // The schema admits no other value today; a future one is answered honestly.
    if (!send) return { status: 'NotImplemented' };
    after(send);
    return { status: 'Accepted' };
  });
}
