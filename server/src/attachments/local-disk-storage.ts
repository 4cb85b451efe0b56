import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { Config } from '../config/env.js';
import { isStorageKey, StorageKeyNotFound, type AttachmentStorage } from './attachment-storage.js';

/**
 * Attachment bytes on local disk under ATTACHMENTS_DIR (by default `.data/attachments`, never
 * inside the served client files). Files are sharded into two levels of directories by the key's
 * first characters, written to a temporary file first and then linked under the final name, so a
 * crash leaves at most a stray temporary file and never a half-written attachment.
 */
export class LocalDiskStorage implements AttachmentStorage {
  private readonly temporaryDir: string;

  constructor(readonly root: string) {
    this.temporaryDir = path.join(root, '.tmp');
  }

  /** Where a key's bytes live: <root>/ab/cd/abcd… */
  pathOf(key: string): string {
    if (!isStorageKey(key)) throw new Error('Invalid storage key');
    return path.join(this.root, key.slice(0, 2), key.slice(2, 4), key);
  }

  async put(key: string, bytes: Uint8Array): Promise<void> {
    const target = this.pathOf(key);
    // Only the storage's own directories are private (0700): its parents (e.g. .data/, which the
    // embedded PostgreSQL's system user must traverse) are created with the usual mode.
    await fsp.mkdir(path.dirname(this.root), { recursive: true });
    await fsp.mkdir(this.temporaryDir, { recursive: true, mode: 0o700 });
    await fsp.mkdir(path.dirname(target), { recursive: true, mode: 0o700 });
    const temporary = path.join(this.temporaryDir, `${key}.${randomBytes(6).toString('hex')}`);
    try {
      const handle = await fsp.open(temporary, 'wx', 0o600);
      try {
        await handle.writeFile(bytes);
        await handle.sync();
      } finally {
        await handle.close();
      }
      // link, unlike rename, refuses to replace an existing file: a key is never overwritten.
      await fsp.link(temporary, target);
    } finally {
      await fsp.rm(temporary, { force: true });
    }
  }

  async open(key: string): Promise<Readable> {
    const handle = await fsp.open(this.pathOf(key), 'r').catch((error: NodeJS.ErrnoException) => {
      throw error.code === 'ENOENT' ? new StorageKeyNotFound(key) : error;
    });
    return handle.createReadStream();
  }

  async remove(key: string): Promise<void> {
    await fsp.rm(this.pathOf(key), { force: true });
  }
}

const storages = new Map<string, AttachmentStorage>();

/** The storage the configuration names (one instance per directory). An object store would be chosen here. */
export function attachmentStorageFor(config: Pick<Config, 'attachmentsDir'>): AttachmentStorage {
  let storage = storages.get(config.attachmentsDir);
  if (!storage) {
    storage = new LocalDiskStorage(config.attachmentsDir);
    storages.set(config.attachmentsDir, storage);
  }
  return storage;
}

/** Every stored key under a local root (tests and maintenance). */
export function listStoredKeys(root: string): string[] {
  if (!fs.existsSync(root)) return [];
  return fs
    .readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => entry.name);
}
