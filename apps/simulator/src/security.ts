import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { createHash, X509Certificate, type webcrypto } from 'node:crypto';
import type { v16 } from '@cimorings/ocpp';
import type { CentralSystemLink } from './events.js';
import type { LogFn } from './options.js';

/** A client certificate chain and its key, PEM: what a station presents at security profile 3. */
export interface ClientCertificate {
  cert: string;
  key: string;
}

/** What the charge point keeps of the security extension (OCPP 1.6 security whitepaper). */
export interface CertificateHolder {
  /** Presents this certificate (chain) and key from the next connection on. */
  useClientCertificate(cert: string, key: string): void;
}

type HashData = v16.Request<'DeleteCertificate'>['certificateHashData'];
type CertificateUse = v16.Request<'InstallCertificate'>['certificateType'];

/** The certificateHashData of a certificate, as the whitepaper defines it (SHA-256 of the issuer name and key). */
function hashDataOf(certificate: X509Certificate, issuerKey: Buffer): HashData {
  const parsed = new x509.X509Certificate(certificate.raw);
  return {
    hashAlgorithm: 'SHA256',
    issuerNameHash: createHash('sha256').update(Buffer.from(parsed.issuerName.toArrayBuffer())).digest('hex'),
    issuerKeyHash: createHash('sha256').update(issuerKey).digest('hex'),
    serialNumber: certificate.serialNumber.toLowerCase().replace(/^0+(?=.)/, ''),
  };
}

/**
 * The simulated security extension: a key pair and CSR made on request (SignCertificate), the
 * signed certificate checked and then used for the next connections, root certificates installed,
 * listed and deleted, and security events sent. Keys are EC P-256 on WebCrypto.
 */
export class SecurityExtension {
  /** The key of the last CSR sent, waiting for its certificate: SPKI DER and PKCS#8 PEM. */
  private pending: { publicKey: Buffer; privateKey: string } | null = null;
  private readonly installed: { use: CertificateUse; certificate: X509Certificate }[] = [];
  /** The certificate chain the central system signed and this charge point now presents. */
  certificate: string | null = null;
  /** Its private key, PEM (PKCS#8). */
  privateKey: string | null = null;

  constructor(
    private readonly link: CentralSystemLink,
    private readonly holder: CertificateHolder,
    private readonly identity: string,
    private readonly log: LogFn,
  ) {
    x509.cryptoProvider.set(globalThis.crypto);
  }

  /** Makes a new key and CSR (subject CN = the charge point id) and sends SignCertificate. */
  async signCertificate(): Promise<v16.Response<'SignCertificate'>> {
    const { csr, ...pending } = await certificateRequest(this.identity);
    this.pending = pending;
    return this.link.call('SignCertificate', { csr });
  }

  /**
   * Takes the chain the central system signed when its first certificate names this charge
   * point and carries the key of the last CSR; otherwise refuses it and reports
   * InvalidChargePointCertificate afterwards (`after`).
   */
  certificateSigned(chain: string, after: (task: () => Promise<unknown>) => void): 'Accepted' | 'Rejected' {
    const pending = this.pending;
    const problem =
      pending === null
        ? 'no certificate was asked for'
        : chainProblem(chain, this.identity, pending.publicKey);
    if (problem !== null || pending === null) {
      const techInfo = problem ?? 'no certificate was asked for';
      this.log('warn', `CertificateSigned rejected: ${techInfo}`);
      after(() => this.sendSecurityEvent('InvalidChargePointCertificate', techInfo));
      return 'Rejected';
    }
    this.certificate = chain;
    this.privateKey = pending.privateKey;
    this.pending = null;
    this.holder.useClientCertificate(chain, pending.privateKey);
    return 'Accepted';
  }

  install(use: CertificateUse, pem: string): v16.Response<'InstallCertificate'> {
    try {
      const certificate = new X509Certificate(pem);
      if (!certificate.ca) return { status: 'Rejected' };
      this.installed.push({ use, certificate });
      return { status: 'Accepted' };
    } catch {
      return { status: 'Rejected' };
    }
  }

  installedIds(use: CertificateUse): v16.Response<'GetInstalledCertificateIds'> {
    const [first, ...more] = this.installed
      .filter((entry) => entry.use === use)
      .map((entry) => this.hashOf(entry.certificate));
    return first === undefined
      ? { status: 'NotFound' }
      : { status: 'Accepted', certificateHashData: [first, ...more] };
  }

  delete(hash: HashData): v16.Response<'DeleteCertificate'> {
    const index = this.installed.findIndex(
      (entry) => this.hashOf(entry.certificate).serialNumber === hash.serialNumber.toLowerCase(),
    );
    if (index < 0) return { status: 'NotFound' };
    this.installed.splice(index, 1);
    return { status: 'Accepted' };
  }

  /** Sends SecurityEventNotification (whitepaper §3.6) with the time now. */
  async sendSecurityEvent(type: string, techInfo?: string): Promise<void> {
    await this.link.call('SecurityEventNotification', {
      type,
      timestamp: new Date().toISOString(),
      ...(techInfo === undefined ? {} : { techInfo: techInfo.slice(0, 255) }),
    });
  }

  /** Roots are their own issuers: the issuer key hashed is their own public key. */
  private hashOf(certificate: X509Certificate): HashData {
    return hashDataOf(certificate, certificate.publicKey.export({ type: 'spki', format: 'der' }));
  }
}

/**
 * A new EC P-256 key and a PEM CSR for it naming `identity` (CN), as a station makes for
 * SignCertificate: the public key as SPKI DER, the private key as PKCS#8 PEM.
 */
export async function certificateRequest(
  identity: string,
): Promise<{ csr: string; publicKey: Buffer; privateKey: string }> {
  x509.cryptoProvider.set(globalThis.crypto);
  const algorithm = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
  const keys = (await globalThis.crypto.subtle.generateKey(algorithm, true, [
    'sign',
    'verify',
  ])) as webcrypto.CryptoKeyPair;
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({
    name: `CN=${identity}`,
    keys,
    signingAlgorithm: algorithm,
  });
  const spki = await globalThis.crypto.subtle.exportKey('spki', keys.publicKey);
  const pkcs8 = await globalThis.crypto.subtle.exportKey('pkcs8', keys.privateKey);
  return {
    csr: csr.toString('pem'),
    publicKey: Buffer.from(spki),
    privateKey: x509.PemConverter.encode(pkcs8, 'PRIVATE KEY'),
  };
}

/** Why a signed chain is not this charge point's: another subject, another key, unreadable. */
export function chainProblem(chain: string, identity: string, publicKey: Buffer): string | null {
  try {
    const first = new X509Certificate(chain);
    if (!first.subject.split('\n').includes(`CN=${identity}`)) return `certificate of ${first.subject}`;
    return publicKey.equals(first.publicKey.export({ type: 'spki', format: 'der' }))
      ? null
      : 'not the key of the CSR';
  } catch (error) {
    return `unreadable certificate: ${(error as Error).message}`;
  }
}
