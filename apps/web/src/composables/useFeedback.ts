import type { Ref } from 'vue';
import { ElMessage, ElMessageBox } from 'element-plus';
import { useI18n } from 'vue-i18n';
import { useErrorText } from './useErrorText';

/** How a step the user asked for is reported; see `attempt`. */
export interface AttemptOptions<T> {
  /**
   * The message shown when it worked; nothing is shown without one. `{ warning }` when the step
   * ran but was refused (a station answering Rejected, rows the server skipped).
   */
  success?: (result: T) => string | { warning: string };
  /** The message shown when it failed; the error in words by default. */
  failure?: (error: unknown) => string;
  /** True while the step runs (a button's loading state). */
  busy?: Ref<boolean>;
  /** A question asked first (see `confirm`): the step runs only when the user confirms it. */
  confirm?: string | ConfirmQuestion;
}

/** A confirmation with its own button texts ("Delete" and "Cancel" by default). */
export interface ConfirmQuestion {
  message: string;
  confirmButtonText?: string;
  cancelButtonText?: string;
}

/**
 * The one way a page reports what the user asked for: a success or error message, a
 * confirmation before a step that deletes or cancels something, a question for one value.
 */
export function useFeedback() {
  const { t } = useI18n();
  const errorText = useErrorText();

  /** Runs `task` (once confirmed, given a question) and says how it went; true when it worked. */
  async function attempt<T>(task: () => Promise<T>, options: AttemptOptions<T> = {}): Promise<boolean> {
    const question = typeof options.confirm === 'string' ? { message: options.confirm } : options.confirm;
    if (question && !(await confirm(question.message, question.confirmButtonText, question.cancelButtonText)))
      return false;
    if (options.busy) options.busy.value = true;
    try {
      const result = await task();
      const said = options.success?.(result);
      if (typeof said === 'string') ElMessage.success(said);
      else if (said) ElMessage.warning(said.warning);
      return true;
    } catch (error) {
      ElMessage.error(options.failure ? options.failure(error) : errorText(error));
      return false;
    } finally {
      if (options.busy) options.busy.value = false;
    }
  }

  /** Asks before a step that deletes or cancels; resolves true when the user confirmed. */
  async function confirm(
    message: string,
    confirmButtonText = t('common.delete'),
    cancelButtonText = t('common.cancel'),
  ): Promise<boolean> {
    try {
      await ElMessageBox.confirm(message, t('common.confirm'), {
        type: 'warning',
        confirmButtonText,
        cancelButtonText,
      });
      return true;
    } catch {
      return false;
    }
  }

  /**
   * Asks for a value (`inputValue` to start from, `inputPattern` it must match); resolves what
   * the user typed, or null when they cancelled.
   */
  async function ask(
    message: string,
    title: string,
    options: { confirmButtonText: string; inputValue?: string; inputPattern?: RegExp },
  ): Promise<string | null> {
    try {
      const answer = await ElMessageBox.prompt(message, title, {
        ...options,
        cancelButtonText: t('common.cancel'),
      });
      return (answer as { value: string }).value;
    } catch {
      return null;
    }
  }

  return { attempt, confirm, ask, errorText };
}
