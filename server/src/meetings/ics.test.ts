import { describe, expect, it } from 'vitest';
import { calendarObject, escapeText, foldLine, formatUtc, parseMailbox, type CalendarEvent } from './ics.js';

const EVENT: CalendarEvent = {
  uid: '3f1e0c2a-1111-4222-8333-444455556666@renkei',
  sequence: 2,
  stamp: new Date('2026-11-24T09:00:00Z'),
  startsAt: new Date('2026-12-01T01:00:00Z'),
  endsAt: new Date('2026-12-01T02:30:00Z'),
  summary: '第2回 打合せ; 設置場所, 日程',
  location: '板橋区役所 本庁舎 7階 会議室',
  url: 'https://renkei.example.jp/desk/proposals/p1',
  description: '1. 設置候補の施設\n2. 日程\\予算',
  organizer: { name: '板橋区 公民連携デスク', email: 'desk@example.jp' },
  attendees: [
    { name: '連携 一郎', email: 'desk1@example.jp' },
    { name: 'Smith, "Jo"', email: 'jo@example.jp' },
  ],
};

/** Undoes folding (RFC 5545 §3.1): a CRLF followed by one space is removed. */
function unfold(text: string): string {
  return text.replace(/\r\n /g, '');
}

describe('escapeText', () => {
  it('escapes backslash, semicolon, comma and every kind of line break', () => {
    expect(escapeText('a\\b;c,d\ne\r\nf\rg')).toBe('a\\\\b\\;c\\,d\\ne\\nf\\ng');
  });
  it('leaves colons and Japanese alone', () => {
    expect(escapeText('会議: 10時')).toBe('会議: 10時');
  });
});

describe('foldLine', () => {
  it('keeps short lines as they are', () => {
    expect(foldLine('SUMMARY:短い')).toBe('SUMMARY:短い');
  });

  it('folds at 75 octets, continuation lines start with a space, and no UTF-8 character is split', () => {
    const line = `DESCRIPTION:${'板橋区の公民連携デスクとの打合せ'.repeat(8)}`;
    const folded = foldLine(line);
    const parts = folded.split('\r\n');
    expect(parts.length).toBeGreaterThan(1);
    for (const [index, part] of parts.entries()) {
      expect(Buffer.byteLength(part, 'utf8')).toBeLessThanOrEqual(75);
      if (index > 0) expect(part.startsWith(' ')).toBe(true);
      // Each line is valid UTF-8 on its own: decoding and re-encoding changes nothing.
      expect(Buffer.from(part, 'utf8').toString('utf8')).toBe(part);
      expect(part).not.toContain('\uFFFD');
    }
    expect(unfold(folded)).toBe(line);
  });

  it('folds ASCII at exactly 75 octets', () => {
    const line = `URL:https://renkei.example.jp/${'a'.repeat(200)}`;
    const parts = foldLine(line).split('\r\n');
    expect(Buffer.byteLength(parts[0]!, 'utf8')).toBe(75);
    expect(Buffer.byteLength(parts[1]!, 'utf8')).toBe(75);
    expect(unfold(parts.join('\r\n'))).toBe(line);
  });

  it('never splits a four-octet character (emoji) either', () => {
    const line = `SUMMARY:${'🙂'.repeat(40)}`;
    for (const part of foldLine(line).split('\r\n')) expect(part).not.toContain('\uFFFD');
    expect(unfold(foldLine(line))).toBe(line);
  });
});

describe('calendarObject', () => {
  it('a REQUEST: VCALENDAR with PRODID and METHOD, one VEVENT with UTC times, escaped text, organizer and attendees, CRLF endings', () => {
    const ics = calendarObject('REQUEST', EVENT);
    expect(ics.endsWith('\r\n')).toBe(true);
    expect(ics.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    const lines = unfold(ics).split('\r\n');
    expect(lines[0]).toBe('BEGIN:VCALENDAR');
    expect(lines).toContain('PRODID:-//Itabashi City//Renkei//JA');
    expect(lines).toContain('VERSION:2.0');
    expect(lines).toContain('METHOD:REQUEST');
    expect(lines).toContain('BEGIN:VEVENT');
    expect(lines).toContain('UID:3f1e0c2a-1111-4222-8333-444455556666@renkei');
    expect(lines).toContain('SEQUENCE:2');
    expect(lines).toContain('DTSTAMP:20261124T090000Z');
    expect(lines).toContain('DTSTART:20261201T010000Z');
    expect(lines).toContain('DTEND:20261201T023000Z');
    expect(lines).toContain('SUMMARY:第2回 打合せ\\; 設置場所\\, 日程');
    expect(lines).toContain('LOCATION:板橋区役所 本庁舎 7階 会議室');
    expect(lines).toContain('URL:https://renkei.example.jp/desk/proposals/p1');
    expect(lines).toContain('DESCRIPTION:1. 設置候補の施設\\n2. 日程\\\\予算');
    expect(lines).toContain('ORGANIZER;CN="板橋区 公民連携デスク":mailto:desk@example.jp');
    expect(lines).toContain('ATTENDEE;CN="連携 一郎";ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=FALSE:mailto:desk1@example.jp');
    // A double quote cannot appear in a parameter value: it is replaced, the comma is safe inside quotes.
    expect(lines).toContain('ATTENDEE;CN="Smith,  Jo";ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=FALSE:mailto:jo@example.jp');
    expect(lines).toContain('STATUS:CONFIRMED');
    expect(lines.filter((line) => line === 'BEGIN:VEVENT')).toHaveLength(1);
    expect(lines.at(-2)).toBe('END:VCALENDAR');
    for (const line of ics.split('\r\n')) expect(Buffer.byteLength(line, 'utf8')).toBeLessThanOrEqual(75);
  });

  it('a CANCEL says METHOD:CANCEL and STATUS:CANCELLED with the same UID and the given sequence', () => {
    const lines = unfold(calendarObject('CANCEL', { ...EVENT, sequence: 3 })).split('\r\n');
    expect(lines).toContain('METHOD:CANCEL');
    expect(lines).toContain('STATUS:CANCELLED');
    expect(lines).toContain('SEQUENCE:3');
    expect(lines).toContain(`UID:${EVENT.uid}`);
    expect(lines).not.toContain('STATUS:CONFIRMED');
  });

  it('no LOCATION line without a place; a line break in a name cannot start a new property', () => {
    const ics = calendarObject('REQUEST', { ...EVENT, location: null, summary: '件名\r\nMETHOD:CANCEL', attendees: [{ name: '名前\r\nX-EVIL:1', email: 'a@example.jp\r\nX:1' }] });
    const lines = unfold(ics).split('\r\n');
    expect(lines.some((line) => line.startsWith('LOCATION'))).toBe(false);
    expect(lines.filter((line) => line.startsWith('METHOD:'))).toEqual(['METHOD:REQUEST']);
    expect(lines.some((line) => line.startsWith('X-EVIL') || line.startsWith('X:'))).toBe(false);
  });
});

describe('helpers', () => {
  it('formatUtc writes basic UTC form', () => {
    expect(formatUtc(new Date('2027-01-02T03:04:05.678Z'))).toBe('20270102T030405Z');
  });
  it('parseMailbox reads MAIL_FROM', () => {
    expect(parseMailbox('板橋区 公民連携デスク <renkei-desk@localhost>')).toEqual({ name: '板橋区 公民連携デスク', email: 'renkei-desk@localhost' });
    expect(parseMailbox('desk@example.jp')).toEqual({ name: 'desk@example.jp', email: 'desk@example.jp' });
  });
});
