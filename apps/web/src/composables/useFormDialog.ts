import { reactive, ref, watch, type Ref, type UnwrapNestedRefs } from 'vue';
import { useFeedback } from './useFeedback';

/**
 * The state of a dialog holding a form: the form, filled again by `fill` each time the dialog
 * opens; `save` runs `submit`, says how it went and closes the dialog when it worked (unless
 * `keepOpen`, for a dialog that then shows the result).
 */
export function useFormDialog<F extends object, R>(
  open: Ref<boolean>,
  fill: () => F,
  submit: (form: UnwrapNestedRefs<F>) => Promise<R>,
  options: { success: (result: R) => string; keepOpen?: boolean },
) {
  const { attempt } = useFeedback();
  const form = reactive(fill());
  const saving = ref(false);

  watch(open, (opened) => {
    if (opened) Object.assign(form, fill());
  });

  async function save(): Promise<void> {
    const saved = await attempt(() => submit(form), { success: options.success, busy: saving });
    if (saved && !options.keepOpen) open.value = false;
  }

  return { form, saving, save };
}
