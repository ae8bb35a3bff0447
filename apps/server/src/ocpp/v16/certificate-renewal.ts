import type { v16 } from '@cimorings/ocpp';
import type { CommandRouter } from '../../cluster/command-router.js';

/**
 * How a 1.6 station is asked to renew its certificate: ExtendedTriggerMessage with
 * `SignChargePointCertificate` (OCPP 1.6 security whitepaper §3.2, §3.7); it then sends a new
 * SignCertificate. Resolves true when the station accepted.
 */
export function askV16CertificateRenewal(router: CommandRouter, timeoutMs: number) {
  return async (chargePointId: string): Promise<boolean> => {
    const request: v16.Request<'ExtendedTriggerMessage'> = { requestedMessage: 'SignChargePointCertificate' };
    const answer = (await router.call(chargePointId, 'ExtendedTriggerMessage', request, timeoutMs)) as
      v16.Response<'ExtendedTriggerMessage'> | undefined;
    return answer?.status === 'Accepted';
  };
}
