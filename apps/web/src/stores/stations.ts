import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import {
  STATION_STATUSES,
  type ConnectorStatusUpdatedPayload,
  type StationStatusUpdatedPayload,
} from '@cimorings/contracts';
import {
  useApi,
  type Api,
  type CreatedStation,
  type Paging,
  type Station,
  type StationFilters,
  type StationStatus,
  type Stats,
} from '../api';
import { pagedCollection } from './pagedCollection';

export { STATION_STATUSES } from '@cimorings/contracts';

/** The most stations one request may answer (the server's page limit). */
const ALL = 1000;

/**
 * Stations by charge point id. Lists (the stations page, the dashboard counts) keep only ids;
 * live events update the one copy here, so every view shows the same state.
 */
export const useStationsStore = defineStore('stations', () => {
  const api = useApi();
  const byId = ref<Record<string, Station>>({});
  /** The stations page, in the server's order; its stations are the ones in `byId`. */
  const shown = pagedCollection((station: Station) => station.chargePointId, byId);
  /** Every station in the user's scope, for counts and pickers, once loadAll() ran. */
  const allIds = ref<string[]>([]);
  /** The server's dashboard figures (energy today and this month), once loadStats() ran. */
  const stats = ref<Stats | null>(null);

  const all = computed(() => allIds.value.map((id) => byId.value[id]).filter(isStation));
  const pending = computed(() => all.value.filter((station) => station.registration === 'pending'));

  /** Accepted stations per status, and how many are connected. */
  const counts = computed(() => {
    const byStatus = Object.fromEntries(STATION_STATUSES.map((status) => [status, 0])) as Record<
      StationStatus,
      number
    >;
    let connected = 0;
    let total = 0;
    for (const station of all.value) {
      if (station.registration === 'pending') continue;
      total += 1;
      byStatus[station.status] += 1;
      if (station.connected) connected += 1;
    }
    return { byStatus, connected, total };
  });

  function upsert(station: Station): void {
    byId.value[station.chargePointId] = station;
  }

  function loadPage(filters: StationFilters & Paging): Promise<void> {
    return shown.loadPage(() => api.stations.list(filters));
  }

  async function loadAll(): Promise<void> {
    const answer = await api.stations.list({ limit: ALL });
    for (const station of answer.items) upsert(station);
    allIds.value = answer.items.map((station) => station.chargePointId);
  }

  async function loadStats(): Promise<void> {
    stats.value = await api.stats.get();
  }

  async function load(chargePointId: string): Promise<Station> {
    const station = await api.stations.get(chargePointId);
    upsert(station);
    return station;
  }

  async function approve(chargePointId: string): Promise<void> {
    upsert(await api.stations.approve(chargePointId));
  }

  /** Changes a station's name, location or site. */
  async function update(
    chargePointId: string,
    changes: Parameters<Api['stations']['update']>[1],
  ): Promise<void> {
    upsert(await api.stations.update(chargePointId, changes));
  }

  /** Adds a station; answers the server's reply, with the password it generated (shown once). */
  async function create(body: Parameters<Api['stations']['create']>[0]): Promise<CreatedStation> {
    const created = await api.stations.create(body);
    const { ocppPassword: _password, onboarding: _onboarding, ...station } = created;
    upsert(station);
    return created;
  }

  async function remove(chargePointId: string): Promise<void> {
    await api.stations.remove(chargePointId);
    shown.drop(chargePointId);
    allIds.value = allIds.value.filter((id) => id !== chargePointId);
  }

  /** `station_status_updated`. A station not loaded yet is fetched, so that lists show it. */
  function applyStationStatus(event: StationStatusUpdatedPayload): void {
    const station = byId.value[event.chargePointId];
    if (!station) {
      void load(event.chargePointId)
        .then(() => {
          if (!allIds.value.includes(event.chargePointId)) allIds.value.push(event.chargePointId);
        })
        .catch(() => undefined);
      return;
    }
    station.status = event.status;
    // The event does not say whether the station is still connected: Unavailable is also what
    // a station becomes when it leaves, so ask; any other status means it is talking to us.
    if (event.status === 'Unavailable') void load(event.chargePointId).catch(() => undefined);
    else station.connected = true;
  }

  /** `connector_status_updated`: connector 0 is the station itself. */
  function applyConnectorStatus(event: ConnectorStatusUpdatedPayload): void {
    const station = byId.value[event.chargePointId];
    if (!station || event.connectorId === 0) return;
    const connector = station.connectors.find((c) => c.connectorId === event.connectorId);
    const fields = { status: event.status, errorCode: event.errorCode, timestamp: event.timestamp };
    if (connector) Object.assign(connector, fields);
    else {
      station.connectors.push({ connectorId: event.connectorId, ...fields });
      station.connectors.sort((a, b) => a.connectorId - b.connectorId);
    }
  }

  return {
    byId,
    page: shown.list,
    pageTotal: shown.total,
    all,
    pending,
    counts,
    loading: shown.loading,
    stats,
    loadStats,
    upsert,
    loadPage,
    loadAll,
    load,
    approve,
    update,
    create,
    remove,
    applyStationStatus,
    applyConnectorStatus,
  };
});

function isStation(station: Station | undefined): station is Station {
  return station !== undefined;
}
