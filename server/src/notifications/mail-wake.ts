const wakers = new Set<() => void>();

/** The notification mailers of this process register here, to be woken after a commit that notified someone. */
export function onNotificationsCreated(wake: () => void): () => void {
  wakers.add(wake);
  return () => wakers.delete(wake);
}

export function wakeNotificationMailers(): void {
  for (const wake of wakers) wake();
}
