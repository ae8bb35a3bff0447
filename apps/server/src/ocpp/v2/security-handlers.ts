import type { v201 } from '@cimorings/ocpp';
import type { CertificateService } from '../../services/certificate.service.js';
import { deliverSignedCertificate } from '../certificate-delivery.js';
import type { HandlerTable } from '../handler-table.js';
import { v2Registrar } from './handlers.js';

/** What the 2.x certificate handlers use. */
export interface V2SecurityServices {
  certificates: CertificateService;
  /** Ms CertificateSigned waits for the station's answer (OCPP_CALL_TIMEOUT_MS). */
  callTimeoutMs: number;
}

/**
 * A02/A03: the station sends a CSR for its ChargingStationCertificate; the same OCPP CA and the
 * same checks as for 1.6 (CertificateService) answer it, and once Accepted the chain follows in
 * CertificateSigned with certificateType ChargingStationCertificate. CIMORINGS signs no
 * V2GCertificate (ISO 15118 has its own PKI): such a CSR is Rejected.
 */
export function registerV2SecurityHandlers(table: HandlerTable, services: V2SecurityServices): void {
  const { certificates } = services;
  const { handle } = v2Registrar(table);

  handle('SignCertificate', async (p, session, connection): Promise<v201.Response<'SignCertificate'>> => {
    if (p.certificateType === 'V2GCertificate') {
      return {
        status: 'Rejected',
        statusInfo: { reasonCode: 'UnsupportedCertType', additionalInfo: 'Only ChargingStationCertificate' },
      };
    }
    const outcome = await certificates.sign(session, p.csr);
    const signed = (certificateChain: string): v201.Request<'CertificateSigned'> => ({
      certificateChain,
      certificateType: 'ChargingStationCertificate',
    });
    deliverSignedCertificate(connection, certificates, session, outcome, signed, services.callTimeoutMs);
    return { status: outcome.status };
  });
}
