import { computed, onMounted, ref, toValue, watch, type MaybeRefOrGetter } from 'vue';
import { useApi, type Onboarding } from '../api';
import { useAuthStore } from '../stores/auth';
import { useSitesStore } from '../stores/sites';
import { useStationsStore } from '../stores/stations';
import { useTransactionsStore } from '../stores/transactions';
import { onReconnected } from './onReconnected';
import { useLoad } from './useLoad';

/**
 * One station's page: the station (live, from the store), its active transactions by connector
 * and how to connect it; loaded on mount, for another station and again after a reconnection.
 */
export function useStationPage(chargePointId: MaybeRefOrGetter<string>) {
  const api = useApi();
  const auth = useAuthStore();
  const stations = useStationsStore();
  const transactions = useTransactionsStore();
  const sites = useSitesStore();
  const station = computed(() => stations.byId[toValue(chargePointId)]);
  /** `failure`: why the station could not be loaded, in words; null once it was. */
  const { failure: notFound, load: loadStation } = useLoad(() => stations.load(toValue(chargePointId)));
  const onboarding = ref<Onboarding | null>(null);
  const txByConnector = computed(() => {
    const map: Record<number, (typeof transactions.active)[number]> = {};
    for (const tx of transactions.active)
      if (tx.chargePointId === toValue(chargePointId)) map[tx.connectorId] = tx;
    return map;
  });

  async function load(): Promise<void> {
    const id = toValue(chargePointId);
    if (!(await loadStation())) return;
    if (auth.can('transactions.view')) void transactions.loadActive().catch(() => undefined);
    onboarding.value = await api.stations.onboarding(id).catch(() => null);
  }

  onMounted(() => {
    void load();
    void sites.load().catch(() => undefined);
  });
  watch(() => toValue(chargePointId), load);
  onReconnected(() => void load());

  return { station, notFound, onboarding, txByConnector };
}
