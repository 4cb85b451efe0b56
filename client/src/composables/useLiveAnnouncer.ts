import { nextTick, ref } from 'vue'

/** The text of the app's single polite live region (rendered once, in App.vue). */
export const liveMessage = ref('')

/** Announces a short message politely; repeating the same message is announced again. */
export function announce(message: string): void {
  liveMessage.value = ''
  void nextTick(() => {
    liveMessage.value = message
  })
}
