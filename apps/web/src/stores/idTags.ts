import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import {
  useApi,
  type IdTag,
  type IdTagFields,
  type IdTagStatus,
  type ImportReport,
  type Paging,
} from '../api';

/** The statuses an operator gives a tag. */
export const ID_TAG_STATUSES: readonly IdTagStatus[] = ['Accepted', 'Blocked', 'Expired'];

/** Id tags by tag; the page keeps the tags it shows. */
export const useIdTagsStore = defineStore('idTags', () => {
  const api = useApi();
  const byId = ref<Record<string, IdTag>>({});
  const ids = ref<string[]>([]);
  const total = ref(0);
  const loading = ref(false);

  const list = computed(() =>
    ids.value.map((id) => byId.value[id]).filter((t): t is IdTag => t !== undefined),
  );

  async function load(query: { search?: string } & Paging = {}): Promise<void> {
    loading.value = true;
    try {
      const answer = await api.idTags.list(query);
      for (const tag of answer.items) byId.value[tag.idTag] = tag;
      ids.value = answer.items.map((tag) => tag.idTag);
      total.value = answer.total;
    } finally {
      loading.value = false;
    }
  }

  async function save(idTag: string, fields: IdTagFields, isNew: boolean): Promise<void> {
    const saved = isNew ? await api.idTags.create(idTag, fields) : await api.idTags.update(idTag, fields);
    byId.value[saved.idTag] = saved;
    if (!ids.value.includes(saved.idTag)) {
      ids.value.unshift(saved.idTag);
      total.value += 1;
    }
  }

  async function remove(idTag: string): Promise<void> {
    await api.idTags.remove(idTag);
    delete byId.value[idTag];
    ids.value = ids.value.filter((id) => id !== idTag);
    total.value = Math.max(0, total.value - 1);
  }

  async function importCsv(csv: string): Promise<ImportReport> {
    return api.idTags.importCsv(csv);
  }

  return { byId, list, total, loading, load, save, remove, importCsv };
});
