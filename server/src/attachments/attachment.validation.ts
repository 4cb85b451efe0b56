/**
 * Pure checks on an upload, before anything is stored. Codes are the field codes of the
 * GraphQL API, on the field `file`.
 */

export const MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024;
export const MAX_ATTACHMENTS_PER_PROPOSAL = 10;
export const MAX_FILE_NAME_LENGTH = 200;

export type AttachmentFieldCode = 'INVALID' | 'TOO_LONG' | 'TOO_MANY' | 'NOT_ACCEPTED';

export type FileNameCheck = { ok: true; fileName: string } | { ok: false; code: AttachmentFieldCode; message: string };

// Control characters, and the bidirectional overrides that make `exe.pdf` read as `fdp.exe`.
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

/**
 * The file name from the X-File-Name header: percent-encoded UTF-8. Only the last path segment is
 * kept (some browsers send a path), normalised to NFC (macOS sends NFD: が as か + ゛).
 */
export function parseFileNameHeader(header: string | string[] | undefined): FileNameCheck {
  if (typeof header !== 'string' || header.trim() === '') return { ok: false, code: 'INVALID', message: 'Send the file name in X-File-Name' };
  let decoded: string;
  try {
    decoded = decodeURIComponent(header);
  } catch {
    return { ok: false, code: 'INVALID', message: 'X-File-Name must be percent-encoded UTF-8' };
  }
  const fileName = decoded.split(/[\\/]/).pop()!.normalize('NFC').trim();
  if (fileName === '' || fileName === '.' || fileName === '..' || UNSAFE.test(fileName)) {
    return { ok: false, code: 'INVALID', message: 'The file name is empty or has characters that are not allowed' };
  }
  if ([...fileName].length > MAX_FILE_NAME_LENGTH) return { ok: false, code: 'TOO_LONG', message: `At most ${MAX_FILE_NAME_LENGTH} characters in a file name` };
  return { ok: true, fileName };
}

/** Content-Disposition for a download: an ASCII fallback and the exact name per RFC 6266 / 5987. */
export function contentDisposition(fileName: string): string {
  const fallback = fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\%;]/g, '_');
  const encoded = encodeURIComponent(fileName).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}
