import type { v16 } from '@cimorings/ocpp';
import type { CentralSystemLink } from '../events.js';
import type { SecurityExtension } from '../security.js';
import type { Lifecycle, Register } from './types.js';

/** What the security extension's commands use. */
export interface SecurityDeps {
  security: SecurityExtension;
  link: CentralSystemLink;
  lifecycle: Lifecycle;
  /** Duration of each simulated step of a log upload or a signed firmware update, ms. */
  stepMs: number;
}

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms).unref());

/**
 * The central system's messages of the OCPP 1.6 security whitepaper (edition 3, §3):
 * ExtendedTriggerMessage, CertificateSigned, InstallCertificate, GetInstalledCertificateIds,
 * DeleteCertificate, GetLog (with LogStatusNotification) and SignedUpdateFirmware (with
 * SignedFirmwareStatusNotification). Nothing is uploaded or installed: each step takes `stepMs`.
 */
export function registerSecurityCommands(register: Register, deps: SecurityDeps): void {
  const { security, link, lifecycle, stepMs } = deps;
  let logStatus: v16.UploadLogStatusEnumType = 'Idle';
  let firmwareStatus: v16.Request<'SignedFirmwareStatusNotification'>['status'] = 'Idle';

  register('ExtendedTriggerMessage', ({ requestedMessage }, after) => {
    switch (requestedMessage) {
      case 'SignChargePointCertificate':
        after(() => security.signCertificate());
        return { status: 'Accepted' };
      case 'BootNotification':
        after(() => lifecycle.sendBootNotification());
        return { status: 'Accepted' };
      case 'Heartbeat':
        after(() => lifecycle.sendHeartbeat());
        return { status: 'Accepted' };
      case 'LogStatusNotification':
        after(() => link.call('LogStatusNotification', { status: logStatus }));
        return { status: 'Accepted' };
      case 'FirmwareStatusNotification':
        after(() => link.call('SignedFirmwareStatusNotification', { status: firmwareStatus }));
        return { status: 'Accepted' };
      default:
        return { status: 'NotImplemented' };
    }
  });

  register('CertificateSigned', ({ certificateChain }, after) => ({
    status: security.certificateSigned(certificateChain, after),
  }));
  register('InstallCertificate', ({ certificateType, certificate }) =>
    security.install(certificateType, certificate),
  );
  register('GetInstalledCertificateIds', ({ certificateType }) => security.installedIds(certificateType));
  register('DeleteCertificate', ({ certificateHashData }) => security.delete(certificateHashData));

  register('GetLog', ({ logType, requestId }, after) => {
    after(async () => {
      for (const status of ['Uploading', 'Uploaded'] as const) {
        logStatus = status;
        await link.call('LogStatusNotification', { status, requestId });
        if (status === 'Uploading') await wait(stepMs);
      }
      logStatus = 'Idle';
    });
    return { status: 'Accepted', filename: `${logType === 'SecurityLog' ? 'security' : 'diagnostics'}.log` };
  });

  register('SignedUpdateFirmware', ({ requestId, firmware }, after) => {
    const delay = Math.max(0, Date.parse(firmware.retrieveDateTime) - Date.now());
    after(async () => {
      await wait(delay);
      for (const status of [
        'Downloading',
        'Downloaded',
        'SignatureVerified',
        'Installing',
        'Installed',
      ] as const) {
        firmwareStatus = status;
        await link.call('SignedFirmwareStatusNotification', { status, requestId });
        if (status !== 'Installed') await wait(stepMs);
      }
      firmwareStatus = 'Idle';
    });
    return { status: 'Accepted' };
  });
}
