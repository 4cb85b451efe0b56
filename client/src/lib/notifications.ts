import type { NotificationDetailsFragment, NotificationKind } from '../gql/graphql'

/** How a notification is worded: an i18n key under `notification.kind` and its parameters. Never content. */
export interface NotificationWording {
  key: string
  params: Record<string, string>
}

/**
 * The sentence for a notification: who did what (「〇〇さんがあなたをメンションしました」). A
 * proposal's state change names the state entered, when the proposal can still be seen.
 */
export function notificationWording(notification: Pick<NotificationDetailsFragment, 'kind' | 'actorName' | 'proposal'>, someone: string): NotificationWording {
  // Something the recipient can no longer see: what kind of thing happened, nothing more.
  if (!notification.proposal) return { key: 'notification.kind.HIDDEN', params: {} }
  const name = notification.actorName ?? someone
  const kind: NotificationKind = notification.kind
  if (kind === 'PROPOSAL_STATE') {
    const state = notification.proposal.enteredState
    return state ? { key: 'notification.kind.PROPOSAL_STATE', params: { name, state } } : { key: 'notification.kind.PROPOSAL_STATE_UNKNOWN', params: { name } }
  }
  return { key: `notification.kind.${kind}`, params: { name } }
}

type Edge = { cursor: string; node: NotificationDetailsFragment }

/**
 * A notification arriving live, put at the top of the list (newest first). Already listed (a
 * replay after a reconnect) → the list is unchanged.
 */
export function prependNotification<E extends Edge>(edges: readonly E[], incoming: E): E[] {
  if (edges.some((edge) => edge.node.id === incoming.node.id)) return [...edges]
  return [incoming, ...edges].sort((a, b) => b.node.createdAt.localeCompare(a.node.createdAt) || b.node.id.localeCompare(a.node.id))
}

/** The notifications among `notifications` still unread: what opening the bell marks read. */
export function unreadIds(notifications: readonly Pick<NotificationDetailsFragment, 'id' | 'readAt'>[]): string[] {
  return notifications.filter((notification) => notification.readAt == null).map((notification) => notification.id)
}

/** The same notifications with `ids` marked read at `at` (optimistically, before the server answers). */
export function markedRead<N extends Pick<NotificationDetailsFragment, 'id' | 'readAt'>>(notifications: readonly N[], ids: readonly string[], at: string): N[] {
  const marking = new Set(ids)
  return notifications.map((notification) => (marking.has(notification.id) && notification.readAt == null ? { ...notification, readAt: at } : notification))
}

/** The count shown on the bell: large counts are capped so the badge stays small. */
export function badgeCount(unread: number): string | null {
  if (unread <= 0) return null
  return unread > 99 ? '99+' : String(unread)
}

/** 「2026/11/24 9:05」-style time of a notification, in the viewer's language. */
export function formatNotificationTime(iso: string, locale: string): string {
  const date = new Date(iso)
  if (Number.isNaN(date.getTime())) return iso
  return new Intl.DateTimeFormat(locale === 'en' ? 'en-US' : 'ja-JP', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Asia/Tokyo' }).format(date)
}
