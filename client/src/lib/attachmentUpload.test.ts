import { describe, expect, it } from 'vitest'
import { createI18n } from 'vue-i18n'
import { en, ja } from '../i18n/messages'
import { ATTACHMENT_LIMITS, formatBytes, parseUploadResponse, precheckFile, messageUploadErrorKey, uploadErrorKey, uploadPath, type UploadErrorCode } from './attachmentUpload'

function fieldError(code: string) {
  return JSON.stringify({ errors: [{ message: 'x', extensions: { code: 'BAD_USER_INPUT', fields: [{ field: 'file', code, message: 'm' }] } }] })
}

describe('parseUploadResponse', () => {
  it('returns the attachment on success', () => {
    const body = JSON.stringify({ attachment: { id: 'a1', fileName: '提案書.pdf', mediaType: 'application/pdf', sizeBytes: 10, uploadedAt: '2026-01-01T00:00:00Z' } })
    expect(parseUploadResponse(201, body)).toEqual({
      ok: true,
      attachment: { id: 'a1', fileName: '提案書.pdf', mediaType: 'application/pdf', sizeBytes: 10, uploadedAt: '2026-01-01T00:00:00Z' },
    })
  })

  it('maps each file field code', () => {
    for (const code of ['INVALID', 'TOO_LONG', 'TOO_MANY', 'NOT_ACCEPTED'] as const) {
      expect(parseUploadResponse(400, fieldError(code))).toEqual({ ok: false, code, requestId: null })
    }
  })

  it('maps 413 without a body, top-level codes, no answer and garbage', () => {
    expect(parseUploadResponse(413, '')).toMatchObject({ ok: false, code: 'TOO_LONG' })
    expect(parseUploadResponse(403, JSON.stringify({ errors: [{ message: 'x', extensions: { code: 'FORBIDDEN' } }] }))).toMatchObject({ code: 'FORBIDDEN' })
    expect(parseUploadResponse(404, '<html>')).toMatchObject({ code: 'NOT_FOUND' })
    expect(parseUploadResponse(0, '')).toMatchObject({ code: 'NETWORK' })
    expect(parseUploadResponse(500, JSON.stringify({ errors: [{ message: 'x', extensions: { code: 'INTERNAL_SERVER_ERROR', requestId: 'r1' } }] }))).toEqual({
      ok: false,
      code: 'UNKNOWN',
      requestId: 'r1',
    })
    expect(parseUploadResponse(200, '{}')).toMatchObject({ ok: false, code: 'UNKNOWN' })
  })
})

describe('uploadPath', () => {
  it('puts a message’s file under its thread and everything else under the proposal', () => {
    expect(uploadPath('t1', 'message')).toBe('/api/threads/t1/attachments')
    expect(uploadPath('p1', 'thread-attachments')).toBe('/api/proposals/p1/thread-attachments')
    expect(uploadPath('p1', 'attachments')).toBe('/api/proposals/p1/attachments')
    expect(uploadPath('p 1', 'agreement-document')).toBe('/api/proposals/p%201/agreement-document')
  })
})

describe('messageUploadErrorKey', () => {
  it('uses the thread’s words for a full message, a missing thread and a closed dialogue; the proposal’s otherwise; every key exists in ja and en', () => {
    expect(messageUploadErrorKey('TOO_MANY')).toBe('thread.files.error.TOO_MANY')
    expect(messageUploadErrorKey('NOT_ACCEPTED')).toBe('attachment.error.NOT_ACCEPTED')
    const codes: UploadErrorCode[] = ['INVALID', 'TOO_LONG', 'TOO_MANY', 'NOT_ACCEPTED', 'UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND', 'CONFLICT', 'RATE_LIMITED', 'NETWORK', 'UNKNOWN']
    for (const locale of ['ja', 'en'] as const) {
      const i18n = createI18n({ legacy: false, locale, messages: { ja, en } })
      for (const code of codes) expect(i18n.global.te(messageUploadErrorKey(code))).toBe(true)
    }
  })
})

describe('precheckFile', () => {
  it('refuses what the server would refuse anyway', () => {
    expect(precheckFile('a.pdf', 100, 0)).toBeNull()
    expect(precheckFile('A.JPEG', 100, 9)).toBeNull()
    expect(precheckFile('a.pdf', 100, ATTACHMENT_LIMITS.maxCount)).toBe('TOO_MANY')
    expect(precheckFile('a.pdf', ATTACHMENT_LIMITS.maxBytes + 1, 0)).toBe('TOO_LONG')
    expect(precheckFile('a.xlsm', 100, 0)).toBe('NOT_ACCEPTED')
    expect(precheckFile('a.exe', 100, 0)).toBe('NOT_ACCEPTED')
    expect(precheckFile('noextension', 100, 0)).toBe('NOT_ACCEPTED')
    expect(precheckFile('a.pdf', 0, 0)).toBe('INVALID')
  })
})

describe('upload messages', () => {
  it('exist for every code in both languages', () => {
    const codes: UploadErrorCode[] = ['INVALID', 'TOO_LONG', 'TOO_MANY', 'NOT_ACCEPTED', 'UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND', 'CONFLICT', 'RATE_LIMITED', 'NETWORK', 'UNKNOWN']
    for (const locale of ['ja', 'en'] as const) {
      const i18n = createI18n({ legacy: false, locale, messages: { ja, en } })
      for (const code of codes) expect(i18n.global.te(uploadErrorKey(code), locale), `${locale} ${code}`).toBe(true)
    }
  })

  it('formats sizes', () => {
    expect(formatBytes(512)).toBe('512 B')
    expect(formatBytes(1536)).toBe('1.5 KB')
    expect(formatBytes(20 * 1024 * 1024)).toBe('20.0 MB')
  })
})
