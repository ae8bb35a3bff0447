import { ref } from 'vue';
import { useErrorText } from './useErrorText';

/**
 * Loads what a page shows and keeps why it failed, in words (`failure`, null while it is fine),
 * for the page to show in place of its content.
 */
export function useLoad(task: () => Promise<unknown>) {
  const errorText = useErrorText();
  const failure = ref<string | null>(null);

  /** Runs the task again; resolves true when it worked. */
  async function load(): Promise<boolean> {
    failure.value = null;
    try {
      await task();
      return true;
    } catch (error) {
      failure.value = errorText(error);
      return false;
    }
  }

  return { failure, load };
}
