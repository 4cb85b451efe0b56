import type { EntityManager } from '@mikro-orm/postgresql';
import type { EventRecorder } from '../events/transaction.js';
import { MailMessage } from './mail-message.entity.js';

export interface MailInput {
  /** What it is about: 'invitation', … (for logs and, later, preferences). */
  kind: string;
  to: string;
  subject: string;
  /** Plain text only. Only what happened and a link: never protected content. */
  text: string;
  /** An iCalendar object (a meeting invitation or cancellation), sent as a text/calendar part beside the text. */
  calendar?: string | null;
  /** The notifications it tells of, re-checked against the recipient's access when it is sent. */
  notificationIds?: readonly string[];
}

const wakers = new Set<() => void>();

/** The dispatchers of this process register here, to be woken after a commit that enqueued mail. */
export function onMailEnqueued(wake: () => void): () => void {
  wakers.add(wake);
  return () => wakers.delete(wake);
}

function wakeDispatchers(): void {
  for (const wake of wakers) wake();
}

/**
 * Enqueues a mail inside a use case's transaction (`transact`): it is sent only if the change
 * commits, and it is not lost if the server stops before sending. Other instances find it by
 * polling; this one is woken at once after the commit.
 */
export function enqueueMail(tx: EntityManager, events: EventRecorder, mail: MailInput): MailMessage {
  const message = new MailMessage(mail.kind, mail.to, mail.subject, mail.text);
  message.calendar = mail.calendar ?? null;
  message.notificationIds = [...(mail.notificationIds ?? [])];
  tx.persist(message);
  events.afterCommit(wakeDispatchers);
  return message;
}
