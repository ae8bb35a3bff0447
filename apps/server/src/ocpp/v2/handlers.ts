import type { v201 } from '@cimorings/ocpp';
import type { FastifyBaseLogger } from 'fastify';
import type { ChargePointService, ChargePointSession } from '../../services/charge-point.service.js';
import type { StationProtocol } from '../../services/command.service.js';
import type { DeviceModelService } from '../../services/device-model.service.js';
import { registrar, type HandlerTable } from '../handler-table.js';
import type { SendHandlers } from './frames.js';
import type { DataTransferService } from '../../services/data-transfer.service.js';
import type { SecurityEventService } from '../../services/security-event.service.js';
import { connectorStatusOf, eventVariables, reportedVariables } from './mapping.js';
import { registerV2TransactionHandlers, type V2TransactionServices } from './transaction-handlers.js';
import { registerV2SecurityHandlers, type V2SecurityServices } from './security-handlers.js';
import { keepsStatus } from '../notification-status.js';
import { registerV2AcknowledgedHandlers } from './acknowledged-handlers.js';

/** Services the OCPP 2.x handlers adapt to: the same ones as 1.6's, and the device model. */
export interface V2Services extends V2TransactionServices, V2SecurityServices {
  chargePoints: ChargePointService;
  deviceModel: DeviceModelService;
  dataTransfer: DataTransferService;
  securityEvents: SecurityEventService;
}

/** Each action a station may send: its request, and the answer, as the official schema says. */
type V2Messages = { [A in v201.Action]: { request: v201.Request<A>; response: v201.Response<A> & object } };

/** Registers typed handlers of 2.x actions: `handle` once accepted, `before` at any time. */
export const v2Registrar = (table: HandlerTable) => registrar<V2Messages>(table);

/**
 * The messages an OCPP 2.0.1 charging station sends (2.1 ones too, validated with the 2.1
 * schemas), each adapted to the services the 1.6 handlers use: the wire payload becomes a domain
 * input here. Strict mode has checked the request against the official schema before a handler
 * runs, and checks the answer again before it is sent. An action without a handler is answered
 * NotImplemented by ocpp-rpc.
 */
export function registerV2Handlers(table: HandlerTable, services: V2Services, log: FastifyBaseLogger): void {
  const { chargePoints, deviceModel } = services;
  const { handle, before } = v2Registrar(table);

  // B01-B03: registration as for 1.6, Basic auth having been checked at the upgrade.
  before('BootNotification', async (p, connection) => {
    const { admission } = connection;
    const station = p.chargingStation;
    const answer = await chargePoints.boot(
      admission,
      {
        vendor: station.vendorName,
        model: station.model,
        serialNumber: station.serialNumber ?? null,
        chargeBoxSerialNumber: null,
        firmwareVersion: station.firmwareVersion ?? null,
        iccid: station.modem?.iccid ?? null,
        imsi: station.modem?.imsi ?? null,
        meterType: null,
        meterSerialNumber: null,
      },
      connection.client.protocol ?? 'ocpp2.0.1',
    );
    if (answer.status === 'Rejected') connection.closeAfterAnswers(1008, 'BootNotification rejected');
    const session = admission.station;
    if (answer.status === 'Accepted' && session) {
      connection.afterNextAnswer(() => void askForDeviceModel(session, services, admission, log));
    }
    return answer;
  });

  before('Heartbeat', (_p, connection) => chargePoints.heartbeat(connection.admission));

  // G01-G04: an EVSE is a connector of the station object; Occupied shows the charging state.
  handle('StatusNotification', async (p, session) => {
    const status = await services.transactionEvents.connectorStatus(session, p.evseId, p.connectorStatus);
    await chargePoints.recordStatus(session, {
      connectorId: p.evseId,
      ...connectorStatusOf(status),
      info: null,
      vendorId: null,
      vendorErrorCode: null,
      timestamp: p.timestamp,
    });
    return {};
  });

  handle('NotifyReport', async (p, session) => {
    await deviceModel.storeReport(session, reportedVariables(p.reportData ?? []));
    return {};
  });

  // N07: an event about a variable tells its actual value.
  handle('NotifyEvent', async (p, session) => {
    await deviceModel.storeReport(session, eventVariables(p.eventData));
    return {};
  });

  // A04: kept in the same table as 1.6's.
  handle('SecurityEventNotification', async (p, session) => {
    await services.securityEvents.reported(session, {
      type: p.type,
      timestamp: p.timestamp,
      ...(p.techInfo !== undefined && { techInfo: p.techInfo }),
    });
    return {};
  });

  handle('FirmwareStatusNotification', keepsStatus(chargePoints, 'firmware'));

  // N01: the status of a log upload (GetLog), kept where 1.6's security extension keeps its own.
  handle('LogStatusNotification', keepsStatus(chargePoints, 'log'));

  // P01: as 1.6 does, UnknownVendorId unless a vendor's handler is registered.
  handle('DataTransfer', async (p) => {
    const data = typeof p.data === 'string' || p.data === undefined ? p.data : JSON.stringify(p.data);
    const answer = await services.dataTransfer.handle(p.vendorId, p.messageId, data);
    // 2.0.1's `data` is of any JSON type (the generated type says object): a vendor's text is kept as it is.
    return {
      status: answer.status,
      ...(answer.data !== undefined && { data: answer.data as unknown as Record<string, unknown> }),
    };
  });

  registerV2TransactionHandlers(table, services);
  registerV2SecurityHandlers(table, services);
  registerV2AcknowledgedHandlers(table, log);
}

/**
 * The messages a 2.1 station may SEND (never answered). NotifyPeriodicEventStream carries the
 * samples of a monitoring stream, which CIMORINGS does not set up yet (the 2.1 use cases come
 * later): read, checked and logged.
 */
export function sendHandlers(chargePointId: string, log: FastifyBaseLogger): SendHandlers {
  return {
    NotifyPeriodicEventStream: (payload) =>
      log.debug({ chargePointId, stream: (payload as { id?: unknown }).id }, 'NotifyPeriodicEventStream'),
  };
}

/**
 * After an accepted boot, a station whose device model is not known yet is asked for it (B07);
 * called as the BootNotification answer goes out: a CSMS may send nothing before it.
 */
async function askForDeviceModel(
  session: ChargePointSession,
  services: V2Services,
  station: StationProtocol,
  log: FastifyBaseLogger,
): Promise<void> {
  const { chargePointId } = station;
  try {
    if (!(await services.deviceModel.unreported(session))) return;
    await services.deviceModel.requestBaseReport(station);
  } catch (error) {
    log.warn({ err: error, chargePointId }, 'GetBaseReport after boot failed');
  }
}
