import { describe, expect, it } from 'vitest'
import { createI18n } from 'vue-i18n'
import { en, ja } from '../i18n/messages'
import type { AppError } from './appError'
import { errorMessage, fieldErrorMessage, fieldErrorMessages, requestIdLine, type Translate } from './errorMessages'

function translator(locale: 'ja' | 'en'): Translate {
  const i18n = createI18n({ legacy: false, locale, fallbackLocale: 'ja', messages: { ja, en } })
  return (key, named) => i18n.global.t(key, named ?? {})
}

const ja_t = translator('ja')
const en_t = translator('en')

function appError(partial: Partial<AppError>): AppError {
  return { code: 'UNKNOWN', conflictReason: null, fields: [], requestId: null, serverMessage: 'raw English from the server', ...partial }
}

describe('errorMessage', () => {
  it('gives the same wrong-login message for UNAUTHENTICATED in both languages', () => {
    const e = appError({ code: 'UNAUTHENTICATED' })
    expect(errorMessage(e, ja_t, 'login')).toBe('メールアドレスまたはパスワードが正しくありません。')
    expect(errorMessage(e, en_t, 'login')).toBe('The email address or password is incorrect.')
  })

  it('explains RATE_LIMITED on the login form', () => {
    expect(errorMessage(appError({ code: 'RATE_LIMITED' }), ja_t, 'login')).toContain('しばらく待って')
  })

  it('uses the challenge conflict wording for CONFLICT on a challenge', () => {
    expect(errorMessage(appError({ code: 'CONFLICT' }), ja_t, 'challenge')).toBe(
      'この行政課題は他の職員が先に更新しました。最新の内容を確認してください。',
    )
    expect(errorMessage(appError({ code: 'CONFLICT' }), en_t, 'challenge')).toBe(
      'Another staff member updated this challenge first. Please check the latest version.',
    )
  })

  it('says "not possible in this state" rather than "someone else updated it" for an illegal transition', () => {
    const e = appError({ code: 'CONFLICT', conflictReason: 'ILLEGAL_STATE' })
    expect(errorMessage(e, ja_t, 'challenge')).toBe('現在の状態ではこの操作はできません。最新の内容を読み込んでください。')
    expect(errorMessage(appError({ code: 'CONFLICT', conflictReason: 'STALE_VERSION' }), ja_t, 'challenge')).toContain('他の職員が先に更新しました')
  })

  it('never returns the raw server message, and has a text for every code', () => {
    const codes = [
      'BAD_USER_INPUT',
      'UNAUTHENTICATED',
      'FORBIDDEN',
      'NOT_FOUND',
      'CONFLICT',
      'RATE_LIMITED',
      'INTERNAL_SERVER_ERROR',
      'GRAPHQL_VALIDATION_FAILED',
      'NETWORK',
      'UNKNOWN',
    ] as const
    for (const code of codes) {
      for (const t of [ja_t, en_t]) {
        const text = errorMessage(appError({ code }), t)
        expect(text).not.toBe(`errors.code.${code}`)
        expect(text).not.toContain('raw English')
        expect(text.length).toBeGreaterThan(5)
      }
    }
  })

  it('shows the request id of an internal error', () => {
    const e = appError({ code: 'INTERNAL_SERVER_ERROR', requestId: 'abc-123' })
    expect(requestIdLine(e, ja_t)).toBe('お問い合わせ番号: abc-123')
    expect(requestIdLine(e, en_t)).toBe('Request ID: abc-123')
    expect(requestIdLine(appError({ code: 'NOT_FOUND' }), ja_t)).toBeNull()
  })
})

describe('fieldErrorMessage', () => {
  it('names the field with its label in the current language', () => {
    expect(fieldErrorMessage({ field: 'title', code: 'REQUIRED', message: '' }, ja_t)).toBe('タイトルを入力してください。')
    expect(fieldErrorMessage({ field: 'title', code: 'REQUIRED', message: '' }, en_t)).toBe('Title is required.')
    expect(fieldErrorMessage({ field: 'owningSectionId', code: 'REQUIRED', message: '' }, ja_t)).toBe('所管課を選択してください。')
    expect(fieldErrorMessage({ field: 'contact', code: 'TOO_LONG', message: '' }, ja_t)).toBe('問い合わせ先が長すぎます。短くしてください。')
  })

  it('says a list is too long (too many files on a message) with the field’s label', () => {
    const labels = { attachmentIds: 'thread.field.files' }
    expect(fieldErrorMessage({ field: 'attachmentIds', code: 'TOO_MANY', message: '' }, ja_t, labels)).toBe('添付ファイルが多すぎます。減らしてください。')
    expect(fieldErrorMessage({ field: 'attachmentIds', code: 'TOO_MANY', message: '' }, en_t, labels)).toBe('Attached files: too many. Remove some.')
  })

  it('explains an out-of-order period', () => {
    expect(fieldErrorMessage({ field: 'periodEnd', code: 'OUT_OF_ORDER', message: '' }, ja_t)).toBe(
      '募集終了日は募集開始日と同じ日か、それより後の日付にしてください。',
    )
  })

  it('keys messages by field, first error per field winning', () => {
    const e = appError({
      code: 'BAD_USER_INPUT',
      fields: [
        { field: 'title', code: 'TOO_LONG', message: '' },
        { field: 'title', code: 'REQUIRED', message: '' },
        { field: 'owningSectionId', code: 'UNKNOWN_REFERENCE', message: '' },
      ],
    })
    expect(fieldErrorMessages(e, ja_t)).toEqual({
      title: 'タイトルが長すぎます。短くしてください。',
      owningSectionId: '所管課に指定された項目が見つかりません。選び直してください。',
    })
  })
})

describe('messages', () => {
  it('has the same keys in Japanese and English', () => {
    const keys = (o: object, prefix = ''): string[] =>
      Object.entries(o).flatMap(([k, v]) => (typeof v === 'object' ? keys(v as object, `${prefix}${k}.`) : [`${prefix}${k}`]))
    expect(keys(en).sort()).toEqual(keys(ja).sort())
  })
})

describe('organisation and proposal field errors', () => {
  it('explains the refusal of an individual', () => {
    const e = { field: 'kind', code: 'NOT_ACCEPTED' as const, message: 'x' }
    expect(fieldErrorMessage(e, ja_t)).toContain('個人の方からの提案は受け付けていません')
    expect(fieldErrorMessage(e, en_t)).toContain('individuals are not accepted')
  })

  it('uses the form’s own labels when given, and asks to confirm a pledge', () => {
    const title = { field: 'title', code: 'REQUIRED' as const, message: 'x' }
    expect(fieldErrorMessage(title, ja_t, { title: 'proposal.field.title' })).toBe('提案の名称を入力してください。')
    expect(fieldErrorMessage(title, ja_t)).toBe('タイトルを入力してください。')
    const pledge = { field: 'noAntisocialTies', code: 'REQUIRED' as const, message: 'x' }
    expect(fieldErrorMessage(pledge, ja_t, { noAntisocialTies: 'proposal.pledge.noAntisocialTies' })).toContain('反社会的勢力とは一切関係ありません')
    expect(fieldErrorMessage({ field: 'corporateNumber', code: 'INVALID', message: 'x' }, ja_t)).toContain('すでに登録されている団体')
    expect(fieldErrorMessage({ field: 'address', code: 'INVALID', message: 'x' }, ja_t)).toBe('所在地の内容が正しくありません。')
  })
})
