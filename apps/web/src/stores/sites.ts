import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { ApiError, useApi, type NewSite, type Site, type SiteChanges } from '../api';

/**
 * Sites (groups of stations with an address and coordinates). `available` is false while the
 * server has no sites API (it answers 404), so that the map and site filters stay hidden.
 */
export const useSitesStore = defineStore('sites', () => {
  const api = useApi();
  const byId = ref<Record<number, Site>>({});
  const available = ref(false);
  const loaded = ref(false);

  const list = computed(() => Object.values(byId.value).sort((a, b) => a.name.localeCompare(b.name)));
  /** The sites as the options of a select, by name. */
  const options = computed(() => list.value.map((site) => ({ value: site.id, label: site.name })));

  async function load(): Promise<void> {
    try {
      const answer = await api.sites.list();
      byId.value = Object.fromEntries(answer.items.map((site) => [site.id, site]));
      available.value = true;
    } catch (error) {
      if (!(error instanceof ApiError) || (error.status !== 404 && error.status !== 403)) throw error;
      available.value = false;
    } finally {
      loaded.value = true;
    }
  }

  async function create(site: NewSite): Promise<Site> {
    const created = await api.sites.create(site);
    byId.value[created.id] = created;
    return created;
  }

  /** Reads one site (its limit fields) into the store. */
  async function fetch(siteId: number): Promise<Site> {
    const site = await api.sites.get(siteId);
    byId.value[site.id] = site;
    return site;
  }

  async function update(siteId: number, changes: SiteChanges): Promise<Site> {
    const updated = await api.sites.update(siteId, changes);
    byId.value[updated.id] = updated;
    return updated;
  }

  return { byId, list, options, available, loaded, load, create, fetch, update };
});
