import { createI18n } from 'vue-i18n';
import { en } from './en';
import { id, type Messages } from './id';

export const LOCALES = ['id', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

const STORAGE_KEY = 'cimorings.locale';

function storedLocale(): Locale {
  try {
    const value = globalThis.localStorage?.getItem(STORAGE_KEY);
    return value === 'en' ? 'en' : 'id';
  } catch {
    return 'id';
  }
}

/** Indonesian by default; the user's switch is remembered in this browser. */
export function createAppI18n(locale: Locale = storedLocale()) {
  return createI18n<[Messages], Locale, false>({
    legacy: false,
    locale,
    fallbackLocale: 'id',
    messages: { id, en },
    datetimeFormats: {
      id: {
        short: { hour: '2-digit', minute: '2-digit', second: '2-digit' },
        long: { dateStyle: 'medium', timeStyle: 'medium' },
      },
      en: {
        short: { hour: '2-digit', minute: '2-digit', second: '2-digit' },
        long: { dateStyle: 'medium', timeStyle: 'medium' },
      },
    },
  });
}

export function rememberLocale(locale: Locale): void {
  try {
    globalThis.localStorage?.setItem(STORAGE_KEY, locale);
  } catch {
    // Private mode: the choice lasts for this page only.
  }
  if (typeof document !== 'undefined') document.documentElement.lang = locale;
}
