import { describe, expect, it } from 'vitest'
import { createI18n } from 'vue-i18n'
import { en, ja } from '../i18n/messages'
import type { AppError } from './appError'
import type { Translate } from './errorMessages'
import {
  byRoleThenName,
  checkMeetingForm,
  emptyMeetingForm,
  formatMeetingTime,
  isoToTokyo,
  meetingFieldErrors,
  meetingInputFrom,
  personAffiliation,
  splitMeetings,
  tokyoToIso,
} from './meetings'

function translator(locale: 'ja' | 'en'): Translate {
  const i18n = createI18n({ legacy: false, locale, fallbackLocale: 'ja', messages: { ja, en } })
  return (key, named) => i18n.global.t(key, named ?? {})
}
const t = translator('ja')

describe('Japan time in the form', () => {
  it('a date and time typed in Japan become the right instant, and back', () => {
    expect(tokyoToIso('2026-12-01', '10:00')).toBe('2026-12-01T01:00:00.000Z')
    expect(tokyoToIso('2026-12-01', '08:30')).toBe('2026-11-30T23:30:00.000Z')
    expect(tokyoToIso('2026-12-01', '')).toBeNull()
    expect(tokyoToIso('', '10:00')).toBeNull()
    expect(isoToTokyo('2026-11-30T23:30:00.000Z')).toEqual({ date: '2026-12-01', time: '08:30' })
  })

  it('an end before the start is the next day (past midnight); an equal end is left for the server to refuse', () => {
    const v = { ...emptyMeetingForm(), date: '2026-12-01', startTime: '22:00', endTime: '01:00' }
    expect(meetingInputFrom(v)).toMatchObject({ startsAt: '2026-12-01T13:00:00.000Z', endsAt: '2026-12-01T16:00:00.000Z' })
    expect(meetingInputFrom({ ...v, endTime: '22:00' })).toMatchObject({ endsAt: '2026-12-01T13:00:00.000Z' })
    expect(meetingInputFrom({ ...v, place: '  ', onlineUrl: ' https://x.example.jp ' })).toMatchObject({ place: null, onlineUrl: 'https://x.example.jp' })
  })

  it('formats the time in Asia/Tokyo in both languages', () => {
    expect(formatMeetingTime('2031-06-02T01:00:00.000Z', '2031-06-02T02:30:00.000Z', 'ja')).toBe('2031年6月2日(月) 10:00〜11:30')
    expect(formatMeetingTime('2031-06-02T01:00:00.000Z', '2031-06-02T02:30:00.000Z', 'en')).toBe('Mon, 2 Jun 2031, 10:00–11:30')
    expect(formatMeetingTime('2031-06-02T13:00:00.000Z', '2031-06-02T16:00:00.000Z', 'ja')).toBe('2031年6月2日(月) 22:00〜2031年6月3日(火) 01:00')
  })
})

describe('splitMeetings', () => {
  it('upcoming (and going on) soonest first, then past most recent first', () => {
    const now = new Date('2026-11-24T09:00:00Z')
    const m = (id: string, start: string, end: string) => ({ id, startsAt: start, endsAt: end })
    const meetings = [
      m('old', '2026-11-01T01:00:00Z', '2026-11-01T02:00:00Z'),
      m('later', '2026-12-10T01:00:00Z', '2026-12-10T02:00:00Z'),
      m('now', '2026-11-24T08:30:00Z', '2026-11-24T09:30:00Z'),
      m('recent', '2026-11-20T01:00:00Z', '2026-11-20T02:00:00Z'),
      m('soon', '2026-11-25T01:00:00Z', '2026-11-25T02:00:00Z'),
    ]
    const { upcoming, past } = splitMeetings(meetings, now)
    expect(upcoming.map((x) => x.id)).toEqual(['now', 'soon', 'later'])
    expect(past.map((x) => x.id)).toEqual(['recent', 'old'])
  })
})

describe('people', () => {
  it('are shown with their section or organisation, the desk first', () => {
    expect(personAffiliation({ role: 'SECTION', sectionName: '防災危機管理課', organisationName: null }, t)).toBe('防災危機管理課')
    expect(personAffiliation({ role: 'PROPOSER', sectionName: null, organisationName: '株式会社いたばしラボ' }, t)).toBe('株式会社いたばしラボ')
    expect(personAffiliation({ role: 'DESK', sectionName: null, organisationName: null }, t)).toBe('公民連携デスク')
    const sorted = byRoleThenName([
      { role: 'PROPOSER' as const, displayName: 'あ' },
      { role: 'SECTION' as const, displayName: 'い' },
      { role: 'DESK' as const, displayName: 'う' },
    ])
    expect(sorted.map((p) => p.role)).toEqual(['DESK', 'SECTION', 'PROPOSER'])
  })
})

describe('errors by each field', () => {
  it('the form checks what it can before sending', () => {
    expect(Object.keys(checkMeetingForm(emptyMeetingForm(), t)).sort()).toEqual(['date', 'endsAt', 'participantIds', 'place', 'startsAt', 'title'])
    const ok = { ...emptyMeetingForm(), title: 'x', date: '2026-12-01', startTime: '10:00', endTime: '11:00', onlineUrl: 'http://x', participantIds: ['a'] }
    expect(checkMeetingForm(ok, t)).toEqual({ onlineUrl: 'オンライン会議のURLは https:// で始まるものを入力してください。' })
  })

  it('server codes read in the meeting’s own words, in both languages', () => {
    const error: AppError = {
      code: 'BAD_USER_INPUT',
      conflictReason: null,
      requestId: null,
      serverMessage: null,
      fields: [
        { field: 'startsAt', code: 'INVALID', message: '' },
        { field: 'endsAt', code: 'OUT_OF_ORDER', message: '' },
        { field: 'place', code: 'REQUIRED', message: '' },
        { field: 'participantIds', code: 'NOT_ACCEPTED', message: '' },
        { field: 'title', code: 'TOO_LONG', message: '' },
      ],
    }
    expect(meetingFieldErrors(error, t)).toEqual({
      startsAt: '開始日時は現在より後にしてください。',
      endsAt: '終了時刻は開始時刻より後にしてください。',
      place: '会場またはオンライン会議のURLのどちらかを入力してください。',
      participantIds: '参加できない人が含まれています。候補の一覧から選び直してください。',
      title: '件名が長すぎます。短くしてください。',
    })
    expect(meetingFieldErrors(error, translator('en')).endsAt).toBe('The end time must be after the start time.')
    expect(meetingFieldErrors(null, t)).toEqual({})
  })
})
