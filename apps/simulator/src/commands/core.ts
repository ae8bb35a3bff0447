import type { Configuration } from '../configuration.js';
import type { ConnectorBank } from '../connectors.js';
import type { SessionManager } from '../sessions.js';
import type { Lifecycle, Register } from './types.js';

/** What the Core profile handlers use. */
export interface CoreDeps {
  bank: ConnectorBank;
  sessions: SessionManager;
  config: Configuration;
  lifecycle: Lifecycle;
}

/** Handlers of the Core profile's central system requests (OCPP 1.6 chapter 5). */
export function registerCoreCommands(
  register: Register,
  { bank, sessions, config, lifecycle }: CoreDeps,
): void {
  register('ChangeAvailability', ({ connectorId, type }) => ({
    status: bank.changeAvailability(connectorId, type === 'Operative'),
  }));

  register('ChangeConfiguration', ({ key, value }) => {
    const status = config.change(key, value);
    if (status === 'Accepted') lifecycle.configurationChanged(key, value);
    return { status };
  });

  // The simulator keeps no authorization cache, so there is never anything left to clear.
  register('ClearCache', () => ({ status: 'Accepted' }));

  // Section 5.6: a vendor the charge point has no extension for is answered UnknownVendorId.
  register('DataTransfer', () => ({ status: 'UnknownVendorId' }));

  register('GetConfiguration', ({ key }) => config.read(key));

  // Section 5.11: start on the given connector, or on the first one free for this id tag.
  register('RemoteStartTransaction', ({ connectorId, idTag, chargingProfile }, after) => {
    if (chargingProfile && chargingProfile.chargingProfilePurpose !== 'TxProfile')
      return { status: 'Rejected' };
    const candidates = connectorId === undefined ? bank.all().map((c) => c.id) : [connectorId];
    for (const id of candidates) {
      const claimed = sessions.claim(id, idTag);
      if (typeof claimed === 'string') continue;
      after(() => sessions.proceed(claimed, idTag, { authorize: config.flag('AuthorizeRemoteTxRequests') }));
      return { status: 'Accepted' };
    }
    return { status: 'Rejected' };
  });

  register('RemoteStopTransaction', ({ transactionId }, after) => {
    const connector = bank.byTransaction(transactionId);
    if (!connector) return { status: 'Rejected' };
    after(() => sessions.stop(connector.id, 'Remote'));
    return { status: 'Accepted' };
  });

  register('Reset', ({ type }, after) => {
    after(() => lifecycle.reboot(type));
    return { status: 'Accepted' };
  });

  // Section 5.18: a transaction on the connector is stopped first, with reason UnlockCommand.
  register('UnlockConnector', ({ connectorId }, after) => {
    const connector = bank.get(connectorId);
    if (!connector) return { status: 'UnlockFailed' };
    if (connector.transaction) after(() => sessions.stop(connector.id, 'UnlockCommand'));
    return { status: 'Unlocked' };
  });
}
