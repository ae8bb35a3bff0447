import type { v201 } from '@cimorings/ocpp';
import { afterAnswer, type V2CommandContext, type V2Register } from './types.js';

/**
 * Block L, firmware (UpdateFirmware L01, progress in FirmwareStatusNotification), block N, logs
 * (GetLog N01, progress in LogStatusNotification), block P, DataTransfer, block M, certificates
 * (InstallCertificate M05, GetInstalledCertificateIds M03, DeleteCertificate M04,
 * CertificateSigned A02), and the display message and customer information requests, answered
 * as a station without a display or customer data.
 */
export function registerMaintenance(on: V2Register, ctx: V2CommandContext): void {
  const { certificates } = ctx;
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
  on('InstallCertificate', ({ certificateType, certificate }) =>
    certificates.install(certificateType, certificate)
      ? { status: 'Accepted' }
      : { status: 'Rejected', statusInfo: { reasonCode: 'InvalidCertificate' } },
  );
  on('CertificateSigned', ({ certificateChain }) => ({
    status: certificates.certificateSigned(certificateChain),
  }));
  on('GetInstalledCertificateIds', ({ certificateType }) => {
    const [first, ...rest] = certificates.ids(certificateType);
    return first
      ? { status: 'Accepted', certificateHashDataChain: [first, ...rest] }
      : { status: 'NotFound' };
  });
  on('DeleteCertificate', ({ certificateHashData }) => ({
    status: certificates.delete(certificateHashData) ? 'Accepted' : 'NotFound',
  }));
  on('CustomerInformation', () => ({ status: 'Rejected' }));
  on('SetDisplayMessage', () => ({ status: 'NotSupportedMessageFormat' }));
  on('GetDisplayMessages', () => ({ status: 'Unknown' }));
  on('ClearDisplayMessage', () => ({ status: 'Unknown' }));
  on('CostUpdated', () => ({}));
}
