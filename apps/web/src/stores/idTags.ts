import { defineStore } from 'pinia';
import { useApi, type IdTag, type IdTagFields, type ImportReport, type Paging } from '../api';
import { pagedCollection } from './pagedCollection';

export { ID_TAG_STATUSES } from '@cimorings/contracts';

/** Id tags by tag; the page keeps the tags it shows. */
export const useIdTagsStore = defineStore('idTags', () => {
  const api = useApi();
  const { byId, total, loading, list, loadPage, put, drop } = pagedCollection((tag: IdTag) => tag.idTag);

  async function load(query: { search?: string } & Paging = {}): Promise<void> {
    await loadPage(() => api.idTags.list(query));
  }

  async function save(idTag: string, fields: IdTagFields, isNew: boolean): Promise<void> {
    put(isNew ? await api.idTags.create(idTag, fields) : await api.idTags.update(idTag, fields));
  }

  async function remove(idTag: string): Promise<void> {
    await api.idTags.remove(idTag);
    drop(idTag);
  }

  async function importCsv(csv: string): Promise<ImportReport> {
    return api.idTags.importCsv(csv);
  }

  return { byId, list, total, loading, load, save, remove, importCsv };
});
