import { computed } from 'vue';
import { useI18n } from 'vue-i18n';

/**
 * A fixed list of values (statuses, profiles) as the options of a select, each labelled in the
 * user's language by the message `key` names; the labels follow a change of language.
 */
export function useTranslatedOptions<V extends string | number>(
  values: readonly V[],
  key: (value: V) => string,
) {
  const { t } = useI18n();
  return computed(() => values.map((value) => ({ value, label: t(key(value)) })));
}
