import type { Clock } from '../domain/clock.js';
import type { KeyedRateLimit } from '../domain/keyed-rate-limit.js';
import type { CertificateAuthority, SignedCertificate } from './certificate-authority.js';

export interface CertificatePolicy {
  /** OCPP_CERTIFICATE_VALIDITY_DAYS. */
  validityDays: number;
  /**
   * Certificates signed per station a minute: each one is a stored row, and a station that
   * sends good CSRs in a loop must not fill the table. Past it, CSRs are answered Rejected.
   */
  signings: KeyedRateLimit;
}

/**
 * What became of a CSR: no CA to sign it, refused (with why, for the station's security
 * events), or signed at `issuedAt`.
 */
export type Issuance =
  | { status: 'NoAuthority' }
  | { status: 'Refused'; problem: string }
  | { status: 'Signed'; signed: SignedCertificate; issuedAt: Date };

/**
 * The OCPP CA as this server uses it (CONTRACT section 8): none configured, and every CSR is
 * refused with a warning to the operator; or a CA that signs a CSR it finds sound, within the
 * policy's validity and rate per station.
 */
export class CertificateIssuer {
  constructor(
    /** null: no OCPP CA is configured; every CSR is refused. */
    private readonly authority: CertificateAuthority | null,
    private readonly policy: CertificatePolicy,
    private readonly clock: Clock,
    /** Told why a CSR could not be signed at all (no CA): an operator must act. */
    private readonly warn: (message: string) => void,
  ) {}

  /**
   * Checks a station's CSR and signs it: the subject must name the station, the key be strong
   * enough (CertificateAuthority.check), and the station within its signings a minute.
   */
  async issue(csr: string, chargePointId: string): Promise<Issuance> {
    if (this.authority === null) {
      this.warn(
        `Certificate signing request of ${chargePointId} rejected: no OCPP CA is configured ` +
          '(set OCPP_CA_KEY_FILE with OCPP_CA_CERT_FILE or TLS_CLIENT_CA_FILE)',
      );
      return { status: 'NoAuthority' };
    }
    const check = await this.authority.check(csr, chargePointId);
    if (!check.ok) return { status: 'Refused', problem: check.problem };
    if (!this.policy.signings.take(chargePointId)) {
      return { status: 'Refused', problem: 'too many certificate signing requests; retry in a minute' };
    }
    const issuedAt = this.clock.now();
    const signed = await this.authority.sign(check.checked, this.policy.validityDays, issuedAt);
    return { status: 'Signed', signed, issuedAt };
  }
}
