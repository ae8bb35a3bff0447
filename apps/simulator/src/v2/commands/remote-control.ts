import type { v201 } from '@cimorings/ocpp';
import { toMeterValue } from '../meter-values.js';
import { afterAnswer, type V2CommandContext, type V2Register } from './types.js';

/**
 * Block F, remote control (RequestStartTransaction F01, RequestStopTransaction F03,
 * UnlockConnector F05, TriggerMessage F06, GetTransactionStatus E14) and block G, availability
 * (ChangeAvailability G03, G04).
 */
export function registerRemoteControl(on: V2Register, ctx: V2CommandContext): void {
  const { bank, runner, log } = ctx;
  on('RequestStartTransaction', ({ evseId, idToken, remoteStartId }) => {
    const evse = evseId === undefined ? bank.all().find((e) => e.status === 'Available') : bank.get(evseId);
    if (!evse || evse.transaction || evse.status === 'Faulted' || evse.status === 'Unavailable')
      return { status: 'Rejected' };
    const preAuthorized = !ctx.model.flag('AuthCtrlr', 'AuthorizeRemoteStart');
    afterAnswer(log, () =>
      runner.start(evse.id, idToken, { trigger: 'RemoteStart', remoteStartId, preAuthorized }),
    );
    return { status: 'Accepted' };
  });
  on('RequestStopTransaction', ({ transactionId }) => {
    const evse = bank.byTransaction(transactionId);
    if (!evse) return { status: 'Rejected' };
    afterAnswer(log, () => runner.stop(evse.id, 'Remote'));
    return { status: 'Accepted' };
  });
  on('UnlockConnector', ({ evseId, connectorId }) => {
    const evse = bank.get(evseId);
    if (!evse || connectorId !== 1) return { status: 'UnknownConnector' };
    if (evse.transaction) return { status: 'OngoingAuthorizedTransaction' };
    return { status: 'Unlocked' };
  });
  on('GetTransactionStatus', ({ transactionId }) => ({
    messagesInQueue: transactionId === undefined ? ctx.queue.size > 0 : ctx.queue.holds(transactionId),
    ...(transactionId === undefined
      ? {}
      : { ongoingIndicator: bank.byTransaction(transactionId) !== undefined }),
  }));
  on('ChangeAvailability', ({ evse, operationalStatus }) => {
    const targets = evse === undefined ? bank.all() : [bank.get(evse.id)].filter((e) => e !== undefined);
    if (targets.length === 0 || (evse?.connectorId !== undefined && evse.connectorId !== 1))
      return { status: 'Rejected' };
    const operative = operationalStatus === 'Operative';
    let scheduled = false;
    for (const target of targets) {
      // An EVSE with a transaction becomes Inoperative when the transaction ends (G03.FR.05).
      if (!operative && target.transaction) {
        target.inoperativeAfterTransaction = true;
        scheduled = true;
      } else {
        target.operative = operative;
        target.inoperativeAfterTransaction = false;
      }
    }
    ctx.model.update('ChargingStation', 'Available', String(operative));
    afterAnswer(log, async () => {
      for (const target of targets) await bank.refresh(target);
    });
    return { status: scheduled ? 'Scheduled' : 'Accepted' };
  });
  on('TriggerMessage', ({ requestedMessage, evse }) => {
    const send = trigger(ctx, requestedMessage, evse?.id);
    if (!send) return { status: 'NotImplemented' };
    afterAnswer(log, send);
    return { status: 'Accepted' };
  });
}

/** The message a TriggerMessage asks for (F06), or `undefined` when the station does not send it. */
function trigger(
  ctx: V2CommandContext,
  message: v201.MessageTriggerEnumType,
  evseId: number | undefined,
): (() => Promise<unknown>) | undefined {
  const evses = evseId === undefined ? ctx.bank.all() : [ctx.bank.get(evseId)].filter((e) => e !== undefined);
  switch (message) {
    case 'BootNotification':
      return () => ctx.lifecycle.sendBootNotification();
    case 'Heartbeat':
      return () => ctx.lifecycle.sendHeartbeat();
    case 'StatusNotification':
      return async () => {
        for (const evse of evses) await ctx.bank.report(evse);
      };
    case 'TransactionEvent':
      return async () => {
        for (const evse of evses) await ctx.runner.sample(evse.id, 'Trigger');
      };
    case 'MeterValues':
      return async () => {
        for (const evse of evses) {
          const value = toMeterValue(
            evse.meter.read(Date.now()),
            'Trigger',
            new Date().toISOString(),
            ctx.model.value('AlignedDataCtrlr', 'Measurands'),
            evse.maxPowerW,
          );
          if (value) await ctx.link.call('MeterValues', { evseId: evse.id, meterValue: [value] });
        }
      };
    case 'FirmwareStatusNotification':
      return () => ctx.link.call('FirmwareStatusNotification', { status: 'Idle' });
    case 'LogStatusNotification':
      return () => ctx.link.call('LogStatusNotification', { status: 'Idle' });
    case 'SignChargingStationCertificate':
      return () => ctx.certificates.signCertificate(ctx.link);
    default:
      return undefined;
  }
}
