import { useApolloClient, useMutation } from '@vue/apollo-composable'
import { useRouter } from 'vue-router'
import { expectSessionEnd, restartWebSocket } from '../apollo/wsClient'
import { LoginDocument, LogoutDocument, MeDocument, SignOutEverywhereDocument, type LoginMutation } from '../gql/graphql'
import { DRAFT_OWNER_KEY, clearLocalDrafts } from '../lib/autosave'

/**
 * Typing kept in this browser must not pass to the next person: cleared at sign-out, and at sign-in
 * unless it is the same person's (e.g. after their session expired mid-typing).
 */
function clearDrafts(unlessOwner: string | null = null): void {
  try {
    const storage = globalThis.localStorage
    if (unlessOwner !== null && storage?.getItem(DRAFT_OWNER_KEY) === unlessOwner) return
    clearLocalDrafts(storage)
  } catch {
    // storage unavailable: nothing was kept either
  }
}

export type SignedInAccount = LoginMutation['login']

/**
 * Login and logout. Both change the session cookie, so both restart the websocket (to carry the
 * new cookie) and reset the cache (everything cached was read as the previous viewer).
 */
export function useSession() {
  const { resolveClient } = useApolloClient()
  const router = useRouter()
  const { mutate: loginMutation, loading: loggingIn } = useMutation(LoginDocument, { throws: 'always' })
  const { mutate: logoutMutation, loading: loggingOut } = useMutation(LogoutDocument, { throws: 'always' })
  const { mutate: signOutEverywhereMutation } = useMutation(SignOutEverywhereDocument, { throws: 'always' })

  async function login(email: string, password: string): Promise<SignedInAccount> {
    const result = await loginMutation({ email, password })
    const account = result?.data?.login
    if (!account) throw new Error('login returned no account')
    await signedIn(account.id)
    return account
  }

  /** After anything that set a new session cookie (login, registering, accepting an invitation). */
  async function signedIn(accountId: string): Promise<void> {
    clearDrafts(accountId)
    expectSessionEnd(false)
    restartWebSocket()
    // Clears the cache and refetches the active queries (the header's `me` among them) as the new viewer.
    await resolveClient().resetStore()
  }

  /** Ends the session with `end` (which clears the cookie), then shows `to` as the public. */
  async function signOut(end: () => Promise<unknown>, to: Parameters<typeof router.push>[0]): Promise<void> {
    expectSessionEnd()
    try {
      await end()
    } finally {
      clearDrafts()
      restartWebSocket()
      await router.push(to)
      await resolveClient().resetStore()
    }
  }

  async function logout(): Promise<void> {
    await signOut(() => logoutMutation(), { name: 'board' })
  }

  /** Every session of the person ends, this one too. */
  async function signOutEverywhere(): Promise<void> {
    await signOut(() => signOutEverywhereMutation(), { name: 'login', query: { signedOut: 'everywhere' } })
  }

  /**
   * The server ended this browser's session (it closed the live connection): sign out here too —
   * the logout clears the dead cookie — and, if the page showed the person signed in, ask them to
   * sign in again, coming back to this page.
   */
  async function sessionEnded(): Promise<void> {
    // A visitor whose old cookie outlived its session (and who never looked signed in here) just loses the cookie.
    if (!resolveClient().readQuery({ query: MeDocument })?.me) {
      await logoutMutation().catch(() => undefined)
      restartWebSocket()
      return
    }
    const here = router.currentRoute.value
    const redirect = here.name === 'login' ? undefined : here.fullPath
    await signOut(() => logoutMutation().catch(() => undefined), { name: 'login', query: { ended: '1', ...(redirect ? { redirect } : {}) } })
  }

  return { login, logout, signOutEverywhere, sessionEnded, signedIn, loggingIn, loggingOut }
}
