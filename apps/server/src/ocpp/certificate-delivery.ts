import type { CertificateService, SigningOutcome } from '../services/certificate.service.js';
import type { ChargePointSession } from '../services/charge-point.service.js';
import type { ChargePointConnection } from './connection.js';

/**
 * After a SignCertificate answered Accepted (1.6 security whitepaper §3.2, 2.0.1 A02/A03), the
 * signed chain follows in CertificateSigned, once the answer has been sent; the station's answer
 * is recorded. `payload` is the protocol's CertificateSigned request for the chain.
 */
export function deliverSignedCertificate(
  connection: ChargePointConnection,
  certificates: CertificateService,
  session: ChargePointSession,
  outcome: SigningOutcome,
  payload: (chain: string) => object,
  timeoutMs: number,
): void {
  if (outcome.status !== 'Accepted') return;
  connection.afterAnswer(async () => {
    const problem = await connection.call('CertificateSigned', payload(outcome.chain), timeoutMs).then(
      (answer) => {
        const status = (answer as { status?: unknown } | undefined)?.status;
        return status === 'Accepted' ? null : `the station answered CertificateSigned ${String(status)}`;
      },
      (error: unknown) => `CertificateSigned not delivered: ${(error as Error).message}`,
    );
    await certificates.delivered(session, outcome.serialNumber, problem);
  });
}
