import { useMutation, useQuery } from '@vue/apollo-composable'
import { computed, ref } from 'vue'
import { useI18n } from 'vue-i18n'
import { MarkAllNotificationsReadDocument, MarkNotificationsReadDocument, NotificationEventsDocument, NotificationsDocument, type NotificationDetailsFragment } from '../gql/graphql'
import { appErrorOrNull, toAppError, type AppError } from '../lib/appError'
import { markedRead, notificationWording, prependNotification } from '../lib/notifications'
import { useEventStream } from './useEventStream'
import { announce } from './useLiveAnnouncer'

const PAGE_SIZE = 20

/**
 * The signed-in person's notifications (the bell): the newest page, more on request, kept current
 * by `notificationEvents` — resumed after the last cursor seen when the websocket comes back — and
 * marked read optimistically. New ones are announced politely.
 */
export function useNotifications() {
  const { t } = useI18n()
  const { result, error, refetch, updateQuery, fetchMore } = useQuery(NotificationsDocument, { first: PAGE_SIZE }, { fetchPolicy: 'cache-and-network', nextFetchPolicy: 'cache-first' })
  const actionError = ref<AppError | null>(null)

  function describe(notification: NotificationDetailsFragment): string {
    const wording = notificationWording(notification, t('notification.someone'))
    const params = { ...wording.params }
    if (params.state) params.state = t(`proposal.state.${params.state}`)
    return t(wording.key, params)
  }

  useEventStream(
    NotificationEventsDocument,
    (data) => data.notificationEvents,
    (event) => {
      if (event.kind === 'READ') {
        // Read in another tab: the list's read marks are re-read, the count is the server's.
        void refetch()
        return
      }
      const notification = event.notification
      updateQuery((prev) => {
        if (!prev?.notifications) return prev
        const edges = notification ? prependNotification(prev.notifications.edges, { __typename: 'NotificationEdge' as const, cursor: '', node: notification }) : prev.notifications.edges
        return { ...prev, notifications: { ...prev.notifications, edges, unreadCount: event.unreadCount } }
      })
      if (notification) announce(t('notification.live', { text: describe(notification) }))
    },
    { startCursor: () => result.value?.notifications.eventCursor, onResumeWithoutCursor: () => void refetch() },
  )

  const notifications = computed(() => result.value?.notifications.edges.map((edge) => edge.node) ?? [])
  const unreadCount = computed(() => result.value?.notifications.unreadCount ?? 0)
  const hasMore = computed(() => result.value?.notifications.pageInfo.hasNextPage ?? false)
  const appError = computed(() => actionError.value ?? appErrorOrNull(error.value))

  const { mutate: markSome } = useMutation(MarkNotificationsReadDocument, { throws: 'always' })
  const { mutate: markAll } = useMutation(MarkAllNotificationsReadDocument, { throws: 'always' })

  function applyRead(ids: string[] | null, unread: number | null): void {
    const at = new Date().toISOString()
    updateQuery((prev) => {
      if (!prev?.notifications) return prev
      const marking = ids ?? prev.notifications.edges.map((edge) => edge.node.id)
      const nodes = markedRead(
        prev.notifications.edges.map((edge) => edge.node),
        marking,
        at,
      )
      const edges = prev.notifications.edges.map((edge, index) => ({ ...edge, node: nodes[index]! }))
      const newlyRead = prev.notifications.edges.filter((edge) => edge.node.readAt == null && marking.includes(edge.node.id)).length
      return { ...prev, notifications: { ...prev.notifications, edges, unreadCount: unread ?? Math.max(0, prev.notifications.unreadCount - newlyRead) } }
    })
  }

  async function markRead(ids: string[]): Promise<void> {
    if (ids.length === 0) return
    actionError.value = null
    applyRead(ids, null)
    try {
      const answer = await markSome({ ids })
      if (answer?.data) applyRead([], answer.data.markNotificationsRead)
    } catch (e) {
      actionError.value = toAppError(e)
    }
  }

  async function markAllRead(): Promise<void> {
    actionError.value = null
    applyRead(null, 0)
    try {
      await markAll()
    } catch (e) {
      actionError.value = toAppError(e)
    }
  }

  const loadingMore = ref(false)
  async function showMore(): Promise<void> {
    const after = result.value?.notifications.pageInfo.endCursor
    if (!after || loadingMore.value) return
    loadingMore.value = true
    try {
      await fetchMore({
        variables: { first: PAGE_SIZE, after },
        updateQuery: (prev, { fetchMoreResult }) => {
          if (!fetchMoreResult) return prev
          const known = new Set(prev.notifications.edges.map((edge) => edge.node.id))
          return {
            ...prev,
            notifications: {
              ...prev.notifications,
              pageInfo: fetchMoreResult.notifications.pageInfo,
              edges: [...prev.notifications.edges, ...fetchMoreResult.notifications.edges.filter((edge) => !known.has(edge.node.id))],
            },
          }
        },
      })
    } finally {
      loadingMore.value = false
    }
  }

  return { notifications, unreadCount, hasMore, loadingMore, showMore, markRead, markAllRead, describe, appError }
}
