import { ref } from 'vue'
import { toAppError, type AppError } from '../lib/appError'

/**
 * One user action at a time (a button press that calls the server): `busy` while it runs, the
 * error in the user's language afterwards, or the key of the "done" message to announce.
 */
export function useActionRunner() {
  const busy = ref(false)
  const error = ref<AppError | null>(null)
  const doneKey = ref<string | null>(null)

  async function run(action: () => Promise<unknown>, doneMessageKey: string | null): Promise<boolean> {
    if (busy.value) return false
    busy.value = true
    error.value = null
    doneKey.value = null
    try {
      await action()
      doneKey.value = doneMessageKey
      return true
    } catch (e) {
      error.value = toAppError(e)
      return false
    } finally {
      busy.value = false
    }
  }

  return { busy, error, doneKey, run }
}
