import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isStorageKey, newStorageKey, StorageKeyNotFound } from './attachment-storage.js';
import { attachmentStorageFor, listStoredKeys, LocalDiskStorage } from './local-disk-storage.js';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'renkei-storage-'));
const storage = new LocalDiskStorage(root);

afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

async function read(key: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of await storage.open(key)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

describe('LocalDiskStorage', () => {
  it('keys are 24 random base64url characters', () => {
    const keys = new Set(Array.from({ length: 1000 }, () => newStorageKey()));
    expect(keys.size).toBe(1000);
    for (const key of keys) expect(isStorageKey(key)).toBe(true);
  });

  it('puts, opens and removes; files are sharded by the key and private to the server', async () => {
    const key = newStorageKey();
    await storage.put(key, Buffer.from('連携'));
    const file = path.join(root, key.slice(0, 2), key.slice(2, 4), key);
    expect(fs.existsSync(file)).toBe(true);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect((await read(key)).toString()).toBe('連携');
    expect(listStoredKeys(root)).toEqual([key]);
    await storage.remove(key);
    expect(fs.existsSync(file)).toBe(false);
    await storage.remove(key); // removing again is fine
    await expect(storage.open(key)).rejects.toBeInstanceOf(StorageKeyNotFound);
  });

  it('never overwrites a key, and leaves no temporary file behind', async () => {
    const key = newStorageKey();
    await storage.put(key, Buffer.from('first'));
    await expect(storage.put(key, Buffer.from('second'))).rejects.toThrow();
    expect((await read(key)).toString()).toBe('first');
    expect(fs.readdirSync(path.join(root, '.tmp'))).toEqual([]);
    await storage.remove(key);
  });

  it('a key that is not one of ours never reaches the file system', async () => {
    for (const key of ['../../etc/passwd', 'short', `${'a'.repeat(22)}/x`, '']) {
      expect(isStorageKey(key)).toBe(false);
      await expect(storage.put(key, Buffer.from('x'))).rejects.toThrow('Invalid storage key');
      await expect(storage.open(key)).rejects.toThrow('Invalid storage key');
    }
  });

  it('attachmentStorageFor gives one local storage per configured directory', () => {
    expect(attachmentStorageFor({ attachmentsDir: root })).toBe(attachmentStorageFor({ attachmentsDir: root }));
    expect(attachmentStorageFor({ attachmentsDir: root })).toBeInstanceOf(LocalDiskStorage);
  });
});
