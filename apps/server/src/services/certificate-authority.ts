import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import {
  createPrivateKey,
  createPublicKey,
  randomBytes,
  X509Certificate,
  type KeyObject,
  type webcrypto,
} from 'node:crypto';

/** Curves a charge point key may use (OCPP 1.6 security whitepaper §2.3 / OCPP 2.0.1 A00: P-256, P-384). */
const CURVES: Readonly<Record<string, string>> = { prime256v1: 'P-256', secp384r1: 'P-384' };
/** The smallest RSA key accepted, in bits (the whitepaper's "at least 2048"). */
export const MIN_RSA_BITS = 2048;
/** Hashes a CSR may be signed with: SHA-1 and older are refused. */
const HASHES = ['SHA-256', 'SHA-384', 'SHA-512'];
/** Back-dated so that a charge point whose clock runs a little behind accepts it at once. */
const CLOCK_SKEW_MS = 5 * 60_000;

/** A certificate signing request that passed the checks, ready to sign. */
export interface CheckedRequest {
  readonly request: x509.Pkcs10CertificateRequest;
}

/** Why a CSR is refused, or the request ready to sign. */
export type RequestCheck = { ok: true; checked: CheckedRequest } | { ok: false; problem: string };

/** What the CA signed, as it is stored and sent (CertificateSigned.req `certificateChain`). */
export interface SignedCertificate {
  /** The station certificate, then the CA's: PEM, one after the other. */
  chain: string;
  /** The station certificate alone, PEM. */
  certificate: string;
  /** Upper-case hex, as Node writes it. */
  serialNumber: string;
  /** RFC 4514-like text, e.g. `CN=CP-1, O=Acme`. */
  subject: string;
  notBefore: string;
  notAfter: string;
  /** SHA-256, `AB:CD:…` as Node's `fingerprint256`: what a TLS socket reports for its peer. */
  fingerprint: string;
}

/** The text of a CSR as a charge point sends it: PEM, or bare base64 DER. */
function requestOf(text: string): x509.Pkcs10CertificateRequest {
  const trimmed = text.trim();
  if (trimmed.includes('-----BEGIN')) return new x509.Pkcs10CertificateRequest(trimmed);
  if (!/^[A-Za-z0-9+/=\s]+$/.test(trimmed)) throw new Error('neither PEM nor base64');
  return new x509.Pkcs10CertificateRequest(Buffer.from(trimmed, 'base64'));
}

/** The WebCrypto algorithms of a key: how to import it and how it signs. */
function algorithmsOf(key: KeyObject): {
  importAs: webcrypto.EcKeyImportParams | webcrypto.RsaHashedImportParams;
  sign: webcrypto.Algorithm;
} {
  const details = key.asymmetricKeyDetails ?? {};
  if (key.asymmetricKeyType === 'ec') {
    const curve = CURVES[details.namedCurve ?? ''];
    if (curve === undefined)
      throw new Error(`EC curve ${details.namedCurve ?? 'unknown'} is not P-256 or P-384`);
    const hash = curve === 'P-384' ? 'SHA-384' : 'SHA-256';
    return {
      importAs: { name: 'ECDSA', namedCurve: curve },
      sign: { name: 'ECDSA', hash } as webcrypto.Algorithm,
    };
  }
  if (key.asymmetricKeyType === 'rsa') {
    const algorithm = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
    return { importAs: algorithm, sign: algorithm };
  }
  throw new Error(`a ${key.asymmetricKeyType ?? 'unknown'} key cannot sign (RSA or EC P-256/P-384)`);
}

/** What is wrong with a public key for a charge point certificate, or null. */
function keyProblem(key: KeyObject): string | null {
  const details = key.asymmetricKeyDetails ?? {};
  if (key.asymmetricKeyType === 'rsa') {
    const bits = details.modulusLength ?? 0;
    return bits >= MIN_RSA_BITS ? null : `RSA key of ${bits} bits (at least ${MIN_RSA_BITS})`;
  }
  if (key.asymmetricKeyType === 'ec') {
    return CURVES[details.namedCurve ?? ''] !== undefined
      ? null
      : `EC key on ${details.namedCurve ?? 'an unknown curve'} (P-256 or P-384)`;
  }
  return `${key.asymmetricKeyType ?? 'unknown'} key (RSA ≥ ${MIN_RSA_BITS} bits or EC P-256/P-384)`;
}

/**
 * The OCPP CA (OCPP_CA_CERT_FILE with OCPP_CA_KEY_FILE): checks the CSRs charge points send with
 * SignCertificate and signs the good ones as TLS client certificates (clientAuth) for security
 * profile 3. Protocol-neutral: 1.6 SignCertificate and 2.0.1 SignCertificateRequest both give it
 * a PEM CSR and the station's identity.
 */
