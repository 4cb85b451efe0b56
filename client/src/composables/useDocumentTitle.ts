import { watchEffect } from 'vue'
import { useI18n } from 'vue-i18n'

/** Keeps document.title as "<page> | <site name>" in the current language. */
export function useDocumentTitle(pageTitle: () => string | null | undefined): void {
  const { t } = useI18n()
  watchEffect(() => {
    const page = pageTitle()
    const site = t('app.siteName')
    document.title = page ? `${page} | ${site}` : site
  })
}
