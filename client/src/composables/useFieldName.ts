import { useI18n } from 'vue-i18n'

interface NamedField {
  nameJa: string
  nameEn: string
}

/** A challenge field's (分野) name in the current language. */
export function useFieldName() {
  const { locale } = useI18n()
  return (field: NamedField): string => (locale.value === 'en' ? field.nameEn : field.nameJa)
}
