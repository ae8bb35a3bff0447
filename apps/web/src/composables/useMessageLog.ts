import { ref, toValue, type MaybeRefOrGetter } from 'vue';
import { useApi, type OcppMessage } from '../api';
import { useAuthStore } from '../stores/auth';
import { usePolling } from './usePolling';

/** How often the OCPP message log is read again, ms (it has no real-time event). */
export const LOG_INTERVAL_MS = 3000;

/** A station's latest OCPP messages, read again every few seconds for users with monitoring.view. */
export function useMessageLog(chargePointId: MaybeRefOrGetter<string>) {
  const api = useApi();
  const auth = useAuthStore();
  const messages = ref<OcppMessage[]>([]);

  async function refresh(): Promise<void> {
    if (!auth.can('monitoring.view')) return;
    const page = await api.stations.messages(toValue(chargePointId), { limit: 100 });
    messages.value = page.items;
  }
  usePolling(refresh, LOG_INTERVAL_MS);

  return { messages, refresh };
}
