import { ref } from 'vue'

// A one-shot message carried across one navigation (e.g. "saved" after creating, then opening the edit page).
const pending = ref<string | null>(null)

export function setFlash(messageKey: string): void {
  pending.value = messageKey
}

export function takeFlash(): string | null {
  const key = pending.value
  pending.value = null
  return key
}
