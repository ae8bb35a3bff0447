import { onUnmounted, ref } from 'vue';

/** Narrower than this is a phone: the menu becomes a drawer and tables give way to cards. */
export const PHONE_MAX_WIDTH = 768;

/** True while the window is phone-sized; follows rotation and resizing. */
export function useIsPhone() {
  const query = globalThis.matchMedia?.(`(max-width: ${PHONE_MAX_WIDTH - 1}px)`);
  const isPhone = ref(query?.matches ?? false);
  const update = (event: MediaQueryListEvent) => (isPhone.value = event.matches);
  query?.addEventListener('change', update);
  onUnmounted(() => query?.removeEventListener('change', update));
  return isPhone;
}
