import { useI18n } from 'vue-i18n';
import { ApiError } from '../api';

/** The detail an error code's message shows: the refusal status, the OCPP error code, or the text. */
function detailOf(error: ApiError): string {
  const details = error.details ?? {};
  for (const key of ['status', 'ocppErrorCode']) {
    const value = details[key];
    if (typeof value === 'string') return value;
  }
  return error.message;
}

/** Turns any failure into a sentence in the current language, by the server's error code. */
export function useErrorText(): (error: unknown) => string {
  const { t, te } = useI18n();
  return (error: unknown) => {
    if (error instanceof ApiError) {
      const key = `errors.${error.code}`;
      const detail = detailOf(error);
      return te(key) ? t(key, { detail }) : t('errors.generic', { code: error.code, detail });
    }
    return error instanceof Error ? error.message : String(error);
  };
}
