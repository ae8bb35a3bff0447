import type { CommandRouter } from '../cluster/command-router.js';
import type { StationRepository } from '../repositories/station.repository.js';
import { askV16CertificateRenewal } from './v16/certificate-renewal.js';
import { askV2CertificateRenewal } from './v2/certificate-renewal.js';

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
  const v16 = askV16CertificateRenewal(router, timeoutMs);
  const v2 = askV2CertificateRenewal(router, timeoutMs);
  return async (chargePointId: string): Promise<boolean> => {
    const station = await stations.find(chargePointId);
    if (!station) return false;
    return (station.ocppVersion === '1.6' ? v16 : v2)(chargePointId);
  };
}
