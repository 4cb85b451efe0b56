import { useApolloClient, useMutation } from '@vue/apollo-composable'
import { useRouter } from 'vue-router'
import { restartWebSocket } from '../apollo/wsClient'
import { LoginDocument, LogoutDocument, type LoginMutation } from '../gql/graphql'

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

  async function login(email: string, password: string): Promise<SignedInAccount> {
    const result = await loginMutation({ email, password })
    const account = result?.data?.login
    if (!account) throw new Error('login returned no account')
    restartWebSocket()
    // Clears the cache and refetches the active queries (the header's `me` among them) as the new viewer.
    await resolveClient().resetStore()
    return account
  }

  async function logout(): Promise<void> {
    try {
      await logoutMutation()
    } finally {
      restartWebSocket()
      await router.push({ name: 'board' })
      await resolveClient().resetStore()
    }
  }

  return { login, logout, loggingIn, loggingOut }
}
