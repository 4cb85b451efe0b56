import type { Audience, MeetingPersonDetailsFragment, MeetingSummaryFragment, ProposalEventKind, ProposalState, Role } from '../gql/graphql'
import type { AppError } from './appError'
import { fieldErrorMessage, type Translate } from './errorMessages'

/** Meetings are held while a proposal is in dialogue, agreed or in progress (the server decides; this only words the empty list). */
export const MEETING_PROPOSAL_STATES: readonly ProposalState[] = ['IN_DIALOGUE', 'AGREED', 'IN_PROGRESS']

/** Events after which a proposal's meetings changed. */
export function isMeetingEvent(kind: ProposalEventKind): boolean {
  return kind === 'MEETING_SCHEDULED' || kind === 'MEETING_UPDATED' || kind === 'MEETING_CANCELLED'
}

/** The i18n key of an audience: 「共有（区と提案者）」 or 「庁内のみ」. */
export function audienceLabelKey(audience: Audience): string {
  return `meeting.audience.${audience}`
}

/**
 * The list as people read it: meetings still to come (or going on now) first, soonest first;
 * then those that are over, most recent first. Cancelled ones stay where their time puts them.
 */
export function splitMeetings<T extends Pick<MeetingSummaryFragment, 'startsAt' | 'endsAt'>>(meetings: readonly T[], now: Date): { upcoming: T[]; past: T[] } {
  const at = (iso: string) => Date.parse(iso)
  const upcoming = meetings.filter((m) => at(m.endsAt) > now.getTime()).sort((a, b) => at(a.startsAt) - at(b.startsAt))
  const past = meetings.filter((m) => at(m.endsAt) <= now.getTime()).sort((a, b) => at(b.startsAt) - at(a.startsAt))
  return { upcoming, past }
}

const TOKYO_OFFSET_MS = 9 * 3_600_000
const DATE = /^\d{4}-\d{2}-\d{2}$/
const TIME = /^\d{2}:\d{2}$/

/** A date (YYYY-MM-DD) and a time (HH:MM) in Japan as an ISO instant, or null when either is incomplete. */
export function tokyoToIso(date: string, time: string): string | null {
  if (!DATE.test(date) || !TIME.test(time)) return null
  const instant = new Date(`${date}T${time}:00+09:00`)
  return Number.isNaN(instant.getTime()) ? null : instant.toISOString()
}

/** An ISO instant as the date and time a form shows in Japan. */
export function isoToTokyo(iso: string): { date: string; time: string } {
  const shifted = new Date(Date.parse(iso) + TOKYO_OFFSET_MS).toISOString()
  return { date: shifted.slice(0, 10), time: shifted.slice(11, 16) }
}

/** "2026年12月1日(火) 14:00〜15:30" / "Tue, 1 Dec 2026, 14:00–15:30" in Asia/Tokyo; the end's date too when it is another day. */
export function formatMeetingTime(startsAt: string, endsAt: string, locale: string): string {
  const en = locale === 'en'
  const day = new Intl.DateTimeFormat(en ? 'en-GB' : 'ja-JP', { timeZone: 'Asia/Tokyo', year: 'numeric', month: en ? 'short' : 'long', day: 'numeric', weekday: 'short' })
  const clock = new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Tokyo', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
  const start = new Date(startsAt)
  const end = new Date(endsAt)
  const sameDay = day.format(start) === day.format(end)
  const endText = sameDay ? clock.format(end) : `${day.format(end)} ${clock.format(end)}`
  return en ? `${day.format(start)}, ${clock.format(start)}–${endText}` : `${day.format(start)} ${clock.format(start)}〜${endText}`
}

/** Who someone is to the proposal: 「防災危機管理課」「公民連携デスク」「株式会社いたばしラボ」. */
export function personAffiliation(person: Pick<MeetingPersonDetailsFragment, 'role' | 'sectionName' | 'organisationName'>, t: Translate): string {
  if (person.role === 'SECTION') return person.sectionName ?? t('meeting.role.SECTION')
  if (person.role === 'PROPOSER') return person.organisationName ?? t('meeting.role.PROPOSER')
  return t('meeting.role.DESK')
}

/** The order of people in the picker and the lists: the desk, sections, the proposer's side. */
const ROLE_ORDER: Record<Role, number> = { DESK: 0, SECTION: 1, PROPOSER: 2 }
export function byRoleThenName<T extends Pick<MeetingPersonDetailsFragment, 'role' | 'displayName'>>(people: readonly T[]): T[] {
  return [...people].sort((a, b) => ROLE_ORDER[a.role] - ROLE_ORDER[b.role] || a.displayName.localeCompare(b.displayName, 'ja'))
}