export class CertificateAuthority {
  private constructor(
    private readonly certificate: x509.X509Certificate,
    private readonly certificatePem: string,
    private readonly signingKey: webcrypto.CryptoKey,
    private readonly signingAlgorithm: webcrypto.Algorithm,
  ) {}

  /**
   * @param certificatePem the CA certificate (the first of the file when it holds several)
   * @param keyPem its private key, PEM (PKCS#8, SEC1 or PKCS#1)
   * @throws Error when either cannot be read, the key is not the certificate's, or it is no CA.
   */
  static load(certificatePem: string, keyPem: string): CertificateAuthority {
    // The library signs and verifies with WebCrypto: Node's own (idempotent).
    x509.cryptoProvider.set(globalThis.crypto);
    const node = new X509Certificate(certificatePem);
    if (!node.ca)
      throw new Error(`the certificate ${node.subject.replace(/\n/g, ', ')} is not a CA (basicConstraints)`);
    const key = createPrivateKey(keyPem);
    if (!node.checkPrivateKey(key)) throw new Error('the private key is not the CA certificate’s');
    const { importAs, sign } = algorithmsOf(key);
    const signingKey = key.toCryptoKey(importAs, false, ['sign']);
    return new CertificateAuthority(new x509.X509Certificate(node.raw), node.toString(), signingKey, sign);
  }

  /** The CA certificate, PEM: the last of each chain it signs. */
  get pem(): string {
    return this.certificatePem;
  }

  /**
   * Checks a CSR: readable (PEM or base64 DER), its own signature valid, signed with SHA-256 or
   * stronger, a key of RSA ≥ 2048 bits or EC P-256/P-384, and one subject common name that is
   * the station's id (CONTRACT section 8).
   */
  async check(csr: string, chargePointId: string): Promise<RequestCheck> {
    let request: x509.Pkcs10CertificateRequest;
    try {
      request = requestOf(csr);
    } catch (error) {
      return { ok: false, problem: `unreadable CSR: ${(error as Error).message}` };
    }
    try {
      const hash = (request.signatureAlgorithm as { hash?: { name?: string } }).hash?.name ?? 'none';
      if (!HASHES.includes(hash))
        return { ok: false, problem: `CSR signed with ${hash} (SHA-256 or stronger)` };
      const key = createPublicKey({
        key: Buffer.from(request.publicKey.rawData),
        format: 'der',
        type: 'spki',
      });
      const weak = keyProblem(key);
      if (weak !== null) return { ok: false, problem: `weak key: ${weak}` };
      if (!(await request.verify())) return { ok: false, problem: 'the CSR’s signature does not verify' };
    } catch (error) {
      return { ok: false, problem: `unsupported CSR: ${(error as Error).message}` };
    }
    const names = request.subjectName.getField('CN');
    if (names.length !== 1 || names[0] !== chargePointId) {
      return {
        ok: false,
        problem: `CSR names ${names.join(', ') || 'no common name'}, not ${chargePointId}`,
      };
    }
    return { ok: true, checked: { request } };
  }

  /**
   * Signs a checked request: the CSR's subject, a random 127-bit serial, valid from a few minutes
   * before `now` for `validityDays`, end entity (no CA), digitalSignature with clientAuth.
   */
  async sign({ request }: CheckedRequest, validityDays: number, now: Date): Promise<SignedCertificate> {
    const serial = randomBytes(16);
    serial[0] = ((serial[0] ?? 0) & 0x7f) | 0x01;
    const rsa = request.publicKey.algorithm.name.startsWith('RSA');
    const usages =
      x509.KeyUsageFlags.digitalSignature |
      (rsa ? x509.KeyUsageFlags.keyEncipherment : x509.KeyUsageFlags.keyAgreement);
    const signed = await x509.X509CertificateGenerator.create({
      serialNumber: serial.toString('hex'),
      subject: request.subjectName,
      issuer: this.certificate.subjectName,
      notBefore: new Date(now.getTime() - CLOCK_SKEW_MS),
      notAfter: new Date(now.getTime() + validityDays * 86_400_000),
      publicKey: request.publicKey,
      signingKey: this.signingKey,
      signingAlgorithm: this.signingAlgorithm,
      extensions: [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(usages, true),
        new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.clientAuth]),
        await x509.SubjectKeyIdentifierExtension.create(request.publicKey),
        await x509.AuthorityKeyIdentifierExtension.create(this.certificate.publicKey),
      ],
    });
    const node = new X509Certificate(Buffer.from(signed.rawData));
    const certificate = node.toString();
    return {
      chain: certificate + this.certificatePem,
      certificate,
      serialNumber: node.serialNumber,
      subject: node.subject.split('\n').join(', '),
      notBefore: new Date(node.validFrom).toISOString(),
      notAfter: new Date(node.validTo).toISOString(),
      fingerprint: node.fingerprint256,
    };
  }
}
