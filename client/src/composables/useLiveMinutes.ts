import { computed, onBeforeUnmount, ref, shallowRef, watch } from 'vue'
import { print } from 'graphql'
import * as Y from 'yjs'
import { apolloClient } from '../apollo/apolloClient'
import { connectionState, reconnectCount, wsClient } from '../apollo/wsClient'
import {
  EditMinutesDocument,
  MeetingMinutesDocument,
  MinutesEventsDocument,
  type MinutesEventsSubscription,
  type MinutesPresentDetailsFragment,
} from '../gql/graphql'
import { toAppError, type AppError } from '../lib/appError'
import {
  base64ToBytes,
  bindMinutesTextarea,
  bytesToBase64,
  hasEditsServerLacks,
  LOCAL_ORIGIN,
  MINUTES_TEXT,
  REMOTE_ORIGIN,
  type MinutesTextareaBinding,
} from '../lib/minutesBinding'
import { classifyMinutesError } from '../lib/minutesBindingErrors'
import { MinutesOutbox, type OutboxStatus, type SendOutcome } from '../lib/minutesBindingOutbox'

/**
 * loading; saved / saving / unsent (typed but not yet accepted by the server: offline or failing,
 * retried); offline (nothing waiting, not connected); ended (access ended: the editor is blanked);
 * closed (the meeting was cancelled: read only).
 */
export type MinutesStatus = 'loading' | 'saved' | 'saving' | 'unsent' | 'offline' | 'ended' | 'closed'

/** Something the person should know about their last change. */
export type MinutesNotice = 'tooLong' | 'notSaved' | 'closedNotSaved' | null

const STREAM_RETRY_MS = 5_000

/**
 * The live minutes of a meeting in this tab: loads the merged document, follows everyone's edits
 * and who is here over the websocket, and sends this person's typing in batches until the server
 * has it. After a reconnect it re-reads the server's state and sends whatever the server lacks
 * (the state-vector difference), so nothing typed offline is lost. When access ends (a match
 * declined, signed out, …) the editor is emptied and says so.
 */
