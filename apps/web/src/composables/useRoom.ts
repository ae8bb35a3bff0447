import { onMounted, onUnmounted, toValue, watch, type MaybeRefOrGetter } from 'vue';
import { useRealtime } from '../realtime';

/**
 * Joins a real-time room while the calling component is mounted, as the customer's document
 * shows (join on mount, leave before unmount). A null room joins nothing; a changed room (another
 * station) leaves the old one and joins the new one.
 */
export function useRoom(room: MaybeRefOrGetter<string | null>): void {
  const realtime = useRealtime();
  let joined: string | null = null;
  let mounted = false;

  function join(next: string | null): void {
    if (joined === next) return;
    if (joined) void realtime?.leaveRoom(joined);
    joined = next;
    if (next) void realtime?.joinRoom(next);
  }

  onMounted(() => {
    mounted = true;
    join(toValue(room));
  });
  watch(
    () => toValue(room),
    (next) => {
      if (mounted) join(next);
    },
  );
  onUnmounted(() => {
    mounted = false;
    join(null);
  });
}
