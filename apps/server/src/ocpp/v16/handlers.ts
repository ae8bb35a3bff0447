import type { v16 } from '@cimorings/ocpp';
import type { MeterReading } from '../../domain/meter.js';
import type { ChargePointService } from '../../services/charge-point.service.js';
import type { DataTransferService } from '../../services/data-transfer.service.js';
import type { TransactionService } from '../../services/transaction.service.js';
import { registrar, type HandlerTable } from '../handler-table.js';
import { checkSampleCount } from './limits.js';
import type { SecurityEventService } from '../../services/security-event.service.js';
import { registerV16SecurityHandlers, type V16SecurityServices } from './security-handlers.js';
import { keepsStatus } from '../notification-status.js';

/** Services the OCPP 1.6 handlers adapt to. */
export interface V16Services extends V16SecurityServices {
  chargePoints: ChargePointService;
  transactions: TransactionService;
  dataTransfer: DataTransferService;
  securityEvents: SecurityEventService;
}

/** Each CS→CSMS action: its request, and the answer, as the official schema says. */
type V16Messages = { [A in v16.ChargePointAction]: { request: v16.Request<A>; response: v16.Response<A> } };

/** Registers typed handlers of CS→CSMS actions: `handle` once accepted, `before` at any time. */
export const v16Registrar = (table: HandlerTable) => registrar<V16Messages>(table);

/**
 * The CS→CSMS messages of OCPP 1.6 (§4), each adapted to one service call: the wire payload
 * becomes the service's domain input here, and the service's answer is checked against the
 * response type by the compiler. The request has been checked against the official schema by
 * ocpp-rpc's strict mode before a handler runs, and the answer is checked again before it is sent.
 */
export function registerV16Handlers(table: HandlerTable, services: V16Services): void {
  const { chargePoints, transactions } = services;
  const { handle, before } = v16Registrar(table);

  // OCPP 1.6 §4.2: before it is accepted, a charge point may boot (and keep its socket alive
  // with heartbeats); every other action is registered with `handle`, which refuses it with
  // SecurityError until then.
  before('BootNotification', async (p, connection) => {
    const answer = await chargePoints.boot(
      connection.admission,
      {
        vendor: p.chargePointVendor,
        model: p.chargePointModel,
        serialNumber: p.chargePointSerialNumber ?? null,
        chargeBoxSerialNumber: p.chargeBoxSerialNumber ?? null,
        firmwareVersion: p.firmwareVersion ?? null,
        iccid: p.iccid ?? null,
        imsi: p.imsi ?? null,
        meterType: p.meterType ?? null,
        meterSerialNumber: p.meterSerialNumber ?? null,
      },
      connection.client.protocol ?? 'ocpp1.6',
    );
    // A Rejected charge point may send nothing until the interval has passed (§4.2): once it
    // has the answer, its socket is closed rather than kept open for nothing.
    if (answer.status === 'Rejected') connection.closeAfterAnswers(1008, 'BootNotification rejected');
    return answer;
  });

  before('Heartbeat', (_p, connection) => chargePoints.heartbeat(connection.admission));

  handle('StatusNotification', async (p, session) => {
    await chargePoints.recordStatus(session, {
      connectorId: p.connectorId,
      status: p.status,
      errorCode: p.errorCode,
      info: p.info ?? null,
      vendorId: p.vendorId ?? null,
      vendorErrorCode: p.vendorErrorCode ?? null,
      timestamp: p.timestamp,
    });
    return {};
  });

  handle('Authorize', async (p) => ({ idTagInfo: await transactions.authorize(p.idTag) }));

  handle('StartTransaction', (p, session) => transactions.start(session, p));

  handle('StopTransaction', (p, session) => {
    checkSampleCount('StopTransaction', p.transactionData);
    const { transactionData, ...stop } = p;
    return transactions.stop(session, {
      ...stop,
      readings: readings(transactionData ?? []),
      readingsAsSent: transactionData,
    });
  });

  handle('MeterValues', async (p, session) => {
    checkSampleCount('MeterValues', p.meterValue);
    await transactions.meterValues(session, {
      connectorId: p.connectorId,
      transactionId: p.transactionId,
      readings: readings(p.meterValue),
    });
    return {};
  });

  handle('DataTransfer', (p) => services.dataTransfer.handle(p.vendorId, p.messageId, p.data));

  handle('DiagnosticsStatusNotification', keepsStatus(chargePoints, 'diagnostics'));

  // OCPP 1.6 Security Whitepaper §4.5: stored, answered with an empty conf.
  handle('SecurityEventNotification', async (p, session) => {
    await services.securityEvents.reported(session, {
      type: p.type,
      timestamp: p.timestamp,
      techInfo: p.techInfo,
    });
    return {};
  });

  handle('FirmwareStatusNotification', keepsStatus(chargePoints, 'firmware'));

  registerV16SecurityHandlers(table, services);
}

/** The meter readings of MeterValues.req or StopTransaction.req's transactionData. */
function readings(meterValues: readonly v16.MeterValue[]): MeterReading[] {
  return meterValues.map((value) => ({ timestamp: value.timestamp, samples: value.sampledValue }));
}
