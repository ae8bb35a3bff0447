import { watch } from 'vue';
import { useConnectionStore } from '../stores/connection';

/**
 * Runs `reload` each time the real-time connection comes back: events were missed while it was
 * down, so what the component shows may be stale. Call it in `<script setup>` (it stops with the
 * component).
 */
export function onReconnected(reload: () => void): void {
  const connection = useConnectionStore();
  watch(
    () => connection.reconnects,
    () => reload(),
  );
}
