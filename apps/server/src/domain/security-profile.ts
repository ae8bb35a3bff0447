import type { SecurityProfile } from '@cimorings/contracts';

export { SECURITY_PROFILES, type SecurityProfile } from '@cimorings/contracts';

/** What a station starts at (CONTRACT section 8): 1 when it has a password, else 0. */
export function defaultSecurityProfile(hasPassword: boolean): SecurityProfile {
  return hasPassword ? 1 : 0;
}

/**
 * Whether a profile and a password go together: 0 asks for none, 1 and 2 need one (Basic auth),
 * 3 authenticates by certificate and ignores any.
 * @returns the problem, or null when they fit.
 */
export function profilePasswordProblem(profile: SecurityProfile, hasPassword: boolean): string | null {
  if (profile === 0 && hasPassword) return 'security profile 0 takes no password (send ocppPassword: null)';
  if ((profile === 1 || profile === 2) && !hasPassword)
    return `security profile ${profile} needs a password (Basic auth)`;
  return null;
}

/** The client certificate of a connection, as the TLS handshake left it. */
export interface ClientCertificate {
  /** True when it chains to TLS_CLIENT_CA_FILE and is within its validity. */
  verified: boolean;
  /** The subject's common name, if it has one. */
  commonName: string | null;
  /** Why it was not verified (OpenSSL's code, such as CERT_HAS_EXPIRED); null when verified. */
  problem: string | null;
  /** SHA-256 fingerprint, `AB:CD:…`: how a revoked certificate is known; null when unreadable. */
  fingerprint: string | null;
}

/** How a charge point reached the upgrade. */
export interface ConnectionSecurity {
  /** Over TLS: to this server, or to a trusted proxy that said so. */
  tls: boolean;
  /** The certificate it presented; null when none. */
  certificate: ClientCertificate | null;
}

/** The server's own security event types (those of stations are what they send). */
export type ServerSecurityEvent =
  | 'SecurityProfileNotMet'
  | 'InvalidChargePointCertificate'
  | 'FailedToAuthenticateAtCentralSystem'
  /** A CSR refused: another station's name, a weak key, unreadable (SignCertificate). */
  | 'InvalidCertificateSigningRequest'
  /** The station did not take the certificate signed for it (CertificateSigned not Accepted). */
  | 'ChargePointCertificateNotInstalled'
  /** A raise of its security profile refused: by the station, or for want of a root certificate. */
  | 'SecurityProfileRaiseRefused';

/** Why a connection is refused, recorded as a security event of the station. */
export interface Refusal {
  type: ServerSecurityEvent;
  techInfo: string;
}

/**
 * Checks a connection against the station's profile, before its password (if any) is: below
 * the profile, or with a verified certificate that names another station, it is refused. An
 * unverified certificate counts for nothing at profiles 0 to 2, as if none were sent.
 * @returns the refusal, or null when the connection may go on to the password check.
 */
export function securityRefusal(
  profile: SecurityProfile,
  chargePointId: string,
  connection: ConnectionSecurity,
): Refusal | null {
  const certificate = connection.certificate;
  if (certificate?.verified && certificate.commonName !== chargePointId) {
    return {
      type: 'InvalidChargePointCertificate',
      techInfo: `certificate of ${certificate.commonName ?? 'no common name'}, not ${chargePointId}`,
    };
  }
  if (profile >= 2 && !connection.tls) {
    return { type: 'SecurityProfileNotMet', techInfo: `profile ${profile} needs TLS; connected without` };
  }
  if (profile === 3) {
    if (certificate === null)
      return { type: 'SecurityProfileNotMet', techInfo: 'profile 3 needs a client certificate; none sent' };
    if (!certificate.verified)
      return {
        type: 'InvalidChargePointCertificate',
        techInfo: `certificate not accepted: ${certificate.problem ?? 'unverified'}`,
      };
  }
  return null;
}

/** Whether the station must also present its password: at profiles 1 and 2. */
export function needsPassword(profile: SecurityProfile): boolean {
  return profile === 1 || profile === 2;
}
