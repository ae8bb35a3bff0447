import { ref, watch, type WatchSource } from 'vue';
import type { Paging } from '../api';
import { onReconnected } from './onReconnected';
import { useFeedback } from './useFeedback';

/** How long typing in a search field waits before the list is asked again, ms. */
export const SEARCH_DELAY_MS = 300;

/**
 * A list the server answers a page at a time: the page number, loading it (a failure shows as a
 * message) when the page changes and after a reconnection, and page one again when a filter
 * changes (`restart`; `search` waits until typing pauses).
 */
export function usePagedList(
  pageSize: number,
  load: (paging: Required<Paging>) => Promise<void>,
  options: {
    /** Load again after a reconnection (lists that real-time events keep current). Default true. */
    reloadOnReconnect?: boolean;
  } = {},
) {
  const { attempt } = useFeedback();
  const page = ref(1);

  function reload(): Promise<boolean> {
    return attempt(() => load({ limit: pageSize, offset: (page.value - 1) * pageSize }));
  }

  /** The filters changed: back to page one, which loads it (or load now when already there). */
  function restart(): void {
    if (page.value === 1) void reload();
    else page.value = 1;
  }

  /** Restarts once `source` (a search field) stopped changing for a moment. */
  function restartAfterTyping(source: WatchSource): void {
    let timer: ReturnType<typeof setTimeout> | null = null;
    watch(source, () => {
      if (timer) clearTimeout(timer);
      timer = setTimeout(restart, SEARCH_DELAY_MS);
    });
  }

  watch(page, () => void reload());
  if (options.reloadOnReconnect ?? true) onReconnected(() => void reload());

  return { page, pageSize, reload, restart, restartAfterTyping };
}
