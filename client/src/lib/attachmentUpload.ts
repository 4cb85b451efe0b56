/** The limits the server enforces (it decides the type from the content; this is only a first check). */
export const ATTACHMENT_LIMITS = {
  maxBytes: 20 * 1024 * 1024,
  maxCount: 10,
} as const

export const ALLOWED_EXTENSIONS = ['pdf', 'doc', 'docx', 'xls', 'xlsx', 'ppt', 'pptx', 'png', 'jpg', 'jpeg'] as const

/** The `accept` attribute of the file input. */
export const ACCEPT_ATTRIBUTE = ALLOWED_EXTENSIONS.map((e) => `.${e}`).join(',')

/**
 * Where a file goes: the proposer's material, the signed agreement document the desk files, a
 * file for the first message of a thread not yet started (all three under the proposal), or a
 * file for a message in a thread (under the thread).
 */
export type UploadTarget = 'attachments' | 'agreement-document' | 'thread-attachments' | 'message'

/** The upload route for a target; `ownerId` is the proposal's id, or the thread's for 'message'. */
export function uploadPath(ownerId: string, target: UploadTarget): string {
  const id = encodeURIComponent(ownerId)
  return target === 'message' ? `/api/threads/${id}/attachments` : `/api/proposals/${id}/${target}`
}

export type UploadErrorCode =
  | 'INVALID'
  | 'TOO_LONG'
  | 'TOO_MANY'
  | 'NOT_ACCEPTED'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'RATE_LIMITED'
  | 'NETWORK'
  | 'UNKNOWN'

export interface UploadedAttachment {
  id: string
  fileName: string
  mediaType: string
  sizeBytes: number
  uploadedAt: string
}

export type UploadResult = { ok: true; attachment: UploadedAttachment } | { ok: false; code: UploadErrorCode; requestId: string | null }

function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.')
  return dot === -1 ? '' : name.slice(dot + 1).toLowerCase()
}

/** A check before sending: a refusal the server would give anyway, without uploading 20 MB first. */
export function precheckFile(name: string, size: number, currentCount: number): UploadErrorCode | null {
  if (currentCount >= ATTACHMENT_LIMITS.maxCount) return 'TOO_MANY'
  if (size > ATTACHMENT_LIMITS.maxBytes) return 'TOO_LONG'
  if (!(ALLOWED_EXTENSIONS as readonly string[]).includes(extensionOf(name))) return 'NOT_ACCEPTED'
  if (size === 0) return 'INVALID'
  return null
}

const FILE_CODES = new Set<UploadErrorCode>(['INVALID', 'TOO_LONG', 'TOO_MANY', 'NOT_ACCEPTED'])
const TOP_CODES = new Set<UploadErrorCode>(['UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND', 'CONFLICT', 'RATE_LIMITED'])

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null
}

/** The upload endpoint's answer → the attachment, or one code to translate. `status` 0 means no answer. */
export function parseUploadResponse(status: number, body: string): UploadResult {
  if (status === 0) return { ok: false, code: 'NETWORK', requestId: null }
  let data: unknown = null
  try {
    data = body ? JSON.parse(body) : null
  } catch {
    data = null
  }
  if (status >= 200 && status < 300 && isObject(data) && isObject(data.attachment)) {
    const a = data.attachment
    if (typeof a.id === 'string' && typeof a.fileName === 'string') {
      return {
        ok: true,
        attachment: {
          id: a.id,
          fileName: a.fileName,
          mediaType: typeof a.mediaType === 'string' ? a.mediaType : '',
          sizeBytes: typeof a.sizeBytes === 'number' ? a.sizeBytes : 0,
          uploadedAt: typeof a.uploadedAt === 'string' ? a.uploadedAt : '',
        },
      }
    }
  }
  const errors = isObject(data) && Array.isArray(data.errors) ? data.errors.filter(isObject) : []
  const ext = errors.map((e) => (isObject(e.extensions) ? e.extensions : {}))
  const requestId = ext.map((x) => x.requestId).find((r): r is string => typeof r === 'string') ?? null
  for (const x of ext) {
    const fields = Array.isArray(x.fields) ? x.fields.filter(isObject) : []
    const file = fields.find((f) => f.field === 'file') ?? fields[0]
    if (file && FILE_CODES.has(file.code as UploadErrorCode)) return { ok: false, code: file.code as UploadErrorCode, requestId }
  }
  for (const x of ext) {
    if (TOP_CODES.has(x.code as UploadErrorCode)) return { ok: false, code: x.code as UploadErrorCode, requestId }
  }
  if (status === 413) return { ok: false, code: 'TOO_LONG', requestId }
  if (status === 401) return { ok: false, code: 'UNAUTHENTICATED', requestId }
  if (status === 403) return { ok: false, code: 'FORBIDDEN', requestId }
  if (status === 404) return { ok: false, code: 'NOT_FOUND', requestId }
  if (status === 409) return { ok: false, code: 'TOO_MANY', requestId }
  return { ok: false, code: 'UNKNOWN', requestId }
}

/** The i18n key of an upload error. */
export function uploadErrorKey(code: UploadErrorCode): string {
  return `attachment.error.${code}`
}

/** The message for a refused file on a message: the thread's own words where the proposal's would mislead. */
export function messageUploadErrorKey(code: UploadErrorCode): string {
  return code === 'TOO_MANY' || code === 'NOT_FOUND' || code === 'CONFLICT' ? `thread.files.error.${code}` : uploadErrorKey(code)
}

/** 1536 → "1.5 KB"; sizes for people, not for accounting. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`
}
