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

// A navigation that only renames the page the user is typing on (e.g. /proposer/proposals/new → its
// id once the draft exists) must not move focus to <main>.
let keepFocus = false

export function keepFocusOnNextNavigation(): void {
  keepFocus = true
}

export function takeKeepFocus(): boolean {
  const keep = keepFocus
  keepFocus = false
  return keep
}
