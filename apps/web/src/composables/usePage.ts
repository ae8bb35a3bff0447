import { useI18n } from 'vue-i18n';
import { useRoute, useRouter } from 'vue-router';
import { useAuthStore } from '../stores/auth';

/**
 * What nearly every view and component takes, in one call: the translation (`t`, and `locale`
 * for dates and numbers), the current route and the router, and the signed-in user (`auth`: who
 * it is and what they may do). Call it in `<script setup>`, like the composables it gathers.
 */
export function usePage() {
  const { t, locale } = useI18n();
  return { t, locale, route: useRoute(), router: useRouter(), auth: useAuthStore() };
}
