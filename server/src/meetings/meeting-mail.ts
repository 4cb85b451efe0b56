import { Role } from '../identity/account.entity.js';
import type { MailInput } from '../mail/mail-outbox.js';
import { calendarObject, parseMailbox, type CalendarMethod, type CalendarPerson } from './ics.js';

export const MEETING_MAIL_KINDS = {
  scheduled: 'meeting-invitation',
  updated: 'meeting-update',
  cancelled: 'meeting-cancellation',
  removed: 'meeting-removal',
} as const;
export type MeetingMailReason = keyof typeof MEETING_MAIL_KINDS;

/** Only the meeting's own fields: never anything of the proposal (its content can be protected). */
export interface MeetingMailFacts {
  meetingId: string;
  proposalId: string;
  title: string;
  startsAt: Date;
  endsAt: Date;
  place: string | null;
  onlineUrl: string | null;
  agenda: string;
  sequence: number;
  cancelReason: string | null;
  /** DTSTAMP: when this mail was made. */
  stamp: Date;
}

export interface MeetingMailPerson extends CalendarPerson {
  role: Role;
}

export interface MeetingMailConfig {
  publicBaseUrl: string;
  mailFrom: string;
}

/** The proposal's page as this person reaches it (the client's routes). */
export function proposalPagePath(role: Role, proposalId: string): string {
  if (role === Role.DESK) return `/desk/proposals/${proposalId}`;
  if (role === Role.SECTION) return `/section/proposals/${proposalId}`;
  return `/proposer/proposals/${proposalId}`;
}

const dayJa = new Intl.DateTimeFormat('ja-JP', { timeZone: 'Asia/Tokyo', year: 'numeric', month: 'long', day: 'numeric', weekday: 'short' });
const dayEn = new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Tokyo', year: 'numeric', month: 'long', day: 'numeric', weekday: 'short' });
const clock = new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Tokyo', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });

/** "2026年12月1日(火) 10:00〜11:30" in Asia/Tokyo; the end's date too when it is another day. */
export function meetingTimeText(startsAt: Date, endsAt: Date, language: 'ja' | 'en'): string {
  const day = language === 'ja' ? dayJa : dayEn;
  const sameDay = day.format(startsAt) === day.format(endsAt);
  const end = sameDay ? clock.format(endsAt) : `${day.format(endsAt)} ${clock.format(endsAt)}`;
  return language === 'ja' ? `${day.format(startsAt)} ${clock.format(startsAt)}〜${end}（日本時間）` : `${day.format(startsAt)}, ${clock.format(startsAt)}–${end} (Japan time)`;
}

const SUBJECTS: Record<MeetingMailReason, [string, string]> = {
  scheduled: ['打合せのご案内', 'Meeting invitation'],
  updated: ['打合せの変更', 'Meeting changed'],
  cancelled: ['打合せの中止', 'Meeting cancelled'],
  removed: ['打合せへの参加の取消し', 'No longer invited'],
};

const OPENINGS: Record<MeetingMailReason, [string, string]> = {
  scheduled: ['板橋区 公民連携デスクの連携システム「Renkei」で、次の打合せに招待されました。', 'You are invited to the following meeting on Renkei, the public-private partnership desk of Itabashi City.'],
  updated: ['次の打合せの内容が変更されました。予定表の登録を更新してください。', 'The following meeting has changed. Please update your calendar.'],
  cancelled: ['次の打合せは中止になりました。', 'The following meeting has been cancelled.'],
  removed: ['次の打合せの参加者から外れました。予定表から削除してください。', 'You are no longer invited to the following meeting. Please remove it from your calendar.'],
};

/**
 * One participant's mail about a meeting, Japanese then English, with the calendar object: a
 * REQUEST when scheduled or changed, a CANCEL when cancelled or when they were taken off it.
 * Proposers' calendar objects name only the proposing side as attendees: ward staff's addresses
 * are not handed to them.
 */
export function meetingMail(reason: MeetingMailReason, facts: MeetingMailFacts, recipient: MeetingMailPerson, participants: readonly MeetingMailPerson[], config: MeetingMailConfig): MailInput {
  const link = `${config.publicBaseUrl}${proposalPagePath(recipient.role, facts.proposalId)}`;
  const method: CalendarMethod = reason === 'cancelled' || reason === 'removed' ? 'CANCEL' : 'REQUEST';
  const visible = recipient.role === Role.PROPOSER ? participants.filter((p) => p.role === Role.PROPOSER) : participants;
  const attendees = method === 'CANCEL' && reason === 'removed' ? [recipient] : visible;
  const description = [facts.agenda, facts.onlineUrl ? `オンライン / Online: ${facts.onlineUrl}` : null, `Renkei: ${link}`].filter(Boolean).join('\n\n');
  const calendar = calendarObject(method, {
    uid: `${facts.meetingId}@renkei`,
    sequence: facts.sequence,
    stamp: facts.stamp,
    startsAt: facts.startsAt,
    endsAt: facts.endsAt,
    summary: facts.title,
    location: facts.place ?? facts.onlineUrl,
    url: link,
    description,
    organizer: parseMailbox(config.mailFrom),
    attendees,
  });
  const [subjectJa, subjectEn] = SUBJECTS[reason];
  const [openingJa, openingEn] = OPENINGS[reason];
  const reasonLines = (label: string) => (reason === 'cancelled' && facts.cancelReason ? [`${label}${facts.cancelReason}`] : []);
  const text = [
    openingJa,
    '',
    `件名：${facts.title}`,
    `日時：${meetingTimeText(facts.startsAt, facts.endsAt, 'ja')}`,
    ...(facts.place ? [`会場：${facts.place}`] : []),
    ...(facts.onlineUrl ? [`オンライン：${facts.onlineUrl}`] : []),
    ...reasonLines('中止の理由：'),
    '',
    '詳しくは Renkei でご確認ください：',
    link,
    '',
    '----------------------------------------',
    '',
    openingEn,
    '',
    `Title: ${facts.title}`,
    `When: ${meetingTimeText(facts.startsAt, facts.endsAt, 'en')}`,
    ...(facts.place ? [`Where: ${facts.place}`] : []),
    ...(facts.onlineUrl ? [`Online: ${facts.onlineUrl}`] : []),
    ...reasonLines('Reason: '),
    '',
    'Details on Renkei:',
    link,
    '',
    method === 'REQUEST' ? '予定表への登録用ファイル（invite.ics）を添付しています。 / The calendar entry (invite.ics) is attached.' : '予定表の取消し用ファイルを添付しています。 / The calendar cancellation is attached.',
    '',
    '--',
    '板橋区 公民連携デスク / Itabashi City Public-Private Partnership Desk',
    '',
  ].join('\n');
  return {
    kind: MEETING_MAIL_KINDS[reason],
    to: recipient.email,
    subject: `【板橋区 公民連携デスク】${subjectJa}：${facts.title} / ${subjectEn}: ${facts.title}`,
    text,
    calendar,
  };
}
