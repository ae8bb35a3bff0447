import { computed, ref, type Ref } from 'vue';
import type { Page } from '../api';

/**
 * The part of a store that holds a server-paged list: the items by key (one copy, which live
 * events update; `byId` when the store shares it with other lists) and the keys of the page
 * shown, in the server's order, with its total.
 */
export function pagedCollection<T, K extends string | number>(
  keyOf: (item: T) => K,
  byId: Ref<Record<K, T>> = ref({}) as Ref<Record<K, T>>,
) {
  const ids = ref([]) as Ref<K[]>;
  const total = ref(0);
  const loading = ref(false);
  const list = computed(() => ids.value.map((id) => byId.value[id]).filter((item) => item !== undefined));

  /** Shows the page `fetch` answers. */
  async function loadPage(fetch: () => Promise<Page<T>>): Promise<void> {
    loading.value = true;
    try {
      const answer = await fetch();
      for (const item of answer.items) byId.value[keyOf(item)] = item;
      ids.value = answer.items.map(keyOf);
      total.value = answer.total;
    } finally {
      loading.value = false;
    }
  }

  /** Keeps `item`; one not on the page yet goes on top of it and counts in the total. */
  function put(item: T): void {
    const id = keyOf(item);
    byId.value[id] = item;
    if (!ids.value.includes(id)) {
      ids.value.unshift(id);
      total.value += 1;
    }
  }

  /** Forgets an item that was deleted. */
  function drop(id: K): void {
    delete byId.value[id];
    ids.value = ids.value.filter((other) => other !== id);
    total.value = Math.max(0, total.value - 1);
  }

  return { byId, total, loading, list, loadPage, put, drop };
}
