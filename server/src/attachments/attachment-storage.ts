import { randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';

/**
 * Where attachment bytes live. The local disk implementation (local-disk-storage.ts) is the
 * default; an S3-compatible object store implements the same three operations later (put →
 * PutObject, open → GetObject's body stream, remove → DeleteObject) without the service changing.
 *
 * Keys are chosen by the caller with newStorageKey(): random, unrelated to the file name.
 */
export interface AttachmentStorage {
  /** Stores the bytes under the key, all or nothing: a reader never sees a half-written file. */
  put(key: string, bytes: Uint8Array): Promise<void>;
  /** The stored bytes; rejects with StorageKeyNotFound when there are none. */
  open(key: string): Promise<Readable>;
  /** Removes the bytes; removing what is not there is not an error. */
  remove(key: string): Promise<void>;
}

export class StorageKeyNotFound extends Error {
  constructor(key: string) {
    super(`No stored attachment under ${key.slice(0, 4)}…`);
  }
}

/** 18 random bytes, base64url: 24 characters, 144 bits. */
export function newStorageKey(): string {
  return randomBytes(18).toString('base64url');
}

const KEY = /^[A-Za-z0-9_-]{22,64}$/;

/** Keys reach paths and object names: only what newStorageKey can produce is accepted. */
export function isStorageKey(key: string): boolean {
  return KEY.test(key);
}
