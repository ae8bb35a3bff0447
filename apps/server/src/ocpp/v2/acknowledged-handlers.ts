import type { v201 } from '@cimorings/ocpp';
import type { FastifyBaseLogger } from 'fastify';
import type { HandlerTable } from '../handler-table.js';
import { v2Registrar } from './handlers.js';

/** Why CIMORINGS answers an ISO 15118 request Failed or Rejected: it has no V2G PKI nor EV schedules. */
const NO_ISO15118: v201.StatusInfoType = {
  reasonCode: 'NotSupported',
  additionalInfo: 'CIMORINGS does not serve ISO 15118 yet',
};

/**
 * The other messages a 2.0.1 charging station may send, of use cases CIMORINGS does not run yet
 * (ISO 15118 certificates and charging needs, display messages, customer information, variable
 * monitoring, a local controller's firmware publishing) or only hears of (charging limits, the
 * profiles a station reports): each is answered schema-valid, as the use case says a CSMS that
 * cannot serve it answers, and logged (without the payload's personal or bulky parts). With
 * these and those of handlers.ts, every message of the 2.0.1 station-to-CSMS list has a handler.
 */
export function registerV2AcknowledgedHandlers(table: HandlerTable, log: FastifyBaseLogger): void {
  const { handle } = v2Registrar(table);
  const acknowledge = <A extends v201.Action>(
    action: A,
    answer: v201.Response<A> & object,
    about: (params: v201.Request<A>) => Record<string, unknown>,
  ) =>
    handle(action, (params, _session, { chargePointId }) => {
      log.info({ chargePointId, ...about(params) }, action);
      return answer;
    });

  // K: what the station tells of its limits and profiles (smart charging reads its own).
  acknowledge('NotifyChargingLimit', {}, (p) => ({ limit: p.chargingLimit, evseId: p.evseId }));
  acknowledge('ClearedChargingLimit', {}, (p) => ({ source: p.chargingLimitSource, evseId: p.evseId }));
  acknowledge('ReportChargingProfiles', {}, (p) => ({
    requestId: p.requestId,
    evseId: p.evseId,
    profiles: p.chargingProfile.length,
  }));
  // K15-K17: no schedule is computed from what an EV needs ("service not available"); its own is taken note of.
  acknowledge('NotifyEVChargingNeeds', { status: 'Rejected', statusInfo: NO_ISO15118 }, (p) => ({
    evseId: p.evseId,
    energyTransfer: p.chargingNeeds.requestedEnergyTransfer,
  }));
  acknowledge('NotifyEVChargingSchedule', { status: 'Accepted' }, (p) => ({ evseId: p.evseId }));
  // M02/M03: no contract certificate is installed, M06: no OCSP responder is asked.
  acknowledge(
    'Get15118EVCertificate',
    { status: 'Failed', statusInfo: NO_ISO15118, exiResponse: '' },
    (p) => ({
      iso15118SchemaVersion: p.iso15118SchemaVersion,
      certificateAction: p.action,
    }),
  );
  acknowledge(
    'GetCertificateStatus',
    { status: 'Failed', statusInfo: { reasonCode: 'NotSupported', additionalInfo: 'No OCSP responder' } },
    (p) => ({ serialNumber: p.ocspRequestData.serialNumber }),
  );
  // N02/N03, N09/N10, O02/O04: reports of requests CIMORINGS sends only through the commands endpoint.
  acknowledge('NotifyMonitoringReport', {}, (p) => ({
    requestId: p.requestId,
    seqNo: p.seqNo,
    tbc: p.tbc ?? false,
    monitors: p.monitor?.length ?? 0,
  }));
  acknowledge('NotifyCustomerInformation', {}, (p) => ({
    requestId: p.requestId,
    seqNo: p.seqNo,
    tbc: p.tbc ?? false,
    characters: p.data.length,
  }));
  acknowledge('NotifyDisplayMessages', {}, (p) => ({
    requestId: p.requestId,
    tbc: p.tbc ?? false,
    messages: p.messageInfo?.length ?? 0,
  }));
  // L03: a local controller publishing firmware for the stations behind it.
  acknowledge('PublishFirmwareStatusNotification', {}, (p) => ({ status: p.status, requestId: p.requestId }));
}
