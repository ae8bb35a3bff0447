import type { v201 } from '@cimorings/ocpp';
import { createHash, X509Certificate } from 'node:crypto';
import { certificateRequest, chainProblem, type ClientCertificate } from '../security.js';
import type { CsmsLink } from './events.js';

type HashData = v201.CertificateHashDataType;
type CertificateUse = v201.GetCertificateIdUseEnumType;

/**
 * The certificates of a simulated 2.x station (block M and A02): the root certificates it was
 * given (InstallCertificate), and its own client certificate, made from a key and CSR of its own
 * (SignCertificate) and taken from CertificateSigned when the chain carries that key.
 */
export class V2Certificates {
  private readonly installed: { use: CertificateUse; hash: HashData }[] = [];
  /** The key of the last CSR sent, waiting for its certificate: SPKI DER and PKCS#8 PEM. */
  private pending: { publicKey: Buffer; privateKey: string } | null = null;
  /** The certificate the CSMS signed for this station, presented at security profile 3. */
  client: ClientCertificate | null;

  constructor(
    private readonly identity: string,
    given: ClientCertificate | null,
  ) {
    this.client = given;
  }

  /** Makes a new key and CSR (CN = the station's identity) and sends SignCertificate (A02). */
  async signCertificate(link: CsmsLink): Promise<V2Answer<'SignCertificate'>> {
    const { csr, ...pending } = await certificateRequest(this.identity);
    this.pending = pending;
    return link.call('SignCertificate', { csr, certificateType: 'ChargingStationCertificate' });
  }

  /**
   * OCPP 2.0.1 A02: a chain for the key of the last CSR becomes the station's certificate; one that
   * was not asked for is still taken as readable or not, as before (it is not presented).
   */
  certificateSigned(chain: string): 'Accepted' | 'Rejected' {
    const pending = this.pending;
    if (pending === null) return hashData(chain) ? 'Accepted' : 'Rejected';
    if (chainProblem(chain, this.identity, pending.publicKey) !== null) return 'Rejected';
    this.client = { cert: chain, key: pending.privateKey };
    this.pending = null;
    return 'Accepted';
  }

  install(use: CertificateUse, pem: string): boolean {
    const hash = hashData(pem);
    if (hash) this.installed.push({ use, hash });
    return hash !== undefined;
  }

  /** The hash data of the installed certificates of these uses (all when none given). */
  ids(uses: readonly CertificateUse[] | undefined): v201.CertificateHashDataChainType[] {
    return this.installed
      .filter((c) => uses === undefined || uses.includes(c.use))
      .map((c) => ({ certificateType: c.use, certificateHashData: c.hash }));
  }

  has(use: CertificateUse): boolean {
    return this.installed.some((c) => c.use === use);
  }

  delete(hash: HashData): boolean {
    const index = this.installed.findIndex(
      (c) => c.hash.serialNumber === hash.serialNumber && c.hash.issuerNameHash === hash.issuerNameHash,
    );
    if (index >= 0) this.installed.splice(index, 1);
    return index >= 0;
  }
}

type V2Answer<A extends v201.Action> = v201.Actions[A]['response'];

/**
 * The hash data that names a PEM certificate (the first of a chain), or `undefined` when it does
 * not parse. The issuer's name and the certificate's own public key are hashed with SHA-256; a
 * simulated station has no issuer certificate at hand for the issuer key hash.
 */
function hashData(pem: string): HashData | undefined {
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(pem);
  } catch {
    return undefined;
  }
  const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
  return {
    hashAlgorithm: 'SHA256',
    issuerNameHash: sha256(certificate.issuer),
    issuerKeyHash: sha256(certificate.publicKey.export({ type: 'spki', format: 'der' })),
    serialNumber: certificate.serialNumber.toLowerCase().replace(/^0+(?=.)/, ''),
  };
}
