import * as Y from 'yjs';

/** The one shared type of a minutes document: plain text (議事録本文). */
export const MINUTES_TEXT = 'minutes';

/** The largest single edit accepted (decoded bytes): a long paste, not a whole archive. */
export const MAX_UPDATE_BYTES = 256 * 1024;

/** The longest minutes text (UTF-16 code units, as a browser's textarea counts). */
export const MAX_MINUTES_TEXT = 200_000;

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const MAX_BASE64_CHARS = Math.ceil(MAX_UPDATE_BYTES / 3) * 4;

export type DecodeResult = { ok: true; bytes: Uint8Array } | { ok: false; code: 'REQUIRED' | 'INVALID' | 'TOO_LONG' };

/** A Yjs update as sent by a client: standard base64, non-empty, at most MAX_UPDATE_BYTES once decoded. */
export function decodeUpdate(base64: string): DecodeResult {
  if (base64.length === 0) return { ok: false, code: 'REQUIRED' };
  // Checked before decoding: the request body limit is larger than an update may be.
  if (base64.length > MAX_BASE64_CHARS) return { ok: false, code: 'TOO_LONG' };
  if (base64.length % 4 !== 0 || !BASE64.test(base64)) return { ok: false, code: 'INVALID' };
  const bytes = new Uint8Array(Buffer.from(base64, 'base64'));
  if (bytes.length > MAX_UPDATE_BYTES) return { ok: false, code: 'TOO_LONG' };
  return { ok: true, bytes };
}

export function encodeBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

/** The state of a document with nothing written yet. */
export function emptyMinutesState(): Uint8Array {
  return Y.encodeStateAsUpdate(new Y.Doc({ gc: true }));
}

export type MergeResult =
  | { ok: true; changed: false; text: string }
  | { ok: true; changed: true; state: Uint8Array; text: string }
  | { ok: false; code: 'INVALID' | 'TOO_LONG' };

function loadDoc(state: Uint8Array): { doc: Y.Doc; text: Y.Text } {
  const doc = new Y.Doc({ gc: true });
  // Declared before anything is applied, so the root named `minutes` is a Y.Text.
  const text = doc.getText(MINUTES_TEXT);
  Y.applyUpdate(doc, state);
  return { doc, text };
}

/**
 * Whether the document is what our editors write and nothing else: one plain Y.Text named
 * `minutes`, holding strings only (no embeds, no formatting, no map entries), with nothing left
 * pending for lack of an earlier edit.
 */
function isPlainMinutes(doc: Y.Doc, text: Y.Text): boolean {
  if (doc.store.pendingStructs !== null || doc.store.pendingDs !== null) return false;
  for (const name of doc.share.keys()) if (name !== MINUTES_TEXT) return false;
  if (text._map.size > 0) return false;
  for (let item = text._start; item !== null; item = item.right) {
    if (!item.deleted && !(item.content instanceof Y.ContentString)) return false;
  }
  return true;
}

/**
 * Applies one client update to the stored state, on a document of its own (a malformed update
 * throws inside Yjs and is refused here; nothing is shared between calls). Returns the new state
 * and its plain text. An update the document already contains (a retry) changes nothing.
 *
 * The accepted update itself is what the other editors receive: it parsed and applied cleanly
 * here, so it does the same in their documents, and it carries only its own deletions (a delta
 * re-encoded from the whole document would carry every deletion ever made, on every keystroke).
 */
export function mergeMinutesUpdate(state: Uint8Array, update: Uint8Array): MergeResult {
  let doc: Y.Doc | null = null;
  try {
    const loaded = loadDoc(state);
    doc = loaded.doc;
    const before = Y.encodeStateAsUpdate(doc);
    Y.applyUpdate(doc, update);
    if (!isPlainMinutes(doc, loaded.text)) return { ok: false, code: 'INVALID' };
    const text = loaded.text.toString();
    const after = Y.encodeStateAsUpdate(doc);
    if (sameBytes(before, after)) return { ok: true, changed: false, text };
    if (text.length > MAX_MINUTES_TEXT) return { ok: false, code: 'TOO_LONG' };
    return { ok: true, changed: true, state: after, text };
  } catch {
    return { ok: false, code: 'INVALID' };
  } finally {
    doc?.destroy();
  }
}

/** The plain text of a stored state. */
export function minutesText(state: Uint8Array): string {
  const { doc, text } = loadDoc(state);
  try {
    return text.toString();
  } finally {
    doc.destroy();
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i += 1) if (a[i] !== b[i]) return false;
  return true;
}
