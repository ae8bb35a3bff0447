import type { v201 } from '@cimorings/ocpp';
import type { CommandRouter } from '../../cluster/command-router.js';

/**
 * How a 2.x station is asked to renew its certificate (A02): TriggerMessage with
 * `SignChargingStationCertificate`; it then sends a new SignCertificate. Resolves true when the
 * station accepted.
 */
export function askV2CertificateRenewal(router: CommandRouter, timeoutMs: number) {
  return async (chargePointId: string): Promise<boolean> => {
    const request: v201.Request<'TriggerMessage'> = { requestedMessage: 'SignChargingStationCertificate' };
    const answer = (await router.call(chargePointId, 'TriggerMessage', request, timeoutMs)) as
      v201.Response<'TriggerMessage'> | undefined;
    return answer?.status === 'Accepted';
  };
}
