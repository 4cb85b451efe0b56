import { ref } from 'vue'
import { parseUploadResponse, precheckFile, uploadPath, type UploadResult, type UploadTarget } from '../lib/attachmentUpload'

/**
 * Uploads one file to a proposal (or, for a message, to its thread) over plain HTTP (the raw bytes, the name in X-File-Name, the
 * CSRF header), reporting progress. One upload at a time.
 */
export function useAttachmentUpload() {
  const progress = ref<number | null>(null)
  const uploadingName = ref<string | null>(null)

  function upload(ownerId: string, file: File, currentCount: number, target: UploadTarget = 'attachments'): Promise<UploadResult> {
    const refused = precheckFile(file.name, file.size, currentCount)
    if (refused) return Promise.resolve({ ok: false, code: refused, requestId: null })
    uploadingName.value = file.name
    progress.value = 0
    return new Promise<UploadResult>((resolve) => {
      const xhr = new XMLHttpRequest()
      xhr.open('POST', uploadPath(ownerId, target))
      xhr.withCredentials = false // same origin: the session cookie goes along anyway
      xhr.setRequestHeader('Content-Type', 'application/octet-stream')
      xhr.setRequestHeader('X-File-Name', encodeURIComponent(file.name))
      xhr.setRequestHeader('X-Renkei-Request', '1')
      xhr.upload.onprogress = (e) => {
        if (e.lengthComputable) progress.value = Math.round((e.loaded / e.total) * 100)
      }
      const done = (result: UploadResult) => {
        progress.value = null
        uploadingName.value = null
        resolve(result)
      }
      xhr.onload = () => done(parseUploadResponse(xhr.status, xhr.responseText))
      xhr.onerror = () => done(parseUploadResponse(0, ''))
      xhr.onabort = () => done(parseUploadResponse(0, ''))
      xhr.send(file)
    })
  }

  return { upload, progress, uploadingName }
}
