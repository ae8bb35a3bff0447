import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { SiteLoadUpdatedPayload } from '@cimorings/contracts';
import { useApi, type SiteLoad } from '../api';

/** One point of a site's load over time: seconds since the epoch (uPlot's time), kW. */
export interface LoadPoint {
  t: number;
  limitKw: number | null;
  allocatedKw: number;
  measuredKw: number;
}

/** Points kept per site: an hour at one point every 5 s. */
const MAX_POINTS = 720;

/**
 * The load of the sites a page watches, by site id: the last answer of `GET /api/sites/{id}/load`
 * and the points seen since (from that answer and from `site_load_updated`), for the chart of
 * measured power against the limit.
 */
export const useSiteLoadsStore = defineStore('siteLoads', () => {
  const api = useApi();
  const byId = ref<Record<number, SiteLoad>>({});
  const history = ref<Record<number, LoadPoint[]>>({});

  function addPoint(siteId: number, point: LoadPoint): void {
    const points = [...(history.value[siteId] ?? []), point];
    history.value[siteId] = points.slice(-MAX_POINTS);
  }

  async function load(siteId: number): Promise<void> {
    const answer = await api.sites.load(siteId);
    byId.value[siteId] = answer;
    addPoint(siteId, { t: Date.now() / 1000, ...pick(answer) });
  }

  /** A `site_load_updated` event: a point, and the sessions read again for a site on screen. */
  function applyUpdated(payload: SiteLoadUpdatedPayload): void {
    if (!(payload.siteId in history.value)) return;
    addPoint(payload.siteId, { t: Date.parse(payload.timestamp) / 1000, ...pick(payload) });
    void load(payload.siteId).catch(() => undefined);
  }

  /** Stops keeping a site's points (its page closed). */
  function forget(siteId: number): void {
    delete history.value[siteId];
    delete byId.value[siteId];
  }

  return { byId, history, load, applyUpdated, forget };
});

function pick({ limitKw, allocatedKw, measuredKw }: SiteLoad | SiteLoadUpdatedPayload) {
  return { limitKw, allocatedKw, measuredKw };
}
