import { computed, ref, toValue, type MaybeRefOrGetter } from 'vue';
import { useApi, type StationVariable } from '../api';
import { changeOf, groupVariables } from '../variables';

/** The most variables one read asks for: a 2.0.1 station reports some hundreds. */
const READ_LIMIT = 1000;

/**
 * A station's device model (CONTRACT section 7): `GET /api/stations/{id}/variables`, grouped by
 * component, and `PATCH` of one variable at a time, keeping the value the station accepted.
 */
export function useStationVariables(chargePointId: MaybeRefOrGetter<string>) {
  const api = useApi();
  const variables = ref<StationVariable[] | null>(null);
  const total = ref(0);
  const loading = ref(false);
  const groups = computed(() => groupVariables(variables.value ?? []));

  async function load(): Promise<void> {
    loading.value = true;
    try {
      const page = await api.stations.variables(toValue(chargePointId), { limit: READ_LIMIT });
      variables.value = page.items;
      total.value = page.total;
    } finally {
      loading.value = false;
    }
  }

  /** Sends one change; resolves the station's attributeStatus (`Accepted`, `Rejected`, ...). */
  async function change(variable: StationVariable, value: string): Promise<string> {
    const { results } = await api.stations.setVariables(toValue(chargePointId), [changeOf(variable, value)]);
    const status = results[0]?.attributeStatus ?? 'Rejected';
    if ((status === 'Accepted' || status === 'RebootRequired') && variables.value) {
      variables.value = variables.value.map((v) => (v === variable ? { ...v, value } : v));
    }
    return status;
  }

  return { variables, total, groups, loading, load, change };
}
