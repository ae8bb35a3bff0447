import { onMounted, onUnmounted } from 'vue';

/**
 * Runs `task` on mount and then every `intervalMs` while the component is mounted and the page
 * is visible. For data the real-time API has no event for (the OCPP message log).
 */
export function usePolling(task: () => Promise<void>, intervalMs: number): { refresh: () => Promise<void> } {
  let timer: ReturnType<typeof setTimeout> | null = null;
  let active = false;

  async function tick(): Promise<void> {
    if (!active) return;
    if (typeof document === 'undefined' || document.visibilityState !== 'hidden') {
      await task().catch(() => undefined);
    }
    if (active) timer = setTimeout(() => void tick(), intervalMs);
  }

  onMounted(() => {
    active = true;
    void tick();
  });
  onUnmounted(() => {
    active = false;
    if (timer) clearTimeout(timer);
  });

  return { refresh: () => task() };
}
