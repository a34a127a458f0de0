import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { assertSafeKey, type BlobStore, type BlobStoreDescriptor } from './types.js';

/** How `put` names its temp files: the blob's file name, 12 hex digits, `.tmp`. */
const TEMP_NAME = /\.[0-9a-f]{12}\.tmp$/;

/** Blobs as files under one root directory. Writes go to a temp file and are renamed, so a reader never sees half a file. */
export class FsBlobStore implements BlobStore {
  constructor(readonly root: string) {}

  describe(): BlobStoreDescriptor {
    return { kind: 'fs', root: this.root };
  }

  private file(key: string): string {
    assertSafeKey(key);
    return path.join(this.root, ...key.split('/'));
  }

  async put(key: string, bytes: Uint8Array, _contentType: string): Promise<void> {
    const file = this.file(key);
    await fs.mkdir(path.dirname(file), { recursive: true });
    const tmp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
    await fs.writeFile(tmp, bytes);
    await fs.rename(tmp, file);
  }

  async get(key: string): Promise<Uint8Array | null> {
    try {
      return new Uint8Array(await fs.readFile(this.file(key)));
    } catch (err) {
      // A key that only prefixes other keys is a directory here and no blob, as in a bucket.
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'EISDIR') return null;
      throw err;
    }
  }

  async delete(key: string): Promise<void> {
    await fs.rm(this.file(key), { force: true });
  }

  /**
   * Removes the temp files of writes a killed process never renamed (`kill -9` between write and rename),
   * anywhere under the root. Only files named as `put` names them and last written before `before` (give the
   * process start): a write in flight in this process is never touched. Returns how many were removed.
   */
  async removeStaleTemps(before: Date): Promise<number> {
    let removed = 0;
    const walk = async (dir: string): Promise<void> => {
      let entries;
      try {
        entries = await fs.readdir(dir, { withFileTypes: true });
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
        throw err;
      }
      for (const entry of entries) {
        const file = path.join(dir, entry.name);
        if (entry.isDirectory()) await walk(file);
        else if (entry.isFile() && TEMP_NAME.test(entry.name)) {
          const stat = await fs.stat(file).catch(() => null);
          if (stat && stat.mtimeMs < before.getTime()) {
            await fs.rm(file, { force: true });
            removed++;
          }
        }
      }
    };
    await walk(this.root);
    return removed;
  }

  async exists(key: string): Promise<boolean> {
    const file = this.file(key);
    try {
      return (await fs.stat(file)).isFile();
    } catch {
      return false;
    }
  }
}
