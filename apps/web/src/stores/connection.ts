import { defineStore } from 'pinia';
import { computed, ref } from 'vue';

/**
 * The state of the real-time connection: `offline` before login, `connecting` for the first
 * attempt, `online`, and `reconnecting` after it was lost (the client retries on its own).
 */
export type ConnectionState = 'offline' | 'connecting' | 'online' | 'reconnecting';

export const useConnectionStore = defineStore('connection', () => {
  const state = ref<ConnectionState>('offline');
  /** Epoch ms of the last change. */
  const since = ref(Date.now());
  /** How many times the connection came back, so views can reload what they show. */
  const reconnects = ref(0);

  const lost = computed(() => state.value === 'reconnecting');

  function set(next: ConnectionState): void {
    if (next === state.value) return;
    if (next === 'online' && state.value === 'reconnecting') reconnects.value += 1;
    state.value = next;
    since.value = Date.now();
  }

  return { state, since, reconnects, lost, set };
});