export function useLiveMinutes(meetingId: () => string, options: { closed?: () => boolean } = {}) {
  const outboxStatus = ref<OutboxStatus>('saved')
  const phase = ref<'loading' | 'live' | 'ended' | 'closed'>('loading')
  const present = ref<MinutesPresentDetailsFragment[]>([])
  const loadError = shallowRef<AppError | null>(null)
  const notice = ref<MinutesNotice>(null)

  let doc = new Y.Doc()
  let area: HTMLTextAreaElement | null = null
  let binding: MinutesTextareaBinding | null = null
  let stopStream: (() => void) | null = null
  let retryTimer: ReturnType<typeof setTimeout> | undefined
  let syncing: Promise<void> | null = null
  let disposed = false
  /** Whether a refused edit was already answered by sending the whole state-vector difference. */
  let resent = false

  const outbox = new MinutesOutbox({ send, onStatus: (status) => (outboxStatus.value = status) })

  function newDocument(): void {
    binding?.destroy()
    doc.destroy()
    doc = new Y.Doc()
    doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin === LOCAL_ORIGIN) outbox.add(update)
    })
    if (area) binding = bindMinutesTextarea(doc.getText(MINUTES_TEXT), area)
  }
  newDocument()

  /** Reads the server's state, applies it, sends what the server lacks, and (re)subscribes after its cursor. */
  function sync(): Promise<void> {
    syncing ??= (async () => {
      try {
        const { data } = await apolloClient.query({ query: MeetingMinutesDocument, variables: { meetingId: meetingId() }, fetchPolicy: 'no-cache' })
        if (disposed || phase.value === 'ended') return
        const server = base64ToBytes(data.meetingMinutes.state)
        Y.applyUpdate(doc, server, REMOTE_ORIGIN)
        if (outbox.pending.length > 0 || hasEditsServerLacks(doc, server)) {
          outbox.replaceWith(Y.encodeStateAsUpdate(doc, Y.encodeStateVectorFromUpdate(server)))
        }
        loadError.value = null
        if (phase.value === 'loading') phase.value = options.closed?.() ? 'closed' : 'live'
        subscribe(data.meetingMinutes.cursor)
        if (phase.value === 'live') outbox.resume()
      } catch (error) {
        const appError = toAppError(error)
        if (isAccessEnded(appError)) return endAccess()
        if (phase.value === 'loading') loadError.value = appError
        scheduleResync()
      } finally {
        syncing = null
      }
    })()
    return syncing
  }

  function scheduleResync(): void {
    clearTimeout(retryTimer)
    retryTimer = setTimeout(() => void sync(), STREAM_RETRY_MS)
  }

  function subscribe(after: string): void {
    stopStream?.()
    stopStream = wsClient.subscribe<MinutesEventsSubscription>(
      { query: print(MinutesEventsDocument), variables: { meetingId: meetingId(), after } },
      {
        next: (result) => {
          if (result.errors?.length) return onStreamError(result.errors)
          const event = result.data?.minutesEvents
          if (!event) return
          if (event.kind === 'EDITED' && event.update) Y.applyUpdate(doc, base64ToBytes(event.update), REMOTE_ORIGIN)
          if (event.kind === 'PRESENCE') present.value = event.present ?? []
        },
        error: (error) => onStreamError(error),
        complete: () => undefined,
      },
    )
  }

  function onStreamError(error: unknown): void {
    stopStream?.()
    stopStream = null
    if (isAccessEnded(toAppError(error))) return endAccess()
    scheduleResync()
  }

  function isAccessEnded(error: AppError): boolean {
    return classifyMinutesError(error) === 'accessEnded'
  }

  /** Access ended: nothing of the minutes stays on screen, nothing more is sent. */
  function endAccess(): void {
    phase.value = 'ended'
    clearTimeout(retryTimer)
    stopStream?.()
    stopStream = null
    outbox.clear()
    outbox.destroy()
    present.value = []
    newDocument()
    if (area) area.value = ''
  }

  async function send(update: Uint8Array): Promise<SendOutcome> {
    try {
      await apolloClient.mutate({ mutation: EditMinutesDocument, variables: { meetingId: meetingId(), update: bytesToBase64(update) }, fetchPolicy: 'no-cache' })
      notice.value = null
      resent = false
      return 'sent'
    } catch (error) {
      const failure = classifyMinutesError(toAppError(error))
      if (failure === 'retry') return 'retry'
      if (failure === 'accessEnded') {
        endAccess()
      } else if (failure === 'closed') {
        // The meeting was cancelled: its minutes are closed; the unsent change is reported.
        phase.value = 'closed'
        notice.value = 'closedNotSaved'
      } else if (failure === 'refused' && !resent) {
        // Most likely the edit builds on one the server never got: send everything it lacks.
        resent = true
        queueMicrotask(() => void sync())
      } else {
        notice.value = failure === 'tooLong' ? 'tooLong' : 'notSaved'
        // What the server refused cannot stay in this document (every later difference would
        // carry it): start again from the server's state.
        resetFromServer()
      }
      return 'drop'
    }
  }

  function resetFromServer(): void {
    queueMicrotask(() => {
      outbox.clear()
      newDocument()
      void sync()
    })
  }

  /** Connects the editor's textarea (call once it is mounted). */
  function attach(element: HTMLTextAreaElement): void {
    area = element
    binding?.destroy()
    binding = bindMinutesTextarea(doc.getText(MINUTES_TEXT), element)
  }

  const input = () => binding?.input()
  const compositionStart = () => binding?.compositionStart()
  const compositionEnd = () => binding?.compositionEnd()

  // After the websocket comes back: re-read, send what the server lacks, resume after the new cursor.
  watch(reconnectCount, () => {
    if (phase.value === 'live' || phase.value === 'closed') void sync()
  })
  watch(
    () => options.closed?.() ?? false,
    (closed) => {
      if (closed && phase.value === 'live') phase.value = 'closed'
    },
  )

  // Leaving the page with changes the server does not have yet: the browser asks first.
  function beforeUnload(event: BeforeUnloadEvent): void {
    if (outbox.pending.length === 0) return
    event.preventDefault()
  }
  window.addEventListener('beforeunload', beforeUnload)

  onBeforeUnmount(() => {
    disposed = true
    window.removeEventListener('beforeunload', beforeUnload)
    clearTimeout(retryTimer)
    stopStream?.()
    binding?.destroy()
    // The tab stays open: what waits is still sent, then the document is let go.
    void outbox.flush().finally(() => {
      outbox.destroy()
      doc.destroy()
    })
  })

  void sync()

  const status = computed<MinutesStatus>(() => {
    if (phase.value !== 'live') return phase.value
    if (outboxStatus.value !== 'saved') return outboxStatus.value
    return connectionState.value === 'disconnected' ? 'offline' : 'saved'
  })
  const readonly = computed(() => phase.value !== 'live')

  return { status, readonly, present, loadError, notice, attach, input, compositionStart, compositionEnd }
}
