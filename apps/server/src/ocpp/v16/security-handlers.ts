import type { v16 } from '@cimorings/ocpp';
import type { CertificateService } from '../../services/certificate.service.js';
import type { ChargePointService } from '../../services/charge-point.service.js';
import type { HandlerTable } from '../handler-table.js';
import { deliverSignedCertificate } from '../certificate-delivery.js';
import { keepsStatus } from '../notification-status.js';
import { v16Registrar } from './handlers.js';

/** What the OCPP 1.6 security extension's handlers use. */
export interface V16SecurityServices {
  chargePoints: ChargePointService;
  certificates: CertificateService;
  /** Ms CertificateSigned waits for the station's answer (OCPP_CALL_TIMEOUT_MS). */
  callTimeoutMs: number;
}

/**
 * The charge point messages of the OCPP 1.6 security whitepaper (edition 3) other than
 * SecurityEventNotification: SignCertificate (§3.2, with CertificateSigned sent after the
 * answer), LogStatusNotification (§3.8) and SignedFirmwareStatusNotification (§3.5).
 */
export function registerV16SecurityHandlers(table: HandlerTable, services: V16SecurityServices): void {
  const { chargePoints, certificates } = services;
  const { handle } = v16Registrar(table);

  // §3.2 "Update Charge Point Certificate": the CSR is answered at once; once Accepted, the
  // signed chain follows in CertificateSigned.req, after SignCertificate.conf has been sent.
  handle('SignCertificate', async (p, session, connection) => {
    const outcome = await certificates.sign(session, p.csr);
    const signed = (certificateChain: string): v16.Request<'CertificateSigned'> => ({ certificateChain });
    deliverSignedCertificate(connection, certificates, session, outcome, signed, services.callTimeoutMs);
    return { status: outcome.status };
  });

  handle('LogStatusNotification', keepsStatus(chargePoints, 'log'));

  handle('SignedFirmwareStatusNotification', keepsStatus(chargePoints, 'signedFirmware'));
}
