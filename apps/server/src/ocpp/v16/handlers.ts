import type { ChargePointService } from '../../services/charge-point.service.js';
import type {
  TransactionService,
  MeterValuesRequest,
  StartRequest,
  StopRequest,
} from '../../services/transaction.service.js';
import type { ChargePointConnection } from '../connection.js';
import { checkSampleCount } from './limits.js';
import type { DataTransferService } from '../../services/data-transfer.service.js';
import type { SecurityEventReport, SecurityEventService } from '../../services/security-event.service.js';

/** Services the OCPP 1.6 handlers adapt to. */
export interface V16Services {
  chargePoints: ChargePointService;
  transactions: TransactionService;
  dataTransfer: DataTransferService;
  securityEvents: SecurityEventService;
}

interface BootNotificationReq {
  chargePointVendor: string;
  chargePointModel: string;
  chargePointSerialNumber?: string;
  chargeBoxSerialNumber?: string;
  firmwareVersion?: string;
  iccid?: string;
  imsi?: string;
  meterType?: string;
  meterSerialNumber?: string;
}

interface StatusNotificationReq {
  connectorId: number;
  errorCode: string;
  status: string;
  info?: string;
  timestamp?: string;
  vendorId?: string;
  vendorErrorCode?: string;
}

/**
 * The CS→CSMS messages of OCPP 1.6 (§4), each adapted to one service call. The request has been
 * checked against the official schema by ocpp-rpc's strict mode before a handler runs, and the
 * answer is checked again before it is sent.
 */
export function registerV16Handlers(connection: ChargePointConnection, services: V16Services): void {
  const { admission } = connection;
  const { chargePoints, transactions } = services;
  const protocol = connection.client.protocol ?? 'ocpp1.6';

  // OCPP 1.6 §4.2: before it is accepted, a charge point may boot (and keep its socket alive
  // with heartbeats); every other action is registered with `handle`, which refuses it with
  // SecurityError until then.
  connection.handleBeforeAcceptance<BootNotificationReq>('BootNotification', async (p) => {
    const answer = await chargePoints.boot(
      admission,
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
      protocol,
    );
    // A Rejected charge point may send nothing until the interval has passed (§4.2): once it
    // has the answer, its socket is closed rather than kept open for nothing.
    if (answer.status === 'Rejected') connection.closeAfterAnswers(1008, 'BootNotification rejected');
    return answer;
  });

  connection.handleBeforeAcceptance('Heartbeat', () => chargePoints.heartbeat(admission));

  connection.handle<StatusNotificationReq>('StatusNotification', async (p, session) => {
    await chargePoints.recordStatus(session, p);
    return {};
  });

  connection.handle<{ idTag: string }>('Authorize', async (p) => ({
    idTagInfo: await transactions.authorize(p.idTag),
  }));

  connection.handle<StartRequest>('StartTransaction', (p, session) => transactions.start(session, p));

  connection.handle<StopRequest>('StopTransaction', (p, session) => {
    checkSampleCount('StopTransaction', p.transactionData);
    return transactions.stop(session, p);
  });

  connection.handle<MeterValuesRequest>('MeterValues', async (p, session) => {
    checkSampleCount('MeterValues', p.meterValue);
    await transactions.meterValues(session, p);
    return {};
  });

  connection.handle<{ vendorId: string; messageId?: string; data?: string }>('DataTransfer', (p) =>
    services.dataTransfer.handle(p.vendorId, p.messageId, p.data),
  );

  connection.handle<{ status: string }>('DiagnosticsStatusNotification', async (p, session) => {
    await chargePoints.recordNotification(session, 'diagnostics', p.status);
    return {};
  });

  // OCPP 1.6 Security Whitepaper §4.5: stored, answered with an empty conf.
  connection.handle<SecurityEventReport>('SecurityEventNotification', async (p, session) => {
    await services.securityEvents.reported(session, p);
    return {};
  });

  connection.handle<{ status: string }>('FirmwareStatusNotification', async (p, session) => {
    await chargePoints.recordNotification(session, 'firmware', p.status);
    return {};
  });
}
