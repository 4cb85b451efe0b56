import { FieldErrors } from '../errors/domain-errors.js';
import { isUuid } from '../shared/uuid.js';
import type { MeetingInput } from './meeting.input.js';

export const MEETING_LIMITS = {
  title: 200,
  place: 500,
  onlineUrl: 2000,
  agenda: 10_000,
  participantsMax: 50,
  cancelReason: 2000,
  /** The longest meeting: 12 hours. */
  durationMs: 12 * 3_600_000,
} as const;

export interface CleanMeeting {
  title: string;
  startsAt: Date;
  endsAt: Date;
  place: string | null;
  onlineUrl: string | null;
  agenda: string;
  /** Lower-cased, each once, in the order given. */
  participantIds: string[];
}

/** One line: a title or a place typed with line breaks must not shape a mail or a calendar entry. */
function oneLine(value: string | null | undefined): string {
  return (value ?? '').replace(/\s+/g, ' ').trim();
}

function isHttpsUrl(value: string): boolean {
  if (/\s/.test(value)) return false;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' && url.hostname !== '' && url.username === '' && url.password === '';
  } catch {
    return false;
  }
}

function validDate(value: unknown): value is Date {
  return value instanceof Date && !Number.isNaN(value.getTime());
}

/**
 * The shape of a meeting, before any lookup: a title, a start in the future (relative to `now`),
 * an end after it and at most 12 hours later, a place or an https link (or both), a bounded
 * agenda, and 1–50 well-formed participant ids. Whether the participants may take part is the
 * service's job (it needs the database). Every problem is reported at once.
 */
export function validateMeetingInput(input: MeetingInput, now: Date): CleanMeeting {
  const errors = new FieldErrors();
  const title = oneLine(input.title);
  if (title === '') errors.add('title', 'REQUIRED', 'Give the meeting a title');
  else if (title.length > MEETING_LIMITS.title) errors.add('title', 'TOO_LONG', `At most ${MEETING_LIMITS.title} characters`);

  const startsOk = validDate(input.startsAt);
  const endsOk = validDate(input.endsAt);
  if (!startsOk) errors.add('startsAt', 'INVALID', 'startsAt must be a date and time');
  else if (input.startsAt.getTime() <= now.getTime()) errors.add('startsAt', 'INVALID', 'A meeting cannot start in the past');
  if (!endsOk) errors.add('endsAt', 'INVALID', 'endsAt must be a date and time');
  else if (startsOk && input.endsAt.getTime() <= input.startsAt.getTime()) errors.add('endsAt', 'OUT_OF_ORDER', 'A meeting must end after it starts');
  else if (startsOk && input.endsAt.getTime() - input.startsAt.getTime() > MEETING_LIMITS.durationMs) errors.add('endsAt', 'TOO_LONG', 'A meeting lasts at most 12 hours');

  const place = oneLine(input.place);
  const onlineUrl = (input.onlineUrl ?? '').trim();
  if (place === '' && onlineUrl === '') errors.add('place', 'REQUIRED', 'Give a place, an online link or both');
  if (place.length > MEETING_LIMITS.place) errors.add('place', 'TOO_LONG', `At most ${MEETING_LIMITS.place} characters`);
  if (onlineUrl.length > MEETING_LIMITS.onlineUrl) errors.add('onlineUrl', 'TOO_LONG', `At most ${MEETING_LIMITS.onlineUrl} characters`);
  else if (onlineUrl !== '' && !isHttpsUrl(onlineUrl)) errors.add('onlineUrl', 'INVALID', 'The online link must be an https:// address');

  const agenda = (input.agenda ?? '').trim();
  if (agenda.length > MEETING_LIMITS.agenda) errors.add('agenda', 'TOO_LONG', `At most ${MEETING_LIMITS.agenda} characters`);

  const participantIds = [...new Set((input.participantIds ?? []).map((id) => id.trim().toLowerCase()))];
  if (participantIds.length === 0) errors.add('participantIds', 'REQUIRED', 'Invite at least one participant');
  else if (participantIds.length > MEETING_LIMITS.participantsMax) errors.add('participantIds', 'TOO_LONG', `At most ${MEETING_LIMITS.participantsMax} participants`);
  else if (participantIds.some((id) => !isUuid(id))) errors.add('participantIds', 'UNKNOWN_REFERENCE', 'No such account');

  errors.throwIfAny();
  return { title, startsAt: input.startsAt, endsAt: input.endsAt, place: place || null, onlineUrl: onlineUrl || null, agenda, participantIds };
}

/** A cancellation reason: required, trimmed, bounded. */
export function cleanCancelReason(value: string | null | undefined): string {
  const clean = (value ?? '').trim();
  const errors = new FieldErrors();
  if (clean === '') errors.add('reason', 'REQUIRED', 'Give a reason');
  else if (clean.length > MEETING_LIMITS.cancelReason) errors.add('reason', 'TOO_LONG', `At most ${MEETING_LIMITS.cancelReason} characters`);
  errors.throwIfAny();
  return clean;
}
