import { type Clock, isoNow } from '../domain/clock.js';
import type { Actor } from '../domain/user.js';
import { AppError } from '../errors.js';
import type { CertificateRepository, IssuedCertificate } from '../repositories/certificate.repository.js';
import type { Page, PageRequest } from '../repositories/paging.js';
import type { CertificateIssuer } from './certificate-issuer.js';
import type { SecurityEventRecorder } from './security-event.service.js';
import type { StationService } from './station.service.js';

/** The station a request comes from, as an OCPP session knows it. */
export interface CertificateRequester {
  stationId: number;
  chargePointId: string;
}

/** What a CSR gets: refused, or signed (the chain to send back to the station). */
export type SigningOutcome =
  { status: 'Rejected' } | { status: 'Accepted'; chain: string; serialNumber: string };

/**
 * The station certificates of the OCPP CA (CONTRACT section 8), in domain terms: a CSR checked
 * and signed (SignCertificate in 1.6, SignCertificateRequest in 2.0.1), what the station did with
 * the certificate, the certificates issued per station, their revocation, and whether a
 * presented certificate was revoked. The protocol adapters send the chain and the renewal
 * requests with their own messages.
 */
export class CertificateService {
  constructor(
    private readonly issuer: CertificateIssuer,
    private readonly certificates: CertificateRepository,
    private readonly stations: StationService,
    private readonly securityEvents: SecurityEventRecorder,
    private readonly clock: Clock,
  ) {}

  /**
   * Checks a station's CSR and signs it (CertificateIssuer), and keeps the certificate. A refused
   * CSR is recorded as a server security event.
   */
  async sign(requester: CertificateRequester, csr: string): Promise<SigningOutcome> {
    const { stationId, chargePointId } = requester;
    const issued = await this.issuer.issue(csr, chargePointId);
    if (issued.status === 'Refused') {
      await this.securityEvents.recordRefusal(stationId, chargePointId, {
        type: 'InvalidCertificateSigningRequest',
        techInfo: issued.problem,
      });
    }
    if (issued.status !== 'Signed') return { status: 'Rejected' };
    const { signed } = issued;
    await this.certificates.add(stationId, {
      serialNumber: signed.serialNumber,
      subject: signed.subject,
      notBefore: signed.notBefore,
      notAfter: signed.notAfter,
      fingerprint: signed.fingerprint,
      certificate: signed.certificate,
      issuedAt: issued.issuedAt.toISOString(),
    });
    return { status: 'Accepted', chain: signed.chain, serialNumber: signed.serialNumber };
  }

  /**
   * What the station answered to the signed chain: anything but acceptance is recorded as a
   * server security event (the certificate stays listed; an operator may revoke it).
   * @param problem the station's status, or why the chain did not reach it; null when accepted.
   */
  async delivered(
    requester: CertificateRequester,
    serialNumber: string,
    problem: string | null,
  ): Promise<void> {
    if (problem === null) return;
    await this.securityEvents.recordRefusal(requester.stationId, requester.chargePointId, {
      type: 'ChargePointCertificateNotInstalled',
      techInfo: `certificate ${serialNumber}: ${problem}`,
    });
  }

  /** @throws AppError NOT_FOUND for an unknown station and one outside the caller's scope. */
  async list(actor: Actor, chargePointId: string, page: PageRequest): Promise<Page<IssuedCertificate>> {
    const station = await this.stations.get(actor, chargePointId);
    return this.certificates.list(station.id, page);
  }

  /**
   * Revokes a certificate the CA signed for the station: from then on it is refused at the
   * upgrade, whatever the station's profile.
   * @throws AppError NOT_FOUND for an unknown station, one outside the caller's scope, or no
   * certificate of that serial number for it.
   */
  async revoke(actor: Actor, chargePointId: string, serialNumber: string): Promise<IssuedCertificate> {
    const station = await this.stations.get(actor, chargePointId);
    const revoked = await this.certificates.revoke(
      station.id,
      serialNumber.toUpperCase(),
      isoNow(this.clock),
    );
    if (!revoked)
      throw new AppError('NOT_FOUND', `Station ${chargePointId} has no certificate ${serialNumber}`);
    return revoked;
  }

  /** Whether a presented certificate (by its SHA-256 fingerprint) was revoked here. */
  isRevoked(fingerprint: string): Promise<boolean> {
    return this.certificates.isRevoked(fingerprint);
  }

  /** Whether the station holds a current, standing certificate of the CA (for profile 3). */
  hasCurrentCertificate(stationId: number): Promise<boolean> {
    return this.certificates.hasCurrent(stationId, isoNow(this.clock));
  }
}
