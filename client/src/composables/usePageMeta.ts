import { watchEffect } from 'vue'
import { useI18n } from 'vue-i18n'

export interface PageMeta {
  /** The page's own title; the site name is added. Null: the site name alone. */
  title: string | null
  description: string
}

function setMeta(attribute: 'name' | 'property', key: string, content: string): void {
  let tag = document.head.querySelector<HTMLMetaElement>(`meta[${attribute}="${key}"]`)
  if (!tag) {
    tag = document.createElement('meta')
    tag.setAttribute(attribute, key)
    document.head.appendChild(tag)
  }
  tag.content = content
}

function setCanonical(href: string): void {
  let link = document.head.querySelector<HTMLLinkElement>('link[rel="canonical"]')
  if (!link) {
    link = document.createElement('link')
    link.rel = 'canonical'
    document.head.appendChild(link)
  }
  link.href = href
}

/**
 * A public page's title, description and share tags, kept up to date on client navigation and a
 * language switch (the server writes the same tags into the first HTML for crawlers).
 */
export function usePageMeta(meta: () => PageMeta | null): void {
  const { t, locale } = useI18n()
  watchEffect(() => {
    const current = meta()
    if (!current) return
    const site = t('app.siteName')
    const title = current.title ? `${current.title} | ${site}` : site
    const url = `${window.location.origin}${window.location.pathname}`
    document.title = title
    setMeta('name', 'description', current.description)
    setMeta('property', 'og:title', title)
    setMeta('property', 'og:description', current.description)
    setMeta('property', 'og:url', url)
    setMeta('property', 'og:site_name', site)
    setMeta('property', 'og:locale', locale.value === 'en' ? 'en_US' : 'ja_JP')
    setMeta('name', 'twitter:card', 'summary')
    setMeta('name', 'twitter:title', title)
    setMeta('name', 'twitter:description', current.description)
    setCanonical(url)
  })
}
