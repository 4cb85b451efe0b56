/**
 * Just enough iCalendar (RFC 5545) for meeting invitations, written here rather than taken from a
 * dependency: one VEVENT per object, METHOD REQUEST (new or changed) or CANCEL (RFC 5546 iTIP).
 * Pure: the same input gives the same text.
 */

export type CalendarMethod = 'REQUEST' | 'CANCEL';

export interface CalendarPerson {
  name: string;
  email: string;
}

export interface CalendarEvent {
  /** Stable across every change of one meeting: `<meetingId>@renkei`. */
  uid: string;
  /** Raised on every change sent, so calendars replace the older copy. */
  sequence: number;
  /** When this object was made (DTSTAMP). */
  stamp: Date;
  startsAt: Date;
  endsAt: Date;
  summary: string;
  location: string | null;
  /** The page to open (the proposal, as the recipient reaches it). */
  url: string;
  description: string;
  organizer: CalendarPerson;
  attendees: readonly CalendarPerson[];
}

const PRODID = '-//Itabashi City//Renkei//JA';
const MAX_OCTETS = 75;

/** TEXT values (RFC 5545 §3.3.11): backslash, semicolon, comma and line breaks are escaped. */
export function escapeText(value: string): string {
  return value
    .replace(/\\/g, '\\\\')
    .replace(/;/g, '\\;')
    .replace(/,/g, '\\,')
    .replace(/\r\n|\r|\n/g, '\\n');
}

/**
 * A parameter value (CN=…): quoted, since names hold spaces, commas and colons; a double quote
 * cannot appear inside one at all, and neither can control characters.
 */
function paramValue(value: string): string {
  return `"${value.replace(/["\u0000-\u001f\u007f]/g, ' ').trim()}"`;
}

/** A mailto: address with nothing that could end the line or the value. */
function calAddress(email: string): string {
  return `mailto:${email.replace(/[\s"<>\\;,:]/g, '')}`;
}

/** 20261201T013000Z: UTC, so no VTIMEZONE is needed. */
export function formatUtc(date: Date): string {
  return date.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

/**
 * Folds one content line (RFC 5545 §3.1): no line longer than 75 octets, continuation lines
 * start with one space, and a UTF-8 character is never split across lines (Japanese text is
 * three octets a character).
 */
export function foldLine(line: string): string {
  const out: string[] = [];
  let current = '';
  let octets = 0;
  for (const char of line) {
    const size = Buffer.byteLength(char, 'utf8');
    // Continuation lines begin with a space, which counts toward their 75 octets.
    if (octets + size > MAX_OCTETS) {
      out.push(current);
      current = ' ';
      octets = 1;
    }
    current += char;
    octets += size;
  }
  out.push(current);
  return out.join('\r\n');
}

function attendee(person: CalendarPerson): string {
  return `ATTENDEE;CN=${paramValue(person.name)};ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=FALSE:${calAddress(person.email)}`;
}

/** One VCALENDAR with one VEVENT, CRLF line endings, folded. */
export function calendarObject(method: CalendarMethod, event: CalendarEvent): string {
  const lines = [
    'BEGIN:VCALENDAR',
    `PRODID:${PRODID}`,
    'VERSION:2.0',
    'CALSCALE:GREGORIAN',
    `METHOD:${method}`,
    'BEGIN:VEVENT',
    `UID:${event.uid}`,
    `SEQUENCE:${event.sequence}`,
    `DTSTAMP:${formatUtc(event.stamp)}`,
    `DTSTART:${formatUtc(event.startsAt)}`,
    `DTEND:${formatUtc(event.endsAt)}`,
    `SUMMARY:${escapeText(event.summary)}`,
    ...(event.location ? [`LOCATION:${escapeText(event.location)}`] : []),
    `URL:${event.url.replace(/\s/g, '')}`,
    `DESCRIPTION:${escapeText(event.description)}`,
    `ORGANIZER;CN=${paramValue(event.organizer.name)}:${calAddress(event.organizer.email)}`,
    ...event.attendees.map(attendee),
    `STATUS:${method === 'CANCEL' ? 'CANCELLED' : 'CONFIRMED'}`,
    'TRANSP:OPAQUE',
    'END:VEVENT',
    'END:VCALENDAR',
  ];
  return `${lines.map(foldLine).join('\r\n')}\r\n`;
}

/** "名前 <desk@example.jp>" or "desk@example.jp" → name and address (MAIL_FROM, for ORGANIZER). */
export function parseMailbox(value: string): CalendarPerson {
  const match = /^\s*"?([^"<]*?)"?\s*<([^>]+)>\s*$/.exec(value);
  if (match) return { name: match[1]!.trim() || match[2]!.trim(), email: match[2]!.trim() };
  return { name: value.trim(), email: value.trim() };
}

