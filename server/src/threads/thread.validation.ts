import { FieldErrors } from '../errors/domain-errors.js';
import { isUuid } from '../shared/uuid.js';
import { mentionedIds } from './message-markdown.js';

export const THREAD_LIMITS = {
  title: 200,
  /** Characters of Markdown: a 100 kB message is far past it. */
  body: 20_000,
  mentions: 50,
} as const;

/** A title on one line, trimmed: REQUIRED when empty, TOO_LONG past 200 characters. */
export function cleanThreadTitle(title: string | null | undefined, errors: FieldErrors): string {
  const clean = (title ?? '').replace(/\s+/g, ' ').trim();
  if (!clean) errors.add('title', 'REQUIRED', 'A thread needs a title');
  else if ([...clean].length > THREAD_LIMITS.title) errors.add('title', 'TOO_LONG', `At most ${THREAD_LIMITS.title} characters`);
  return clean;
}

export interface CleanBody {
  body: string;
  /** Accounts mentioned in the body, lower-cased, each once. */
  mentionIds: string[];
}

/**
 * A message body: REQUIRED when only whitespace, TOO_LONG past 20 000 characters (checked before
 * anything else is done with it). Trailing whitespace is trimmed; line breaks inside are kept.
 */
export function cleanMessageBody(body: string | null | undefined, errors: FieldErrors, field = 'body'): CleanBody {
  const raw = body ?? '';
  if (raw.length > THREAD_LIMITS.body * 2 || [...raw].length > THREAD_LIMITS.body) {
    errors.add(field, 'TOO_LONG', `At most ${THREAD_LIMITS.body} characters`);
    return { body: '', mentionIds: [] };
  }
  const clean = raw.replace(/\r\n?/g, '\n').replace(/\s+$/, '').replace(/^\n+/, '');
  if (!clean.trim()) errors.add(field, 'REQUIRED', 'Write something');
  const mentionIds = mentionedIds(clean);
  if (mentionIds.some((id) => !isUuid(id))) errors.add('mentions', 'INVALID', 'A mention names no account');
  if (mentionIds.length > THREAD_LIMITS.mentions) errors.add('mentions', 'TOO_LONG', `At most ${THREAD_LIMITS.mentions} people`);
  return { body: clean, mentionIds };
}
