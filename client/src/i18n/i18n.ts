import { createI18n } from 'vue-i18n'
import { en, ja, type Messages } from './messages'

export type AppLocale = 'ja' | 'en'

export const LOCALE_STORAGE_KEY = 'renkei.locale'

/** Japanese unless English was chosen before. */
export function initialLocale(stored: string | null | undefined): AppLocale {
  return stored === 'en' ? 'en' : 'ja'
}

function readStoredLocale(): string | null {
  try {
    return globalThis.localStorage?.getItem(LOCALE_STORAGE_KEY) ?? null
  } catch {
    return null
  }
}

export const i18n = createI18n<[Messages], AppLocale, false>({
  legacy: false,
  locale: initialLocale(readStoredLocale()),
  fallbackLocale: 'ja',
  messages: { ja, en },
})

/** Switches the language, remembers it, and keeps <html lang> in step. */
export function setLocale(locale: AppLocale): void {
  i18n.global.locale.value = locale
  try {
    globalThis.localStorage?.setItem(LOCALE_STORAGE_KEY, locale)
  } catch {
    // storage may be unavailable (private mode); the choice then lasts for this page only
  }
  if (typeof document !== 'undefined') document.documentElement.lang = locale
}
