import { ref, toValue, type MaybeRefOrGetter } from 'vue';
import { useApi, type SecurityEvent, type StationCertificate } from '../api';
import { usePolling } from './usePolling';

/** How often the security events and certificates are read again, ms (they have no real-time event). */
export const SECURITY_INTERVAL_MS = 10_000;

/** A station's security events and the certificates the OCPP CA signed for it (CONTRACT section 8). */
export function useStationSecurity(chargePointId: MaybeRefOrGetter<string>) {
  const api = useApi();
  const events = ref<SecurityEvent[]>([]);
  const certificates = ref<StationCertificate[]>([]);

  async function refresh(): Promise<void> {
    const id = toValue(chargePointId);
    const [eventPage, certificatePage] = await Promise.all([
      api.stations.securityEvents(id, { limit: 50 }),
      api.stations.certificates(id, { limit: 50 }),
    ]);
    events.value = eventPage.items;
    certificates.value = certificatePage.items;
  }
  usePolling(refresh, SECURITY_INTERVAL_MS);

  async function revoke(serialNumber: string): Promise<void> {
    await api.stations.revokeCertificate(toValue(chargePointId), serialNumber);
    await refresh();
  }

  return { events, certificates, refresh, revoke };
}
