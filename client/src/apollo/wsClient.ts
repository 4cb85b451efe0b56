import { createClient } from 'graphql-ws'
import { ref } from 'vue'

export type ConnectionState = 'connecting' | 'connected' | 'disconnected'

/** Driven only by the graphql-ws client's own events: connecting, connected, closed. */
export const connectionState = ref<ConnectionState>('connecting')

/** Incremented each time the socket is acknowledged again after a drop or a restart. */
export const reconnectCount = ref(0)

function graphqlWsUrl(): string {
  const { protocol, host } = window.location
  return `${protocol === 'https:' ? 'wss' : 'ws'}://${host}/graphql`
}

// Close code for "the client asked to reconnect" (e.g. after login/logout); graphql-ws retries it.
const RESTART_CLOSE_CODE = 4205

/** The server closes a socket with this code when its session ended (logout elsewhere, a password change, the account disabled, a timeout). */
export const SESSION_ENDED_CLOSE_CODE = 4403

/**
 * Incremented each time the server ends this browser's session under it, unless this browser
 * ended it itself (expectSessionEnd): App.vue then signs the person out here too.
 */
export const sessionEndedCount = ref(0)
let sessionEndExpected = false

/** This browser is ending its own session (logout, signing out everywhere): its socket's close is no news. */
export function expectSessionEnd(expected = true): void {
  sessionEndExpected = expected
}

let restartRequested = false
let restart: () => void = () => {
  restartRequested = true
}

export const wsClient = createClient({
  url: graphqlWsUrl,
  // Connect at once and stay connected, so the header's indicator means something on every page.
  lazy: false,
  keepAlive: 15_000,
  retryAttempts: Number.POSITIVE_INFINITY,
  shouldRetry: () => true,
  retryWait: (retries) =>
    new Promise((resolve) => setTimeout(resolve, Math.min(500 * 2 ** retries, 10_000) + Math.random() * 300)),
  on: {
    connecting: () => {
      connectionState.value = 'connecting'
    },
    opened: (socket) => {
      const ws = socket as WebSocket
      restart = () => {
        if (ws.readyState === WebSocket.OPEN) ws.close(RESTART_CLOSE_CODE, 'Client Restart')
        else restartRequested = true
      }
      if (restartRequested) {
        restartRequested = false
        restart()
      }
    },
    connected: (_socket, _payload, wasRetry) => {
      connectionState.value = 'connected'
      if (wasRetry) reconnectCount.value += 1
    },
    closed: (event) => {
      connectionState.value = 'disconnected'
      if ((event as CloseEvent | undefined)?.code === SESSION_ENDED_CLOSE_CODE && !sessionEndExpected) {
        sessionEndExpected = true
        sessionEndedCount.value += 1
      }
    },
  },
})

/**
 * Reconnects the websocket so the server sees the current session cookie (call after login and
 * logout). Active subscriptions are re-sent on the new socket by graphql-ws itself.
 */
export function restartWebSocket(): void {
  restart()
}
