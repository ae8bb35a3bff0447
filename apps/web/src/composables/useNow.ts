import { onUnmounted, ref, type Ref } from 'vue';

/**
 * The time now (epoch ms), moving on every `intervalMs` while the component lives: for what
 * changes with the clock alone, such as how long a running transaction has lasted.
 */
export function useNow(intervalMs = 1000): Ref<number> {
  const now = ref(Date.now());
  const timer = setInterval(() => (now.value = Date.now()), intervalMs);
  onUnmounted(() => clearInterval(timer));
  return now;
}
