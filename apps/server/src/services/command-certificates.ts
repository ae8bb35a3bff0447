import { X509Certificate } from 'node:crypto';
import { AppError } from '../errors.js';

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;

/** The certificates of a PEM text, in order; anything else in it is a problem. */
function certificatesOf(text: string, field: string): X509Certificate[] {
  const blocks = text.match(PEM_CERTIFICATE) ?? [];
  if (blocks.length === 0 || text.replace(PEM_CERTIFICATE, '').trim() !== '') {
    throw invalid(field, `${field} must be PEM certificates and nothing else`);
  }
  return blocks.map((block, index) => {
    try {
      return new X509Certificate(block);
    } catch {
      throw invalid(field, `${field}: certificate ${index + 1} cannot be read`);
    }
  });
}

function invalid(field: string, message: string): AppError {
  return new AppError('VALIDATION_ERROR', message, { fields: [field] });
}

/** A PEM text that must hold exactly one certificate. */
function single(text: string, field: string): X509Certificate {
  const certificates = certificatesOf(text, field);
  const [first] = certificates;
  if (!first || certificates.length !== 1) throw invalid(field, `${field} must hold one certificate`);
  return first;
}

/**
 * The certificate rules of the security extension's commands, beyond their JSON schema (a
 * schema-valid string may still be garbage that the station would have to refuse):
 * - InstallCertificate: one readable CA certificate (a root for CentralSystemRootCertificate or
 *   ManufacturerRootCertificate);
 * - CertificateSigned: a chain that verifies, each certificate signed by the next one, the first
 *   one not a CA (the station's own);
 * - SignedUpdateFirmware: the signing certificate, configured once (OCPP_FIRMWARE_SIGNING_CERT_FILE)
 *   and added when the request leaves it out, must be readable.
 */
export class CommandCertificates {
  constructor(
    /** OCPP_FIRMWARE_SIGNING_CERT_FILE, PEM; null when unset. */
    private readonly firmwareSigningCertificate: string | null,
  ) {}

  /** The payload with what the configuration supplies: the firmware signing certificate. */
  complete(action: string, payload: unknown): unknown {
    if (action !== 'SignedUpdateFirmware' || this.firmwareSigningCertificate === null) return payload;
    const firmware = (payload as { firmware?: unknown } | null)?.firmware;
    if (typeof firmware !== 'object' || firmware === null || 'signingCertificate' in firmware) return payload;
    return {
      ...(payload as object),
      firmware: { ...firmware, signingCertificate: this.firmwareSigningCertificate },
    };
  }

  /**
   * @param payload a schema-valid request of `action`
   * @throws AppError VALIDATION_ERROR naming the field whose certificates are unusable.
   */
  check(action: string, payload: unknown): void {
    if (action === 'InstallCertificate') {
      const certificate = single((payload as { certificate: string }).certificate, 'certificate');
      if (!certificate.ca)
        throw invalid('certificate', 'certificate must be a CA certificate (a root to install)');
    } else if (action === 'CertificateSigned') {
      checkChain(
        certificatesOf((payload as { certificateChain: string }).certificateChain, 'certificateChain'),
      );
    } else if (action === 'SignedUpdateFirmware') {
      single(
        (payload as { firmware: { signingCertificate: string } }).firmware.signingCertificate,
        'firmware.signingCertificate',
      );
    }
  }
}

/** Each certificate must be issued and signed by the next; the first is an end entity. */
function checkChain(chain: X509Certificate[]): void {
  if (chain[0]?.ca)
    throw invalid('certificateChain', 'certificateChain must start with the station certificate, not a CA');
  chain.slice(0, -1).forEach((certificate, index) => {
    const issuer = chain[index + 1] as X509Certificate;
    if (!certificate.checkIssued(issuer) || !certificate.verify(issuer.publicKey)) {
      throw invalid(
        'certificateChain',
        `certificateChain does not verify: certificate ${index + 1} is not signed by certificate ${index + 2}`,
      );
    }
  });
}
