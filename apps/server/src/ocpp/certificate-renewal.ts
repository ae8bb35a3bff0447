import type { v16, v201 } from '@cimorings/ocpp';
import type { CommandRouter } from '../cluster/command-router.js';
import type { StationRepository } from '../repositories/station.repository.js';

/** 1.6 security whitepaper §3.2, §3.7: the station then sends a new SignCertificate. */
const V16_RENEWAL: v16.Request<'ExtendedTriggerMessage'> = { requestedMessage: 'SignChargePointCertificate' };
/** 2.0.1 A02: the same, with the 2.x TriggerMessage. */
const V2_RENEWAL: v201.Request<'TriggerMessage'> = { requestedMessage: 'SignChargingStationCertificate' };

/**
 * Asks a station for a new CSR in its own protocol (1.6: ExtendedTriggerMessage
 * SignChargePointCertificate; 2.x: TriggerMessage SignChargingStationCertificate). Resolves true
 * when it accepted; false for a station that is not registered.
 */
export function askCertificateRenewal(
  stations: Pick<StationRepository, 'find'>,
  router: CommandRouter,
  timeoutMs: number,
) {
  return async (chargePointId: string): Promise<boolean> => {
    const station = await stations.find(chargePointId);
    if (!station) return false;
    const [action, request] =
      station.ocppVersion === '1.6'
        ? (['ExtendedTriggerMessage', V16_RENEWAL] as const)
        : (['TriggerMessage', V2_RENEWAL] as const);
    // Both answers are { status: 'Accepted' | 'Rejected' | 'NotImplemented' }.
    const answer = (await router.call(chargePointId, action, request, timeoutMs)) as
      v201.Response<'TriggerMessage'> | undefined;
    return answer?.status === 'Accepted';
  };
}
