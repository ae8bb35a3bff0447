import { computed, reactive, ref, watch, type Ref, type UnwrapNestedRefs } from 'vue';
import { useI18n } from 'vue-i18n';
import { useFeedback } from './useFeedback';

/**
 * The state of a dialog holding a form: the form, filled again by `fill` each time the dialog
 * opens; `save` runs `submit` when the form is `valid`, says how it went and closes the dialog
 * when it worked (unless `keepOpen`, for a dialog that then shows the result). `dialog` binds all
 * of it to a `FormDialog` (`v-bind="dialog"`): open, saving, can submit, submit.
 */
export function useFormDialog<F extends object, R>(
  open: Ref<boolean>,
  fill: () => F,
  submit: (form: UnwrapNestedRefs<F>) => Promise<R>,
  options: {
    /** The message shown when it worked; "Saved" by default. */
    success?: (result: R) => string;
    /** False while the form may not be sent (the submit button is disabled, Enter does nothing). */
    valid?: (form: UnwrapNestedRefs<F>) => boolean;
    keepOpen?: boolean;
  },
) {
  const { t } = useI18n();
  const { attempt } = useFeedback();
  const success = options.success ?? (() => t('common.saved'));
  const form = reactive(fill());
  const saving = ref(false);
  const canSubmit = computed(() => options.valid?.(form) ?? true);

  watch(open, (opened) => {
    if (opened) Object.assign(form, fill());
  });

  async function save(): Promise<void> {
    if (!canSubmit.value || saving.value) return;
    const saved = await attempt(() => submit(form), { success, busy: saving });
    if (saved && !options.keepOpen) open.value = false;
  }

  const dialog = computed(() => ({
    modelValue: open.value,
    'onUpdate:modelValue': (value: boolean) => (open.value = value),
    saving: saving.value,
    canSubmit: canSubmit.value,
    onSubmit: save,
  }));

  return { form, saving, save, dialog };
}
