import type { ChargePointService } from '../../services/charge-point.service.js';
import type {
  TransactionService,
  MeterValuesRequest,
  StartRequest,
  StopRequest,
} from '../../services/transaction.service.js';
import type { ChargePointConnection } from '../connection.js';
import { AppError } from '../../errors.js';
import type { DataTransferService } from '../../services/data-transfer.service.js';

/** Services the OCPP 1.6 handlers adapt to. */
export interface V16Services {
  chargePoints: ChargePointService;
  transactions: TransactionService;
  dataTransfer: DataTransferService;
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
  const { session } = connection;
  const { chargePoints, transactions } = services;
  const protocol = connection.client.protocol ?? 'ocpp1.6';

  /** OCPP 1.6 §4.2: until it is accepted, a charge point may only boot, heartbeat and report. */
  const requireAccepted = () => {
    if (session.registration !== 'accepted') {
      throw new AppError(
        'PERMISSION_REQUIRED',
        `${session.chargePointId} is not accepted by the central system`,
      );
    }
  };

  connection.handle<BootNotificationReq>('BootNotification', (p) =>
    chargePoints.boot(
      session,
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
    ),
  );

  connection.handle('Heartbeat', () => chargePoints.heartbeat(session));

  connection.handle<StatusNotificationReq>('StatusNotification', async (p) => {
    await chargePoints.recordStatus(session, p);
    return {};
  });

  connection.handle<{ idTag: string }>('Authorize', async (p) => {
    requireAccepted();
    return { idTagInfo: await transactions.authorize(p.idTag) };
  });

  connection.handle<StartRequest>('StartTransaction', (p) => {
    requireAccepted();
    return transactions.start(session, p);
  });

  connection.handle<StopRequest>('StopTransaction', (p) => {
    requireAccepted();
    return transactions.stop(session, p);
  });

  connection.handle<MeterValuesRequest>('MeterValues', async (p) => {
    requireAccepted();
    await transactions.meterValues(session, p);
    return {};
  });

  connection.handle<{ vendorId: string; messageId?: string; data?: string }>('DataTransfer', (p) =>
    services.dataTransfer.handle(p.vendorId, p.messageId, p.data),
  );

  connection.handle<{ status: string }>('DiagnosticsStatusNotification', async (p) => {
    await chargePoints.recordNotification(session, 'diagnostics', p.status);
    return {};
  });

  connection.handle<{ status: string }>('FirmwareStatusNotification', async (p) => {
    await chargePoints.recordNotification(session, 'firmware', p.status);
    return {};
  });
}
