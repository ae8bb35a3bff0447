import type { v201 } from '@cimorings/ocpp';
import { createHash, X509Certificate } from 'node:crypto';
import { afterAnswer, type V2CommandContext, type V2Register } from './types.js';

type HashData = v201.CertificateHashDataType;
type CertificateUse = v201.GetCertificateIdUseEnumType;

/**
 * Block L, firmware (UpdateFirmware L01, progress in FirmwareStatusNotification), block N, logs
 * (GetLog N01, progress in LogStatusNotification), block P, DataTransfer, block M, certificates
 * (InstallCertificate M05, GetInstalledCertificateIds M03, DeleteCertificate M04,
 * CertificateSigned A02), and the display message and customer information requests, answered
 * as a station without a display or customer data.
 */
export function registerMaintenance(on: V2Register, ctx: V2CommandContext): void {
  const installed: { use: CertificateUse; hash: HashData }[] = [];
  const progress = async (steps: (() => Promise<unknown>)[]): Promise<void> => {
    for (const step of steps) {
      await new Promise((resolve) => setTimeout(resolve, ctx.fileTransferStepMs));
      if (ctx.link.accepted) await step();
    }
  };
  on('UpdateFirmware', ({ requestId }) => {
    const firmware = (status: v201.FirmwareStatusEnumType) => () =>
      ctx.link.call('FirmwareStatusNotification', { status, requestId });
    afterAnswer(ctx.log, () =>
      progress(
        ['Downloading', 'Downloaded', 'Installing', 'Installed'].map((s) =>
          firmware(s as v201.FirmwareStatusEnumType),
        ),
      ),
    );
    return { status: 'Accepted' };
  });
  on('GetLog', ({ requestId, logType }) => {
    const log = (status: v201.UploadLogStatusEnumType) => () =>
      ctx.link.call('LogStatusNotification', { status, requestId });
    afterAnswer(ctx.log, () => progress([log('Uploading'), log('Uploaded')]));
    return { status: 'Accepted', filename: `${logType.toLowerCase()}-${requestId}.log` };
  });
  on('DataTransfer', () => ({ status: 'UnknownVendorId' }));
  on('InstallCertificate', ({ certificateType, certificate }) => {
    const hash = hashData(certificate);
    if (!hash) return { status: 'Rejected', statusInfo: { reasonCode: 'InvalidCertificate' } };
    installed.push({ use: certificateType, hash });
    return { status: 'Accepted' };
  });
  on('CertificateSigned', ({ certificateChain }) => ({
    status: hashData(certificateChain) ? 'Accepted' : 'Rejected',
  }));
  on('GetInstalledCertificateIds', ({ certificateType }) => {
    const [first, ...rest] = installed
      .filter((c) => certificateType === undefined || certificateType.includes(c.use))
      .map((c) => ({ certificateType: c.use, certificateHashData: c.hash }));
    return first
      ? { status: 'Accepted', certificateHashDataChain: [first, ...rest] }
      : { status: 'NotFound' };
  });
  on('DeleteCertificate', ({ certificateHashData }) => {
    const index = installed.findIndex(
      (c) =>
        c.hash.serialNumber === certificateHashData.serialNumber &&
        c.hash.issuerNameHash === certificateHashData.issuerNameHash,
    );
    if (index < 0) return { status: 'NotFound' };
    installed.splice(index, 1);
    return { status: 'Accepted' };
  });
  on('CustomerInformation', () => ({ status: 'Rejected' }));
  on('SetDisplayMessage', () => ({ status: 'NotSupportedMessageFormat' }));
  on('GetDisplayMessages', () => ({ status: 'Unknown' }));
  on('ClearDisplayMessage', () => ({ status: 'Unknown' }));
  on('CostUpdated', () => ({}));
}

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