/** What the scheduling form holds, as typed. */
export interface MeetingFormValues {
  title: string
  date: string
  startTime: string
  endTime: string
  place: string
  onlineUrl: string
  agenda: string
  audience: Audience
  participantIds: string[]
}

export function emptyMeetingForm(): MeetingFormValues {
  return { title: '', date: '', startTime: '', endTime: '', place: '', onlineUrl: '', agenda: '', audience: 'SHARED', participantIds: [] }
}

/** A meeting as the form shows it for editing. */
export function meetingFormFrom(m: MeetingSummaryFragment): MeetingFormValues {
  const start = isoToTokyo(m.startsAt)
  const end = isoToTokyo(m.endsAt)
  return {
    title: m.title,
    date: start.date,
    startTime: start.time,
    endTime: end.time,
    place: m.place ?? '',
    onlineUrl: m.onlineUrl ?? '',
    agenda: m.agenda,
    audience: m.audience,
    participantIds: m.participants.map((p) => p.accountId),
  }
}

/**
 * The MeetingInput sent to the server: the end is on the start's date (a meeting lasts at most 12
 * hours; one past midnight ends the next day). The server checks everything again.
 */
export function meetingInputFrom(v: MeetingFormValues): { title: string; startsAt: string | null; endsAt: string | null; place: string | null; onlineUrl: string | null; agenda: string; participantIds: string[] } {
  const startsAt = tokyoToIso(v.date, v.startTime)
  let endsAt = tokyoToIso(v.date, v.endTime)
  if (startsAt && endsAt && Date.parse(endsAt) <= Date.parse(startsAt) && v.endTime < v.startTime) {
    endsAt = new Date(Date.parse(endsAt) + 24 * 3_600_000).toISOString()
  }
  return {
    title: v.title.trim(),
    startsAt,
    endsAt,
    place: v.place.trim() || null,
    onlineUrl: v.onlineUrl.trim() || null,
    agenda: v.agenda,
    participantIds: [...v.participantIds],
  }
}

/** The form's own checks before sending (the server says the same with its codes). Keyed like the server's fields. */
export function checkMeetingForm(v: MeetingFormValues, t: Translate): Record<string, string> {
  const errors: Record<string, string> = {}
  if (!v.title.trim()) errors.title = t('errors.field.REQUIRED', { label: t('meeting.form.title') })
  if (!DATE.test(v.date)) errors.date = t('errors.field.REQUIRED', { label: t('meeting.form.date') })
  if (!TIME.test(v.startTime)) errors.startsAt = t('errors.field.REQUIRED', { label: t('meeting.form.startTime') })
  if (!TIME.test(v.endTime)) errors.endsAt = t('errors.field.REQUIRED', { label: t('meeting.form.endTime') })
  if (!v.place.trim() && !v.onlineUrl.trim()) errors.place = t('meeting.error.placeOrLink')
  if (v.onlineUrl.trim() && !/^https:\/\/\S+$/i.test(v.onlineUrl.trim())) errors.onlineUrl = t('meeting.error.httpsOnly')
  if (v.participantIds.length === 0) errors.participantIds = t('meeting.error.participantsRequired')
  return errors
}

/** The scheduling form's labels for the field errors the server reports. */
export const MEETING_LABEL_KEYS: Record<string, string> = {
  title: 'meeting.form.title',
  startsAt: 'meeting.form.startTime',
  endsAt: 'meeting.form.endTime',
  place: 'meeting.form.place',
  onlineUrl: 'meeting.form.onlineUrl',
  agenda: 'meeting.form.agenda',
  participantIds: 'meeting.form.participants',
  reason: 'meeting.cancel.reason',
}

/** Server field errors as the form shows them by each field, with the meeting's own wording where the general one says too little. */
export function meetingFieldErrors(error: AppError | null, t: Translate): Record<string, string> {
  const out: Record<string, string> = {}
  for (const f of error?.fields ?? []) {
    if (f.field in out) continue
    const key = `${f.field}:${f.code}`
    const special: Record<string, string> = {
      'startsAt:INVALID': 'meeting.error.startInPast',
      'endsAt:OUT_OF_ORDER': 'meeting.error.endBeforeStart',
      'endsAt:TOO_LONG': 'meeting.error.tooLong',
      'place:REQUIRED': 'meeting.error.placeOrLink',
      'onlineUrl:INVALID': 'meeting.error.httpsOnly',
      'participantIds:REQUIRED': 'meeting.error.participantsRequired',
      'participantIds:TOO_LONG': 'meeting.error.participantsTooMany',
      'participantIds:NOT_ACCEPTED': 'meeting.error.participantsNotAccepted',
      'participantIds:UNKNOWN_REFERENCE': 'meeting.error.participantsNotAccepted',
    }
    out[f.field] = special[key] ? t(special[key]) : fieldErrorMessage(f, t, MEETING_LABEL_KEYS)
  }
  return out
}
