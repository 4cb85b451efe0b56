import { describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { InputError } from '../errors/domain-errors.js';
import type { MeetingInput } from './meeting.input.js';
import { cleanCancelReason, MEETING_LIMITS, validateMeetingInput } from './meeting.validation.js';

const NOW = new Date('2026-11-24T09:00:00Z');
const HOUR = 3_600_000;
const VALID: MeetingInput = {
  title: '第1回 打合せ',
  startsAt: new Date(NOW.getTime() + 24 * HOUR),
  endsAt: new Date(NOW.getTime() + 25 * HOUR),
  place: '本庁舎 会議室',
  onlineUrl: null,
  agenda: '設置候補の施設について',
  participantIds: [randomUUID()],
};

function fieldsOf(input: Partial<MeetingInput>): string[] {
  try {
    validateMeetingInput({ ...VALID, ...input }, NOW);
    return [];
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    return error.fields.map((f) => `${f.field}:${f.code}`).sort();
  }
}

describe('validateMeetingInput', () => {
  it('accepts a valid meeting, trims, folds titles to one line and duplicate participants to one', () => {
    const id = randomUUID();
    const clean = validateMeetingInput({ ...VALID, title: '  第1回\n打合せ ', place: null, onlineUrl: ' https://meet.example.jp/abc ', participantIds: [id, id.toUpperCase()] }, NOW);
    expect(clean).toMatchObject({ title: '第1回 打合せ', place: null, onlineUrl: 'https://meet.example.jp/abc', participantIds: [id] });
  });

  it('title: required, at most 200 characters', () => {
    expect(fieldsOf({ title: '  ' })).toEqual(['title:REQUIRED']);
    expect(fieldsOf({ title: 'あ'.repeat(MEETING_LIMITS.title) })).toEqual([]);
    expect(fieldsOf({ title: 'あ'.repeat(MEETING_LIMITS.title + 1) })).toEqual(['title:TOO_LONG']);
  });

  it('time: in the future, ending after the start, at most 12 hours', () => {
    expect(fieldsOf({ startsAt: new Date(NOW.getTime() - HOUR), endsAt: new Date(NOW.getTime() + HOUR) })).toEqual(['startsAt:INVALID']);
    expect(fieldsOf({ startsAt: NOW, endsAt: new Date(NOW.getTime() + HOUR) })).toEqual(['startsAt:INVALID']);
    expect(fieldsOf({ endsAt: VALID.startsAt })).toEqual(['endsAt:OUT_OF_ORDER']);
    expect(fieldsOf({ endsAt: new Date(VALID.startsAt.getTime() - HOUR) })).toEqual(['endsAt:OUT_OF_ORDER']);
    expect(fieldsOf({ endsAt: new Date(VALID.startsAt.getTime() + 12 * HOUR) })).toEqual([]);
    expect(fieldsOf({ endsAt: new Date(VALID.startsAt.getTime() + 12 * HOUR + 60_000) })).toEqual(['endsAt:TOO_LONG']);
    expect(fieldsOf({ startsAt: new Date('nope'), endsAt: new Date('nope') })).toEqual(['endsAt:INVALID', 'startsAt:INVALID']);
  });

  it('place or online link: at least one; the link https only and bounded', () => {
    expect(fieldsOf({ place: ' ', onlineUrl: null })).toEqual(['place:REQUIRED']);
    expect(fieldsOf({ place: null, onlineUrl: 'https://meet.example.jp/x' })).toEqual([]);
    expect(fieldsOf({ onlineUrl: 'http://meet.example.jp/x' })).toEqual(['onlineUrl:INVALID']);
    expect(fieldsOf({ onlineUrl: 'javascript:alert(1)' })).toEqual(['onlineUrl:INVALID']);
    expect(fieldsOf({ onlineUrl: 'https://user:pw@meet.example.jp/' })).toEqual(['onlineUrl:INVALID']);
    expect(fieldsOf({ onlineUrl: 'https://meet.example.jp/a b' })).toEqual(['onlineUrl:INVALID']);
    expect(fieldsOf({ onlineUrl: `https://meet.example.jp/${'a'.repeat(MEETING_LIMITS.onlineUrl)}` })).toEqual(['onlineUrl:TOO_LONG']);
    expect(fieldsOf({ place: 'あ'.repeat(MEETING_LIMITS.place + 1) })).toEqual(['place:TOO_LONG']);
  });

  it('agenda: at most 10000 characters', () => {
    expect(fieldsOf({ agenda: 'あ'.repeat(MEETING_LIMITS.agenda) })).toEqual([]);
    expect(fieldsOf({ agenda: 'あ'.repeat(MEETING_LIMITS.agenda + 1) })).toEqual(['agenda:TOO_LONG']);
  });

  it('participants: 1 to 50 well-formed ids', () => {
    expect(fieldsOf({ participantIds: [] })).toEqual(['participantIds:REQUIRED']);
    expect(fieldsOf({ participantIds: Array.from({ length: 50 }, () => randomUUID()) })).toEqual([]);
    expect(fieldsOf({ participantIds: Array.from({ length: 51 }, () => randomUUID()) })).toEqual(['participantIds:TOO_LONG']);
    expect(fieldsOf({ participantIds: ['not-an-id'] })).toEqual(['participantIds:UNKNOWN_REFERENCE']);
  });

  it('reports every problem at once', () => {
    expect(fieldsOf({ title: '', place: null, onlineUrl: null, participantIds: [], endsAt: VALID.startsAt })).toEqual([
      'endsAt:OUT_OF_ORDER',
      'participantIds:REQUIRED',
      'place:REQUIRED',
      'title:REQUIRED',
    ]);
  });
});

describe('cleanCancelReason', () => {
  it('is required and bounded', () => {
    expect(cleanCancelReason('  都合により延期 ')).toBe('都合により延期');
    expect(() => cleanCancelReason(' ')).toThrow(InputError);
    expect(() => cleanCancelReason('あ'.repeat(MEETING_LIMITS.cancelReason + 1))).toThrow(InputError);
  });
});
